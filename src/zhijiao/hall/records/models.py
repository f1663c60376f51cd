"""Academic records (学籍/学历/学位) universities register for a person, and the online verification reports
(在线验证报告) holders make of them.

The tables keep the names they had when these models lived in the credentials app (``credentials_academicrecord``,
``credentials_verificationreport``): the move was a change of the code only (see ``migrations/0001_initial.py``).
A report's code, validity and revocation live on the signed ``credentials.Credential`` it carries.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhijiao.core.fields import EncryptedTextField
from zhijiao.core.models import BaseModel


class Level(models.TextChoices):
    """培养层次."""

    ASSOCIATE = "associate", _("专科")
    BACHELOR = "bachelor", _("本科")
    MASTER = "master", _("硕士研究生")
    DOCTOR = "doctor", _("博士研究生")


class RecordType(models.TextChoices):
    STUDENT_STATUS = "status", _("学籍")
    QUALIFICATION = "qualification", _("学历")
    DEGREE = "degree", _("学位")


class RecordStatus(models.TextChoices):
    ENROLLED = "enrolled", _("在籍")
    SUSPENDED = "suspended", _("休学")
    DROPPED = "dropped", _("退学")
    GRADUATED = "graduated", _("毕业")
    COMPLETED = "completed", _("结业")
    INCOMPLETE = "incomplete", _("肄业")
    AWARDED = "awarded", _("授予")


# Which statuses each kind of record can have.
STATUSES_BY_TYPE: dict[str, set[str]] = {
    RecordType.STUDENT_STATUS: {
        RecordStatus.ENROLLED,
        RecordStatus.SUSPENDED,
        RecordStatus.DROPPED,
        RecordStatus.GRADUATED,
        RecordStatus.COMPLETED,
        RecordStatus.INCOMPLETE,
    },
    RecordType.QUALIFICATION: {RecordStatus.GRADUATED, RecordStatus.COMPLETED, RecordStatus.INCOMPLETE},
    RecordType.DEGREE: {RecordStatus.AWARDED},
}
# Statuses without an end date yet (the student is still there).
OPEN_STATUSES = {RecordStatus.ENROLLED, RecordStatus.SUSPENDED}


class AcademicRecord(BaseModel):
    """One student-status, qualification or degree record a university registered for a person."""

    holder_name = models.CharField(_("姓名"), max_length=50)
    id_number = EncryptedTextField(_("身份证号码（密文）"), context="credentials.academicrecord.id_number")
    id_number_index = models.CharField(_("身份证号码索引"), max_length=64, db_index=True, editable=False)
    id_number_masked = models.CharField(_("身份证号码"), max_length=18, editable=False)
    university = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="academic_records", verbose_name=_("院校")
    )
    programme = models.CharField(_("专业"), max_length=80)
    level = models.CharField(_("层次"), max_length=16, choices=Level.choices)
    record_type = models.CharField(_("类型"), max_length=16, choices=RecordType.choices)
    entry_date = models.DateField(_("入学日期"))
    end_date = models.DateField(_("毕业（结业、授予）日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=RecordStatus.choices)
    certificate_number = models.CharField(_("证书编号"), max_length=40, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        db_table = "credentials_academicrecord"
        verbose_name = _("学籍学历学位记录")
        verbose_name_plural = _("学籍学历学位记录")
        ordering = ["record_type", "-entry_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "certificate_number"],
                condition=~Q(certificate_number=""),
                name="credentials_record_unique_certificate",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("entry_date")),
                name="credentials_record_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_record_type_display()} · {self.university_id} · {self.id_number_masked}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list[Any]] = {}
        if self.status and self.record_type and self.status not in STATUSES_BY_TYPE.get(self.record_type, set()):
            errors["status"] = [_("该状态不适用于此类记录")]
        if self.record_type == RecordType.DEGREE and self.level == Level.ASSOCIATE:
            errors["level"] = [_("专科层次没有学位")]
        if self.end_date and self.entry_date and self.end_date < self.entry_date:
            errors["end_date"] = [_("毕业（授予）日期不能早于入学日期")]
        if self.status and self.status not in OPEN_STATUSES and not self.end_date:
            errors["end_date"] = [_("请填写毕业（结业、授予）日期")]
        if self.record_type in (RecordType.QUALIFICATION, RecordType.DEGREE) and not self.certificate_number:
            errors["certificate_number"] = [_("学历和学位记录必须有证书编号")]
        if errors:
            raise ValidationError(errors)


class VerificationReport(BaseModel):
    """An online verification report (在线验证报告) a holder made of one record, valid for the days they chose.

    Its code, validity and revocation live on the signed credential it carries (kind ACADEMIC)."""

    class Days(models.IntegerChoices):
        D30 = 30, _("30 天")
        D90 = 90, _("90 天")
        D180 = 180, _("180 天")

    record = models.ForeignKey(AcademicRecord, on_delete=models.PROTECT, related_name="reports", verbose_name=_("记录"))
    holder_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="verification_reports",
        verbose_name=_("持有人"),
    )
    credential = models.OneToOneField(
        "credentials.Credential", on_delete=models.PROTECT, related_name="report", verbose_name=_("签名凭证")
    )
    days = models.PositiveSmallIntegerField(_("有效天数"), choices=Days.choices)

    class Meta:
        db_table = "credentials_verificationreport"
        verbose_name = _("在线验证报告")
        verbose_name_plural = _("在线验证报告")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["holder_user", "-created_at"])]

    def __str__(self) -> str:
        # Never the code: it is a bearer secret and this text ends up in logs.
        return f"{self._meta.verbose_name} #{self.pk}"

    @property
    def code(self) -> str:
        return self.credential.code

    @property
    def code_display(self) -> str:
        return self.credential.code_display

    @property
    def expires_on(self) -> date | None:
        return self.credential.valid_until

    @property
    def state(self) -> str:
        if self.credential.is_revoked:
            return "revoked"
        if self.credential.is_expired():
            return "expired"
        return "active"
