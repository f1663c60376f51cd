"""The question bank (the Moodle pattern): a ``Question`` is a stable identity in a course's bank; what it says
lives in numbered ``QuestionVersion`` rows. Editing a question adds a version; a version is never changed, so an
assessment (and later every attempt) pins the exact version it used, and a question edited during a live exam
changes no running attempt.

The question's current type, difficulty, tags and knowledge points are copied onto ``Question`` when a version is
added: the bank page filters on them with plain indexed columns (SQLite has no JSON containment), and the version
keeps the truth.
"""

import uuid
from pathlib import PurePosixPath
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhijiao.core.models import BaseModel
from zhijiao.core.uploads import private_storage, size_label


class Difficulty(models.IntegerChoices):
    """The five-step difficulty Chinese exam papers use."""

    EASY = 1, _("易")
    FAIRLY_EASY = 2, _("较易")
    MEDIUM = 3, _("中")
    FAIRLY_HARD = 4, _("较难")
    HARD = 5, _("难")


class Question(BaseModel):
    """A question of a course's bank: its identity, and a copy of its current version's filterable fields."""

    course = models.ForeignKey(
        "courses.Course", on_delete=models.CASCADE, related_name="questions", verbose_name=_("所属课程")
    )
    # Shared with the files it is exported to (QTI identifier, Excel 编号 column): an import finds it again.
    identifier = models.UUIDField(_("题目标识"), default=uuid.uuid4, editable=False, unique=True)
    current_version = models.ForeignKey(
        "QuestionVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("当前版本"),
        editable=False,
    )
    type = models.CharField(_("题型"), max_length=20, db_index=True)
    difficulty = models.PositiveSmallIntegerField(_("难度"), choices=Difficulty.choices, default=Difficulty.MEDIUM)
    # "|tag|tag|": one LIKE finds a whole tag on every database.
    tag_index = models.CharField(_("标签索引"), max_length=1000, blank=True, editable=False)
    knowledge_index = models.CharField(_("知识点索引"), max_length=1000, blank=True, editable=False)
    summary = models.CharField(_("题干摘要"), max_length=120, blank=True, editable=False)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("创建人")
    )

    class Meta:
        verbose_name = _("题目")
        verbose_name_plural = _("题目")
        ordering = ["course", "-id"]
        indexes = [
            models.Index(fields=["course", "archived_at", "type"], name="assessment_q_course_type"),
            models.Index(fields=["course", "archived_at", "difficulty"], name="assessment_q_course_diff"),
        ]

    def __str__(self) -> str:
        return self.summary or str(self.identifier)

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class QuestionVersionQuerySet(models.QuerySet["QuestionVersion"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("question versions cannot be changed; add a new version")


class QuestionVersion(models.Model):
    """One version of a question, as it was written; never changed once saved (attempts will point at it)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions", verbose_name=_("题目"))
    number = models.PositiveIntegerField(_("版本号"))
    type = models.CharField(_("题型"), max_length=20)
    stem = models.TextField(_("题干"), max_length=20000, help_text=_("经过清理的 HTML"))
    # Options, answer key, blanks, rubric …: what the type's ``clean`` returns (question_types.py).
    data = models.JSONField(_("题目内容"), default=dict)
    points = models.DecimalField(
        _("分值"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(1000)],
    )
    explanation = models.TextField(_("解析"), blank=True, max_length=20000, help_text=_("经过清理的 HTML"))
    tags = models.JSONField(_("标签"), default=list, blank=True)
    knowledge_points = models.JSONField(_("知识点"), default=list, blank=True)
    difficulty = models.PositiveSmallIntegerField(_("难度"), choices=Difficulty.choices, default=Difficulty.MEDIUM)
    note = models.CharField(_("修改说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("修改人")
    )

    objects: ClassVar[models.Manager["QuestionVersion"]] = QuestionVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("题目版本")
        verbose_name_plural = _("题目版本")
        ordering = ["question", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["question", "number"], name="assessment_version_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("question versions cannot be changed; add a new version")
        super().save(*args, **kwargs)


# --- Attempts (the Moodle pattern: an attempt's questions are fixed when it starts; what happens is appended) -----


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("作答中")
    # Submitted; some answers wait for the teaching team or for peer review.
    SUBMITTED = "submitted", _("待批阅")
    GRADED = "graded", _("已评分")


class SubmittedBy(models.TextChoices):
    LEARNER = "learner", _("学习者提交")
    TIMEOUT = "timeout", _("到时自动提交")
    STAFF = "staff", _("教学团队收卷")


class Attempt(BaseModel):
    """One try of a learner at an assessment block (测验, 作业 or 考试) of a run.

    The assessment is the block's ``content_id`` (it survives new published versions); the rules it ran under
    (time limit, due date, late policy, what is shown when, peer review, the grading category …) are copied into
    ``rules`` when the attempt starts, so a teacher editing the block changes no running attempt. ``deadline_at``
    is when the server stops taking answers (the time limit or the window's close, whichever comes first; none for
    an untimed quiz); the server's clock decides, and an attempt past it is submitted as it stands.
    """

    run = models.ForeignKey("courses.Run", on_delete=models.CASCADE, related_name="+", verbose_name=_("开课"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("学习者")
    )
    content_id = models.UUIDField(_("测评内容标识"))
    kind = models.CharField(_("测评类型"), max_length=20)
    title = models.CharField(_("测评名称"), max_length=120, blank=True)
    number = models.PositiveSmallIntegerField(_("第几次作答"), default=1)
    status = models.CharField(
        _("状态"), max_length=16, choices=AttemptStatus.choices, default=AttemptStatus.IN_PROGRESS
    )
    rules = models.JSONField(_("作答规则"), default=dict)
    started_at = models.DateTimeField(_("开始时间"))
    deadline_at = models.DateTimeField(_("截止时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.CharField(_("提交方式"), max_length=16, choices=SubmittedBy.choices, blank=True)
    late = models.BooleanField(_("逾期提交"), default=False)
    # Sums over the attempt's items once graded (``earned`` after any late penalty); ``pending`` counts the items a
    # person still has to grade.
    earned = models.DecimalField(_("得分"), max_digits=8, decimal_places=2, null=True, blank=True)
    possible = models.DecimalField(_("满分"), max_digits=8, decimal_places=2, default=0)
    pending = models.PositiveSmallIntegerField(_("待批阅题数"), default=0)
    graded_at = models.DateTimeField(_("评分时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("作答")
        verbose_name_plural = _("作答")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "user", "content_id", "number"], name="assessment_attempt_unique_number"
            ),
            # At most one open attempt per learner and assessment: a second "start" resumes it.
            models.UniqueConstraint(
                fields=["run", "user", "content_id"],
                condition=models.Q(status="in_progress"),
                name="assessment_attempt_one_open",
            ),
        ]
        indexes = [
            models.Index(fields=["run", "content_id", "status"], name="assessment_attempt_run_status"),
            models.Index(fields=["status", "deadline_at"], name="assessment_attempt_deadline"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.title or self.content_id} #{self.number}"


class ItemStatus(models.TextChoices):
    OPEN = "open", _("作答中")
    GRADED = "graded", _("已评分")
    # A person grades it: the teaching team's queue …
    STAFF = "staff", _("待教师批阅")
    # … or the learner's peers (the queue takes what is left when the review deadline passes).
    PEER = "peer", _("互评中")


class AttemptItem(models.Model):
    """One question of an attempt, fixed when the attempt starts: the exact question version (a question edited
    during a live exam changes no running attempt), its points, and this learner's shuffled option order.

    ``response`` is the answer as submitted (while the attempt runs, the answers live in its steps); ``earned`` and
    ``feedback`` come from the type's automatic grading, a teacher or the peer reviews."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items", verbose_name=_("作答"))
    position = models.PositiveSmallIntegerField(_("题号"))
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("题目版本"))
    points = models.DecimalField(_("分值"), max_digits=6, decimal_places=2)
    # option_order[i] is the stored option shown i-th (choice questions; empty otherwise).
    option_order = models.JSONField(_("选项顺序"), default=list, blank=True)
    response = models.JSONField(_("答案"), null=True, blank=True)
    status = models.CharField(_("评分状态"), max_length=8, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    earned = models.DecimalField(_("得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    feedback = models.TextField(_("评语"), blank=True, max_length=5000)
    # Rubric criterion scores by criterion index, when a person graded against the rubric.
    rubric_scores = models.JSONField(_("评分细则得分"), default=list, blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("评分人"),
    )
    graded_at = models.DateTimeField(_("评分时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("作答题目")
        verbose_name_plural = _("作答题目")
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="assessment_item_unique_position"),
        ]
        indexes = [models.Index(fields=["status", "attempt"], name="assessment_item_status")]

    def __str__(self) -> str:
        return f"{self.attempt_id} · {self.position}"


class StepAction(models.TextChoices):
    SAVE = "save", _("保存答案")
    SUBMIT = "submit", _("提交")
    GRADE = "grade", _("评分")
    PEER = "peer", _("互评")
    REGRADE = "regrade", _("重新评分")


class AttemptStepQuerySet(models.QuerySet["AttemptStep"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("attempt steps cannot be changed; append a new step")


class AttemptStep(models.Model):
    """What happened in an attempt, appended and never changed: an answer saved (the latest ``save`` of a position
    is the learner's answer while the attempt runs), the submission, a grade given, a regrade. A regrade or an
    appeal replays them. Saving an answer is one insert, so thousands of learners can save at an exam's end."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="steps", verbose_name=_("作答"))
    position = models.PositiveSmallIntegerField(_("题号"), null=True, blank=True)
    action = models.CharField(_("动作"), max_length=8, choices=StepAction.choices)
    data = models.JSONField(_("内容"), default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("操作人")
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    objects: ClassVar[models.Manager["AttemptStep"]] = AttemptStepQuerySet.as_manager()

    class Meta:
        verbose_name = _("作答记录")
        verbose_name_plural = _("作答记录")
        ordering = ["attempt", "id"]
        indexes = [models.Index(fields=["attempt", "position", "id"], name="assessment_step_latest")]

    def __str__(self) -> str:
        return f"{self.attempt_id} · {self.action} · {self.position}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("attempt steps cannot be changed; append a new step")
        super().save(*args, **kwargs)


class PeerReview(BaseModel):
    """A learner's review of a peer's answer (互评): assigned when the answer is submitted, scored against the
    question's rubric. The answer's score is the trimmed mean of its done reviews (highest and lowest dropped when
    there are enough); when the review deadline passes, the teaching team grades what is missing."""

    item = models.ForeignKey(AttemptItem, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("被评答案"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="peer_reviews", verbose_name=_("评阅人")
    )
    due_at = models.DateTimeField(_("互评截止"))
    rubric_scores = models.JSONField(_("评分细则得分"), default=list, blank=True)
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=2, null=True, blank=True)
    comment = models.TextField(_("评语"), blank=True, max_length=5000)
    submitted_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("互评")
        verbose_name_plural = _("互评")
        ordering = ["item", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "reviewer"], name="assessment_review_unique_reviewer"),
        ]
        indexes = [models.Index(fields=["reviewer", "submitted_at"], name="assessment_review_todo")]

    def __str__(self) -> str:
        return f"{self.reviewer_id} → {self.item_id}"


def attempt_file_path(instance: "AttemptFile", filename: str) -> str:
    """A random name under the month; the learner's own file name is kept in the row, never in the path."""
    extension = PurePosixPath(filename).suffix.lower()[:8]
    return f"assessment/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


class AttemptFile(models.Model):
    """A file a learner uploaded as their answer to a file question (文件题) of their attempt. It is private: it
    leaves only through a view that checks who asks (the learner, the run's teaching team, an assigned peer
    reviewer). The answer itself is a saved step whose response is this row's id."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="files", verbose_name=_("作答"))
    position = models.PositiveSmallIntegerField(_("题号"))
    file = models.FileField(_("文件"), upload_to=attempt_file_path, storage=private_storage, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    mime = models.CharField(_("文件类型"), max_length=120)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("上传人")
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("作答文件")
        verbose_name_plural = _("作答文件")
        ordering = ["attempt", "position", "id"]
        indexes = [models.Index(fields=["attempt", "position"], name="assessment_file_position")]

    def __str__(self) -> str:
        return self.original_name

    @property
    def size_label(self) -> str:
        return size_label(self.size)
