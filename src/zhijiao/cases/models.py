"""The professional-degree case library: cases, their authors, member universities, usage by day and teachers'
case collections (案例集)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhijiao.core.models import BaseModel
from zhijiao.core.platforms import Platform
from zhijiao.core.uploads import private_storage

from .categories import PROFESSIONAL_DEGREES, name_of


class CaseType(models.TextChoices):
    TEXT = "text", _("文字案例")
    VIDEO = "video", _("视频案例")
    MICRO = "micro", _("小微案例")
    SHORT_VIDEO = "short_video", _("短视频案例")


VIDEO_TYPES = frozenset({CaseType.VIDEO, CaseType.SHORT_VIDEO})


def case_file_path(instance: Case, filename: str) -> str:
    return f"cases/{instance.accession_no or 'new'}/{filename}"


class Case(BaseModel):
    """A teaching case that passed expert review and entered the library with its 入库编号."""

    class Status(models.TextChoices):
        PUBLISHED = "published", _("已入库")
        WITHDRAWN = "withdrawn", _("已下架")

    platform = Platform.HIGHER  # analytics counts a case's views for the higher-education platform

    category = models.CharField(
        _("专业学位类别"),
        max_length=4,
        choices=[(code, _(name)) for code, name in PROFESSIONAL_DEGREES],
        db_index=True,
    )
    field = models.CharField(_("领域/行业"), max_length=40, db_index=True)
    case_type = models.CharField(_("案例类型"), max_length=16, choices=CaseType.choices, db_index=True)
    title = models.CharField(_("标题"), max_length=200)
    abstract = models.TextField(_("摘要"), max_length=2000)
    keywords = models.JSONField(_("关键词"), default=list)
    applicable_courses = models.JSONField(_("适用课程"), default=list)
    knowledge_points = models.JSONField(_("知识点"), default=list)
    year = models.PositiveSmallIntegerField(_("年份"))
    body = models.TextField(_("案例正文（小微案例）"), blank=True, max_length=8000)
    full_text = models.FileField(
        _("案例正文 PDF"), upload_to=case_file_path, storage=private_storage, max_length=200, blank=True
    )
    teaching_note = models.FileField(
        _("教学指导手册"), upload_to=case_file_path, storage=private_storage, max_length=200, blank=True
    )
    video = models.FileField(_("视频"), upload_to=case_file_path, storage=private_storage, max_length=200, blank=True)
    accession_no = models.CharField(_("入库编号"), max_length=32, unique=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PUBLISHED)
    accepted_at = models.DateTimeField(_("入库时间"), db_index=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("申报人"),
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("申报单位"),
    )
    download_count = models.PositiveIntegerField(_("下载次数"), default=0)
    adoption_count = models.PositiveIntegerField(_("采用次数"), default=0)

    class Meta:
        verbose_name = _("案例")
        verbose_name_plural = _("案例")
        ordering: ClassVar[list[str]] = ["-accepted_at", "-id"]
        indexes = [
            models.Index(fields=["status", "category", "-accepted_at"], name="case_category_newest"),
            models.Index(fields=["status", "-accepted_at"], name="case_newest"),
            # The catalogue's "hot" order and the hot list's all-time fill (a full scan cost 10 ms at 4,500 cases).
            models.Index(fields=["status", "-adoption_count", "-download_count", "-id"], name="case_most_used"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.pk])

    @property
    def category_name(self) -> str:
        return name_of(self.category)

    @property
    def is_published(self) -> bool:
        """Whether the case is in the library (hot rankings and topics drop withdrawn ones)."""
        return self.status == self.Status.PUBLISHED

    @property
    def is_video(self) -> bool:
        return self.case_type in VIDEO_TYPES

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.case_type == CaseType.TEXT and not self.full_text:
            errors["full_text"] = _("文字案例须有案例正文 PDF")
        if self.case_type in VIDEO_TYPES and not self.video:
            errors["video"] = _("视频案例须有视频")
        if self.case_type == CaseType.MICRO and not self.body and not self.full_text:
            errors["body"] = _("小微案例须有案例正文")
        if errors:
            raise ValidationError(errors)


class CaseAuthor(models.Model):
    """An author of a case, in the order the case names them, with the university they wrote it at."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="authors", verbose_name=_("案例"))
    position = models.PositiveSmallIntegerField(_("排序"))
    name = models.CharField(_("姓名"), max_length=50)
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organization_name = models.CharField(_("单位"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("案例作者")
        verbose_name_plural = _("案例作者")
        ordering = ["case", "position"]
        constraints = [models.UniqueConstraint(fields=["case", "position"], name="case_author_position_unique")]

    def __str__(self) -> str:
        return self.name


class LibraryMember(BaseModel):
    """A university that subscribes to the case library: its teachers and students open full texts and videos."""

    organization = models.OneToOneField(
        "orgs.Organization", on_delete=models.CASCADE, related_name="+", verbose_name=_("成员单位")
    )
    joined_on = models.DateField(_("加入日期"))
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("案例库成员单位")
        verbose_name_plural = _("案例库成员单位")

    def __str__(self) -> str:
        return str(self.organization)


class CaseUsageDay(models.Model):
    """Downloads and adoptions of one case on one day (its views are analytics' page views)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="usage_days")
    day = models.DateField(_("日期"))
    downloads = models.PositiveIntegerField(_("下载"), default=0)
    adoptions = models.PositiveIntegerField(_("采用"), default=0)

    class Meta:
        verbose_name = _("案例每日使用")
        verbose_name_plural = _("案例每日使用")
        constraints = [models.UniqueConstraint(fields=["case", "day"], name="case_usage_day_unique")]
        indexes = [models.Index(fields=["day"], name="case_usage_day")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.day}"


class CaseCollection(BaseModel):
    """A teacher's 案例集: cases assembled for a class (a run of a course), in the teacher's order."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_collections", verbose_name=_("教师")
    )
    title = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True, max_length=2000)
    run = models.ForeignKey(
        "courses.Run",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("面向的班级（开课）"),
    )

    class Meta:
        verbose_name = _("案例集")
        verbose_name_plural = _("案例集")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cases:collection", args=[self.pk])


class CaseCollectionItem(models.Model):
    collection = models.ForeignKey(CaseCollection, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(_("排序"))
    note = models.CharField(_("教师提示"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("案例集条目")
        verbose_name_plural = _("案例集条目")
        ordering = ["collection", "position"]
        constraints = [models.UniqueConstraint(fields=["collection", "case"], name="case_collection_item_unique")]

    def __str__(self) -> str:
        return f"{self.collection_id}:{self.case_id}"
