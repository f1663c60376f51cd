"""Study-abroad applications: one generic application per service, its documents and its status history.

The four services (foreign degree authentication, government-sponsored dispatch, self-funded archiving, returnee
registration) differ only in their fields, documents and allowed transitions, which :mod:`.workflow` describes;
the tables are shared. Service-specific fields live in ``Application.data`` (JSON), always validated by the
service's form (:mod:`.forms`) before they are saved.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhijiao.core.models import BaseModel
from zhijiao.core.uploads import private_storage


class Service(models.TextChoices):
    DEGREE = "degree", _("国（境）外学历学位认证")
    DISPATCH = "dispatch", _("公派留学人员派出")
    ARCHIVE = "archive", _("自费留学人员存档")
    RETURNEE = "returnee", _("留学人员回国")


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    RECEIVED = "received", _("已受理")
    MORE_DOCUMENTS = "more_documents", _("待补充材料")
    CONFIRMED = "confirmed", _("选派资格已确认，待派出登记")
    DEPARTURE_SUBMITTED = "departure_submitted", _("已提交派出登记")
    REGISTERED = "registered", _("已登记")
    AUTHENTICATED = "authenticated", _("已认证")
    DISPATCHED = "dispatched", _("已派出")
    ARCHIVED = "archived", _("已存档")
    PLACED = "placed", _("已出具派遣函")
    REJECTED = "rejected", _("未通过")
    WITHDRAWN = "withdrawn", _("已撤回")


class Application(BaseModel):
    """Somebody's application for one study-abroad service, from draft to decision."""

    Service = Service
    Status = Status

    service = models.CharField(_("服务事项"), max_length=16, choices=Service.choices)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="abroad_applications",
        verbose_name=_("申请人"),
    )
    # The name the officer sees and searches by: the real name when the applicant has one, else the nickname.
    applicant_name = models.CharField(_("申请人姓名"), max_length=50, db_index=True)
    status = models.CharField(_("状态"), max_length=24, choices=Status.choices, default=Status.DRAFT)
    stage = models.PositiveSmallIntegerField(
        _("阶段"), default=1, help_text=_("公派派出分两个阶段：选派资格（1）与派出前登记（2）。")
    )
    data = models.JSONField(_("申请信息"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("经办人"),
    )
    decision_reason = models.TextField(_("办理意见"), blank=True, max_length=1000)

    class Meta:
        verbose_name = _("留学服务申请")
        verbose_name_plural = _("留学服务申请")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "service", "submitted_at"], name="abroad_app_queue"),
            models.Index(fields=["applicant", "-created_at"], name="abroad_app_mine"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.get_service_display()} {self.applicant_name}"

    @property
    def reference(self) -> str:
        """The number an applicant quotes on the phone: LX + six digits."""
        return f"LX{self.pk or 0:06d}"

    def get_absolute_url(self) -> str:
        return reverse("abroad:application_detail", args=[self.pk])


def document_path(instance: Document, filename: str) -> str:
    """A random name under the month; the original name is kept in the row, never in the path."""
    extension = PurePosixPath(filename).suffix.lower()[:8]
    return f"abroad/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


class Document(BaseModel):
    """One file an applicant uploaded for an application; an officer marks it checked."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="documents", verbose_name=_("申请")
    )
    kind = models.CharField(_("材料类型"), max_length=32)
    stage = models.PositiveSmallIntegerField(_("阶段"), default=1)
    file = models.FileField(_("文件"), upload_to=document_path, storage=private_storage, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=40)
    size = models.PositiveIntegerField(_("大小（字节）"))
    checked = models.BooleanField(_("已核验"), default=False)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("核验人"),
    )
    checked_at = models.DateTimeField(_("核验时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["stage", "kind", "id"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("abroad:document_download", args=[self.application_id, self.pk])


class StatusChangeQuerySet(models.QuerySet["StatusChange"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("status history cannot be changed")


class StatusChange(models.Model):
    """One step in an application's life (who, when, from → to, note); rows are only ever added."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="history", verbose_name=_("申请")
    )
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_label = models.CharField(_("操作人"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=32)
    from_status = models.CharField(_("原状态"), max_length=24, choices=Status.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=24, choices=Status.choices)
    note = models.TextField(_("说明"), blank=True, max_length=1000)

    objects: ClassVar[models.Manager[StatusChange]] = StatusChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("状态记录")
        verbose_name_plural = _("状态记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        before = f"{self.get_from_status_display()} " if self.from_status else ""
        return f"{self.at:%Y-%m-%d %H:%M} {before}→ {self.get_to_status_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("status history cannot be changed")
        super().save(*args, **kwargs)

    @property
    def action_label(self) -> str:
        """The step in words: an applicant's or officer's action, or the application being started."""
        from .workflow import Action

        if self.action == "create":
            return str(_("创建申请"))
        return str(Action(self.action).label) if self.action in Action.values else self.action
