"""The credentials kernel: certificates the platform signed (exam scores, foreign-degree authentications, academic
verification reports …) and their revocations. Products issue through ``services.credential_issue`` and keep
their own records (``hall.records`` keeps the reports' academic records, ``hall.exams`` the scores).

Every verifiable thing the kernel signs has one ``Credential`` row with a public code, so ``/verify/<code>`` is one
indexed query.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhijiao.core.fields import EncryptedTextField
from zhijiao.core.models import BaseModel

from .codes import CODE_LENGTH, format_code


class Credential(BaseModel):
    """A certificate the platform signed (VC-JWT) for a holder, verifiable online by code and offline by key."""

    class Kind(models.TextChoices):
        EXAM_SCORE = "exam_score", _("考试成绩证书")
        FOREIGN_DEGREE = "foreign_degree", _("国（境）外学历学位认证书")
        ACADEMIC = "academic", _("学历学位证明")
        COURSE = "course", _("课程证书")

    kind = models.CharField(_("类别"), max_length=24, choices=Kind.choices, db_index=True)
    source_key = models.CharField(_("来源"), max_length=120, unique=True)
    code = models.CharField(_("验证码"), max_length=CODE_LENGTH, unique=True)
    holder_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("持有人账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="credentials",
    )
    holder_name = models.CharField(_("持有人姓名"), max_length=50)
    holder_id_number = EncryptedTextField(_("身份证号码（密文）"), context="credentials.credential.holder_id_number")
    holder_id_index = models.CharField(_("身份证号码索引"), max_length=64, db_index=True, editable=False)
    holder_id_masked = models.CharField(_("身份证号码"), max_length=18, editable=False)
    title = models.CharField(_("名称"), max_length=120)
    # Ordered display fields as [[name, value], …]: JSON objects lose their key order in PostgreSQL's jsonb.
    claims = models.JSONField(_("内容"), default=list, blank=True)
    issuer_name = models.CharField(_("颁发机构"), max_length=120)
    issuer_organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("颁发单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_on = models.DateField(_("颁发日期"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    jwt = models.TextField(_("签名凭证（VC-JWT）"), editable=False)

    class Meta:
        verbose_name = _("电子证书")
        verbose_name_plural = _("电子证书")
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["holder_user", "-issued_on"])]

    def __str__(self) -> str:
        return f"{self.title} · {self.holder_id_masked}"

    @property
    def code_display(self) -> str:
        return format_code(self.code)

    @property
    def claim_items(self) -> list[tuple[str, str]]:
        return [(str(name), str(value)) for name, value in self.claims or []]

    def revocation_or_none(self) -> CredentialRevocation | None:
        try:
            return self.revocation
        except CredentialRevocation.DoesNotExist:
            return None

    @property
    def revoked_at(self) -> Any:
        revocation = self.revocation_or_none()
        return revocation.revoked_at if revocation else None

    @property
    def is_revoked(self) -> bool:
        return self.revocation_or_none() is not None

    def is_expired(self, on: date | None = None) -> bool:
        return self.valid_until is not None and self.valid_until < (on or timezone.localdate())

    def is_valid(self, on: date | None = None) -> bool:
        return not self.is_revoked and not self.is_expired(on)


class CredentialRevocation(models.Model):
    """Why and by whom a credential stopped being valid; a credential is revoked at most once."""

    credential = models.OneToOneField(
        Credential, on_delete=models.CASCADE, related_name="revocation", verbose_name=_("证书")
    )
    reason = models.CharField(_("撤销原因"), max_length=200)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("撤销人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("撤销时间"), default=timezone.now)

    class Meta:
        verbose_name = _("证书撤销记录")
        verbose_name_plural = _("证书撤销记录")

    def __str__(self) -> str:
        return f"{self.credential_id} {self.reason}"
