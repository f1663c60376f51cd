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
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhijiao.core.models import BaseModel


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


class Course(BaseModel):
    """A course as its teaching team writes it: a draft tree, and the versions published from it."""

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

    class Meta:
        verbose_name = _("课程")
        verbose_name_plural = _("课程")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

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


class Enrolment(BaseModel):
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("开课"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_enrolments", verbose_name=_("学习者")
    )

    class Meta:
        verbose_name = _("选课")
        verbose_name_plural = _("选课")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["run", "user"], name="courses_enrolment_unique")]

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
