"""The question bank (the Moodle pattern): a ``Question`` is a stable identity in a course's bank; what it says
lives in numbered ``QuestionVersion`` rows. Editing a question adds a version; a version is never changed, so an
assessment (and later every attempt) pins the exact version it used, and a question edited during a live exam
changes no running attempt.

The question's current type, difficulty, tags and knowledge points are copied onto ``Question`` when a version is
added: the bank page filters on them with plain indexed columns (SQLite has no JSON containment), and the version
keeps the truth.
"""

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhijiao.core.models import BaseModel


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
