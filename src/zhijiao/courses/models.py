"""The course engine's tables: courses, their content tree (chapter → section → unit → blocks), uploaded media,
the teaching team and the frozen versions learners read.

Identity follows the Kolibri Studio provenance model: every node and block has an id of its own (its primary key,
new for every copy) and a ``content_id`` (UUID) that all its copies share, so a learner's progress, keyed on
``content_id``, survives copies and new versions. A copy records where it came from: ``origin`` (the first node or
block of the line, kept through copies of copies), ``source`` (the one it was copied from directly) and
``source_version`` (the number of the source course's published version it was copied from; empty when it was
copied from a draft, which has no frozen base to merge against later). Lineage links carry no database constraint:
the copy outlives its source, and keeps the ids it had.

Teachers edit the draft rows (``Node``, ``Block``); publishing freezes the whole tree into one
``CourseVersion.outline`` document (Open edX's split modulestore keeps one structure document per version the same
way), so reading what learners see is one row, never a walk over a thousand blocks. Workflows live in
``services``; these models hold fields and invariants only.
"""

import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhijiao.core.models import BaseModel
from zhijiao.core.platforms import Platform


def _lineage(model: str, label: Any) -> models.ForeignKey[Any, Any]:
    """A link to the row this one was copied from: no constraint, so it outlives that row (and keeps its id)."""
    return models.ForeignKey(
        model,
        verbose_name=label,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        editable=False,
    )


class Discipline(models.Model):
    """A 学科门类 (two-digit code, no parent) or 一级学科 (four digits, under its category) of the official catalogue
    (``disciplines.py``); a course is filed under a first-level discipline."""

    code = models.CharField(_("代码"), max_length=8, unique=True)
    name = models.CharField(_("名称"), max_length=40)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("学科门类")
    )

    class Meta:
        verbose_name = _("学科")
        verbose_name_plural = _("学科")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CourseLevel(models.TextChoices):
    """Who a course is written for."""

    UNDERGRADUATE = "undergraduate", _("本科")
    VOCATIONAL = "vocational", _("高职（专科）")
    GRADUATE = "graduate", _("研究生")
    LIFELONG = "lifelong", _("终身学习")


class Course(BaseModel):
    """A course as its teaching team writes it: a draft tree, and the versions published from it.

    The about fields (discipline, level, credits, cover, intro video, syllabus, prerequisites, tags, the 国家级一流
    课程 badge) are what the catalogue filters and the course page shows. ``enrolment_count`` and the rating sums
    are kept by the services that change them (one ``F()`` update per enrolment or rating), so a catalogue page of
    27,000 courses sorts and shows them without counting a million enrolments.
    """

    title = models.CharField(_("课程名称"), max_length=120)
    summary = models.TextField(_("简介"), blank=True, max_length=2000)
    university = models.ForeignKey(
        "orgs.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="courses",
        verbose_name=_("开课学校"),
    )
    # Every change to the draft adds one: publishing records the revision it froze, so "unpublished changes" is a
    # comparison, and a client that saw revision 7 can ask for a publish of exactly that.
    revision = models.PositiveIntegerField(_("草稿修订号"), default=0, editable=False)
    published_version = models.ForeignKey(
        "CourseVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("当前发布版本"),
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("创建人"),
    )
    origin = _lineage("self", _("最初来源课程"))
    source = _lineage("self", _("直接来源课程"))
    source_version = models.PositiveIntegerField(_("来源版本"), null=True, blank=True, editable=False)

    platform = models.CharField(_("所属平台"), max_length=16, choices=Platform.choices, default=Platform.HIGHER)
    discipline = models.ForeignKey(
        Discipline,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="courses",
        verbose_name=_("一级学科"),
        limit_choices_to={"parent__isnull": False},
    )
    level = models.CharField(_("层次"), max_length=16, choices=CourseLevel.choices, default=CourseLevel.UNDERGRADUATE)
    credit_hours = models.PositiveSmallIntegerField(_("学时"), default=0)
    credits = models.DecimalField(_("学分"), max_digits=3, decimal_places=1, default=Decimal("0"))
    cover = models.FileField(_("封面"), upload_to="courses/covers/%Y/%m/", max_length=200, blank=True)
    intro_video = models.ForeignKey(
        "Asset", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("介绍视频")
    )
    syllabus = models.TextField(_("教学大纲"), blank=True, max_length=20000, help_text=_("经过清理的 HTML"))
    prerequisites = models.TextField(_("先修要求"), blank=True, max_length=1000)
    tags = models.JSONField(_("标签"), default=list, blank=True)
    first_class_year = models.PositiveSmallIntegerField(
        _("国家级一流课程认定年份"), null=True, blank=True, help_text=_("空表示不是国家级一流本科课程")
    )
    enrolment_count = models.PositiveIntegerField(_("选课人数"), default=0, editable=False)
    rating_count = models.PositiveIntegerField(_("评价人数"), default=0, editable=False)
    rating_sum = models.PositiveIntegerField(_("评分合计"), default=0, editable=False)
    published_at = models.DateTimeField(_("首次发布时间"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("课程")
        verbose_name_plural = _("课程")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["platform", "discipline"], name="courses_course_discipline"),
            models.Index(fields=["platform", "-enrolment_count"], name="courses_course_popular"),
            models.Index(fields=["platform", "-published_at"], name="courses_course_newest"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """The course's page (about, syllabus, teachers, runs, ratings), for learners and visitors."""
        return reverse("courses:course", args=[self.pk])

    @property
    def is_published(self) -> bool:
        """Whether learners can find it (a version was published); hot lists and topics leave drafts out."""
        return self.published_version_id is not None

    @property
    def is_first_class(self) -> bool:
        return self.first_class_year is not None

    @property
    def rating_average(self) -> Decimal | None:
        """The mean of the learners' 1–5 stars, to one decimal; None before anyone rated."""
        if not self.rating_count:
            return None
        return (Decimal(self.rating_sum) / Decimal(self.rating_count)).quantize(Decimal("0.1"))

    @property
    def has_unpublished_changes(self) -> bool:
        version = self.published_version
        return version is None or version.revision != self.revision


class TeamRole(models.TextChoices):
    """A member of a course's teaching team; the lead and teachers write the content, assistants read the draft."""

    LEAD = "lead", _("课程负责人")
    TEACHER = "teacher", _("主讲教师")
    ASSISTANT = "assistant", _("助教")


EDITING_ROLES = frozenset({TeamRole.LEAD, TeamRole.TEACHER})


class CourseStaff(BaseModel):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="staff", verbose_name=_("课程"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_roles", verbose_name=_("成员")
    )
    role = models.CharField(_("角色"), max_length=16, choices=TeamRole.choices)

    class Meta:
        verbose_name = _("教学团队成员")
        verbose_name_plural = _("教学团队成员")
        ordering = ["course", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["course", "user"], name="courses_staff_unique_member")]

    def __str__(self) -> str:
        return f"{self.course} · {self.user} ({self.get_role_display()})"


class NodeKind(models.TextChoices):
    CHAPTER = "chapter", _("章")
    SECTION = "section", _("节")
    UNIT = "unit", _("学习单元")


# Where each kind of node may stand (None: at the top of the course). Units hold the blocks; a chapter may hold
# units directly, as many MOOCs have no sections.
ALLOWED_PARENTS: dict[str, frozenset[str | None]] = {
    NodeKind.CHAPTER: frozenset({None}),
    NodeKind.SECTION: frozenset({NodeKind.CHAPTER}),
    NodeKind.UNIT: frozenset({NodeKind.CHAPTER, NodeKind.SECTION}),
}


class Node(BaseModel):
    """A chapter, section or unit of a course's draft."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="nodes", verbose_name=_("课程"))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children", verbose_name=_("上级")
    )
    kind = models.CharField(_("类型"), max_length=16, choices=NodeKind.choices)
    title = models.CharField(_("标题"), max_length=120)
    # Siblings are numbered 0, 1, 2 …; reordering rewrites the numbers (no unique constraint: it would trip
    # halfway through a rewrite on databases without deferrable constraints).
    position = models.PositiveIntegerField(_("序号"), default=0)
    content_id = models.UUIDField(_("内容标识"), default=uuid.uuid4, editable=False)
    origin = _lineage("self", _("最初来源"))
    source = _lineage("self", _("直接来源"))
    source_version = models.PositiveIntegerField(_("来源版本"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("章节单元")
        verbose_name_plural = _("章节单元")
        ordering = ["course", "parent_id", "position", "id"]
        indexes = [models.Index(fields=["course", "parent", "position"])]
        constraints = [
            # One copy of a piece of content per course: progress keyed on content_id is never ambiguous.
            models.UniqueConstraint(fields=["course", "content_id"], name="courses_node_unique_content"),
            models.CheckConstraint(
                condition=Q(kind="chapter", parent__isnull=True) | (~Q(kind="chapter") & Q(parent__isnull=False)),
                name="courses_node_chapters_at_top",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Block(BaseModel):
    """One piece of a unit's content; what it holds (``data``) and how it shows are its type's (``blocks.py``)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="blocks", verbose_name=_("课程"))
    unit = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="blocks", verbose_name=_("学习单元"))
    type = models.CharField(_("类型"), max_length=40)
    title = models.CharField(_("标题"), max_length=120, blank=True)
    position = models.PositiveIntegerField(_("序号"), default=0)
    data = models.JSONField(_("内容"), default=dict, blank=True)
    content_id = models.UUIDField(_("内容标识"), default=uuid.uuid4, editable=False)
    origin = _lineage("self", _("最初来源"))
    source = _lineage("self", _("直接来源"))
    source_version = models.PositiveIntegerField(_("来源版本"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("内容块")
        verbose_name_plural = _("内容块")
        ordering = ["unit", "position", "id"]
        indexes = [models.Index(fields=["unit", "position"])]
        constraints = [
            models.UniqueConstraint(fields=["course", "content_id"], name="courses_block_unique_content"),
        ]

    def __str__(self) -> str:
        return self.title or self.type


class Asset(BaseModel):
    """An uploaded media file (video, poster, subtitles, document, image) that blocks refer to by id.

    Assets are never changed once stored: a copied block refers to the same asset, so copying a course copies
    no file, and removing a block removes none (a published version may still show it).
    """

    course = models.ForeignKey(
        Course, null=True, on_delete=models.SET_NULL, related_name="assets", verbose_name=_("上传到的课程")
    )
    file = models.FileField(_("文件"), upload_to="courses/%Y/%m/", max_length=200)
    name = models.CharField(_("原文件名"), max_length=200)
    mime_type = models.CharField(_("文件类型"), max_length=100)
    size_bytes = models.PositiveBigIntegerField(_("大小（字节）"), default=0)
    duration_seconds = models.PositiveIntegerField(_("时长（秒）"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("上传者")
    )

    class Meta:
        verbose_name = _("媒体文件")
        verbose_name_plural = _("媒体文件")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class CourseVersion(models.Model):
    """A published version: the whole tree frozen as one document, numbered, with who published it and when."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="versions", verbose_name=_("课程"))
    number = models.PositiveIntegerField(_("版本号"))
    revision = models.PositiveIntegerField(_("草稿修订号"))
    outline = models.JSONField(_("内容"))
    block_count = models.PositiveIntegerField(_("内容块数"), default=0)
    note = models.CharField(_("发布说明"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("发布时间"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("发布人")
    )

    class Meta:
        verbose_name = _("发布版本")
        verbose_name_plural = _("发布版本")
        ordering = ["course", "-number"]
        constraints = [models.UniqueConstraint(fields=["course", "number"], name="courses_version_unique_number")]

    def __str__(self) -> str:
        return f"{self.course_id} v{self.number}"


class Run(BaseModel):
    """One offering of a course (开课 / 学期) with its own dates: open to anyone, or a SPOC for one university.

    Learners of a run read the course's published version; their progress is kept per block ``content_id``.
    """

    class Kind(models.TextChoices):
        OPEN = "open", _("公开课（MOOC）")
        SPOC = "spoc", _("校内课（SPOC）")

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="runs", verbose_name=_("课程"))
    title = models.CharField(_("名称"), max_length=60, help_text=_("如“2026 秋季学期”"))
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices, default=Kind.OPEN)
    university = models.ForeignKey(
        "orgs.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="course_runs",
        verbose_name=_("限本校学生"),
    )
    join_code = models.CharField(_("选课码"), max_length=16, blank=True)
    enrol_opens_at = models.DateTimeField(_("选课开始"))
    enrol_closes_at = models.DateTimeField(_("选课截止"))
    starts_at = models.DateTimeField(_("开课时间"))
    ends_at = models.DateTimeField(_("结课时间"))
    # The certificate rule until #10's grades: the share of the course's blocks a learner completed.
    certificate_completion = models.DecimalField(
        _("获得证书所需完成比例"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.800"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    # Weights, pass lines and unlock rules as data; assessments (#10) fill it in.
    grading_policy = models.JSONField(_("成绩规则"), default=dict, blank=True)
    enrolment_count = models.PositiveIntegerField(_("选课人数"), default=0, editable=False)
    certificates_issued_at = models.DateTimeField(_("证书发放时间"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("开课")
        verbose_name_plural = _("开课")
        ordering = ["course", "-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(enrol_closes_at__gt=models.F("enrol_opens_at")), name="courses_run_enrol_window"
            ),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="courses_run_dates"),
            models.CheckConstraint(
                condition=Q(kind="open") | Q(university__isnull=False), name="courses_run_spoc_has_university"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course} · {self.title}"


class RunRelease(BaseModel):
    """When a chapter of a run opens to its learners (章节发布计划); a chapter without one opens when the run starts.
    Keyed on the chapter's ``content_id``, so the schedule survives new published versions."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="releases", verbose_name=_("开课"))
    content_id = models.UUIDField(_("章的内容标识"))
    opens_at = models.DateTimeField(_("开放时间"))

    class Meta:
        verbose_name = _("章节发布时间")
        verbose_name_plural = _("章节发布时间")
        ordering = ["run", "opens_at"]
        constraints = [models.UniqueConstraint(fields=["run", "content_id"], name="courses_release_unique")]

    def __str__(self) -> str:
        return f"{self.run} · {self.content_id} @ {self.opens_at:%Y-%m-%d %H:%M}"


class RunStaff(BaseModel):
    """A teacher of one run (开课团队): its lead teacher, teachers and teaching assistants. The course's team writes
    the content; a run's staff teach it (announcements, roster, learners' progress)."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="staff", verbose_name=_("开课"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="run_roles", verbose_name=_("成员")
    )
    role = models.CharField(_("角色"), max_length=16, choices=TeamRole.choices)

    class Meta:
        verbose_name = _("开课教学团队成员")
        verbose_name_plural = _("开课教学团队成员")
        ordering = ["run", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["run", "user"], name="courses_run_staff_unique")]

    def __str__(self) -> str:
        return f"{self.run} · {self.user} ({self.get_role_display()})"


class RosterEntry(BaseModel):
    """One student on a SPOC run's roster (选课名单), imported by its staff; a student of the run's university whose
    student number and name match joins without the join code."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="roster", verbose_name=_("开课"))
    student_number = models.CharField(_("学号"), max_length=32)
    name = models.CharField(_("姓名"), max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("对应账号"),
    )

    class Meta:
        verbose_name = _("选课名单")
        verbose_name_plural = _("选课名单")
        ordering = ["run", "student_number"]
        constraints = [models.UniqueConstraint(fields=["run", "student_number"], name="courses_roster_unique")]

    def __str__(self) -> str:
        return f"{self.run} · {self.student_number} {self.name}"


class Enrolment(BaseModel):
    """A learner in a run. ``completion`` (the share of the course's blocks completed) and the last unit studied
    are kept by the progress service, so 我的课程 and "continue where I left off" read one row per course."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("开课"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_enrolments", verbose_name=_("学习者")
    )
    completion = models.DecimalField(_("完成比例"), max_digits=4, decimal_places=3, default=Decimal("0"))
    last_unit = models.UUIDField(_("最近学习的单元"), null=True, blank=True)
    last_studied_at = models.DateTimeField(_("最近学习时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("选课")
        verbose_name_plural = _("选课")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["run", "user"], name="courses_enrolment_unique")]
        indexes = [models.Index(fields=["user", "-last_studied_at"], name="courses_enrolment_recent")]

    def __str__(self) -> str:
        return f"{self.user} → {self.run}"


class BlockProgress(BaseModel):
    """A learner's progress on one piece of content, keyed on its ``content_id``: it follows the content into new
    versions and copies (Kolibri keeps its content logs the same way)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="block_progress", verbose_name=_("学习者")
    )
    content_id = models.UUIDField(_("内容标识"))
    run = models.ForeignKey(
        Run, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("最近学习的开课")
    )
    position_seconds = models.PositiveIntegerField(_("播放位置（秒）"), default=0)
    watched = models.DecimalField(_("已看比例"), max_digits=4, decimal_places=3, default=0)
    opened = models.BooleanField(_("已打开"), default=False)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("学习进度")
        verbose_name_plural = _("学习进度")
        constraints = [models.UniqueConstraint(fields=["user", "content_id"], name="courses_progress_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.content_id}"

    def state(self) -> dict[str, object]:
        return {"position": self.position_seconds, "watched": float(self.watched), "opened": self.opened}


class Rating(BaseModel):
    """A learner's rating of a course (1–5 stars with a comment), one per learner, after some progress."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("课程"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_ratings", verbose_name=_("学习者")
    )
    stars = models.PositiveSmallIntegerField(
        _("评分"), validators=[MinValueValidator(1), MaxValueValidator(5)], help_text=_("1 至 5 星")
    )
    comment = models.TextField(_("评语"), blank=True, max_length=1000)

    class Meta:
        verbose_name = _("课程评价")
        verbose_name_plural = _("课程评价")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["course", "user"], name="courses_rating_unique"),
            models.CheckConstraint(condition=Q(stars__gte=1, stars__lte=5), name="courses_rating_stars"),
        ]

    def __str__(self) -> str:
        return f"{self.course} · {self.stars}"


class Announcement(BaseModel):
    """A message from a run's teaching team to its learners (课程公告), also sent to them as a notification."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="announcements", verbose_name=_("开课"))
    title = models.CharField(_("标题"), max_length=120)
    body = models.TextField(_("正文"), max_length=5000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("发布人")
    )

    class Meta:
        verbose_name = _("课程公告")
        verbose_name_plural = _("课程公告")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Certificate(BaseModel):
    """A learner who met a run's rule when it ended. The signed credential (PDF and VC-JWT, checkable at
    ``/verify/<code>``) is issued through the credentials app once the learner has a real-name identity; until
    then the certificate waits, and the learner is told how to complete it."""

    class Status(models.TextChoices):
        AWAITING_IDENTITY = "awaiting_identity", _("待完成实名认证")
        ISSUED = "issued", _("已发放")

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="certificates", verbose_name=_("开课"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_certificates", verbose_name=_("学习者")
    )
    completion = models.DecimalField(_("完成比例"), max_digits=4, decimal_places=3)
    # The grade level when the run's policy graded anything (合格 / 优秀), blank when only completion counted.
    level = models.CharField(_("成绩等级"), max_length=16, blank=True)
    percent = models.DecimalField(_("总评成绩"), max_digits=5, decimal_places=2, null=True, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.AWAITING_IDENTITY)
    credential = models.OneToOneField(
        "credentials.Credential",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="course_certificate",
        verbose_name=_("证书凭证"),
    )

    class Meta:
        verbose_name = _("课程证书")
        verbose_name_plural = _("课程证书")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["run", "user"], name="courses_certificate_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.run}"


class GradedItem(BaseModel):
    """An assessment a run grades (a quiz, homework, exam or discussion block, or anything else that reports
    scores), keyed on its ``content_id``: registered by its source ahead of time or by its first score, so a
    learner's grade knows what is still missing and the gradebook has its columns without scanning the scores."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="graded_items", verbose_name=_("开课"))
    content_id = models.UUIDField(_("内容标识"))
    category = models.CharField(_("成绩类别"), max_length=32)
    title = models.CharField(_("名称"), max_length=120, blank=True)
    possible = models.DecimalField(_("满分"), max_digits=7, decimal_places=2)

    class Meta:
        verbose_name = _("计分项")
        verbose_name_plural = _("计分项")
        ordering = ["run", "category", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "content_id"], name="courses_graded_item_unique"),
            models.CheckConstraint(condition=Q(possible__gt=0), name="courses_graded_item_possible"),
        ]

    def __str__(self) -> str:
        return self.title or str(self.content_id)


class Score(BaseModel):
    """One learner's score on one assessment of a run, as its source last reported it (an attempt graded, a
    discussion counted) or as the teaching team overrode it. ``earned`` is what counts; ``source_earned`` keeps what
    the source said, so a later report never undoes a teacher's override."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="scores", verbose_name=_("开课"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_scores", verbose_name=_("学习者")
    )
    content_id = models.UUIDField(_("内容标识"))
    category = models.CharField(_("成绩类别"), max_length=32)
    earned = models.DecimalField(_("得分"), max_digits=7, decimal_places=2)
    possible = models.DecimalField(_("满分"), max_digits=7, decimal_places=2)
    source = models.CharField(_("来源"), max_length=32)
    source_earned = models.DecimalField(_("来源给出的得分"), max_digits=7, decimal_places=2)
    graded_at = models.DateTimeField(_("评分时间"))
    overridden = models.BooleanField(_("已人工调整"), default=False)
    override_reason = models.CharField(_("调整理由"), max_length=200, blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("调整人"),
    )

    class Meta:
        verbose_name = _("测评得分")
        verbose_name_plural = _("测评得分")
        ordering = ["run", "user", "content_id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "user", "content_id"], name="courses_score_unique"),
            models.CheckConstraint(
                condition=Q(possible__gt=0, earned__gte=0, earned__lte=models.F("possible")),
                name="courses_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.content_id}: {self.earned}/{self.possible}"


class CourseGrade(BaseModel):
    """A learner's course grade in a run, kept by the grading services as scores arrive (never computed on a page
    view): the percentage, each category's detail (percentage, weight, what counts, what was dropped, what is
    missing) and the level against the pass lines."""

    class Level(models.TextChoices):
        FAIL = "fail", _("未合格")
        PASS = "pass", _("合格")
        EXCELLENT = "excellent", _("优秀")

    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="grade", verbose_name=_("选课"))
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="grades", verbose_name=_("开课"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_grades", verbose_name=_("学习者")
    )
    percent = models.DecimalField(_("总评成绩"), max_digits=5, decimal_places=2, default=Decimal("0"))
    categories = models.JSONField(_("各类别成绩"), default=dict, blank=True)
    level = models.CharField(_("等级"), max_length=16, choices=Level.choices, default=Level.FAIL)
    scored = models.PositiveIntegerField(_("已计分项数"), default=0)

    class Meta:
        verbose_name = _("课程成绩")
        verbose_name_plural = _("课程成绩")
        ordering = ["run", "-percent", "id"]
        indexes = [models.Index(fields=["run", "level", "-percent"], name="courses_grade_level")]
        constraints = [models.UniqueConstraint(fields=["run", "user"], name="courses_grade_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.run_id}: {self.percent}"


class Regrade(BaseModel):
    """One recomputation of every grade of a run (after its policy changed, or an assessment was added), run by
    the worker; the run's page shows the latest."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="regrades", verbose_name=_("开课"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    reason = models.CharField(_("原因"), max_length=40, blank=True)
    learners = models.PositiveIntegerField(_("重算人数"), default=0)
    seconds = models.DecimalField(_("用时（秒）"), max_digits=8, decimal_places=2, null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("发起人"),
    )

    class Meta:
        verbose_name = _("成绩重算")
        verbose_name_plural = _("成绩重算")
        ordering = ["run", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.run_id} · {self.get_status_display()}"
