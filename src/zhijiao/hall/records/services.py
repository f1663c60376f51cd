"""Writes of the academic records: universities' imports and the holders' verification reports.

A report is a credential the kernel signs (kind ``academic``) plus the row saying which record it shows; its code,
validity and revocation live on that credential, so ``/verify/<code>`` finds it with the kernel's own lookup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijiao.accounts.selectors import require_real_name
from zhijiao.core.actors import Actor, Origin, signed_in
from zhijiao.core.audit import audit_actions
from zhijiao.core.crypto import blind_index
from zhijiao.core.errors import DomainError, NotFound
from zhijiao.core.masking import mask_id_number
from zhijiao.core.services import audit_record
from zhijiao.credentials import selectors as credential_selectors
from zhijiao.credentials import services as credential_services
from zhijiao.credentials.codes import new_code
from zhijiao.credentials.models import Credential
from zhijiao.credentials.selectors import Authority, authority
from zhijiao.orgs.models import Organization

from . import selectors
from .imports import ImportError_, RowError, parse_records, validate_rows
from .models import AcademicRecord, VerificationReport

# What the audit log calls the actions recorded here.
AUDIT_ACTIONS = audit_actions(
    {
        "credentials.records_import": gettext_lazy("导入学籍学历学位记录"),
        "credentials.report_create": gettext_lazy("生成在线验证报告"),
        "credentials.report_extend": gettext_lazy("延长在线验证报告有效期"),
        "credentials.report_revoke": gettext_lazy("撤销在线验证报告"),
    }
)


ID_NUMBER_CONTEXT = credential_selectors.ID_NUMBER_CONTEXT
# A report can be extended, but never reach further than this from today.
MAX_REPORT_DAYS = 365


# --- Importing academic records ----------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import did: every bad row with its line and reasons, or how many records landed."""

    total: int = 0
    created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "created": self.created,
            "errors": [error.as_dict() for error in self.errors],
        }


@transaction.atomic
def records_import(
    *,
    actor: Actor,
    university_id: int,
    data: bytes,
    filename: str,
    origin: Origin | None = None,
) -> ImportReport:
    """A university's registrar imports records from Excel/CSV: all rows land, or (with any bad row) none."""
    university = Organization.objects.filter(pk=university_id, is_active=True).first()
    if university is None or not selectors.can_import_records(actor, university):
        raise PermissionDenied(_("只有该院校的学籍学历管理人员可以导入记录"))
    try:
        rows = parse_records(data, filename=filename)
    except ImportError_ as exc:
        raise ValidationError({"file": [str(exc)]}) from exc
    report = ImportReport(total=len(rows))
    if not rows:
        raise ValidationError({"file": [_("文件中没有数据行")]})
    good, errors = validate_rows(rows, taken=_taken_certificates(rows))
    report.errors = errors
    if errors:
        audit_record(
            action="credentials.records_import",
            actor=actor,
            obj=university,
            result="failure",
            detail={"filename": filename[:100], "rows": len(rows), "bad_rows": len(errors)},
            origin=origin,
        )
        return report
    records = [
        AcademicRecord(
            holder_name=row.holder_name,
            id_number=row.id_number,
            id_number_index=blind_index(row.id_number, context=ID_NUMBER_CONTEXT),
            id_number_masked=mask_id_number(row.id_number),
            university=university,
            programme=row.programme,
            level=row.level,
            record_type=row.record_type,
            entry_date=row.entry_date,
            end_date=row.end_date,
            status=row.status,
            certificate_number=row.certificate_number,
            imported_by=actor if signed_in(actor) else None,
        )
        for row in good
    ]
    try:
        with transaction.atomic():
            AcademicRecord.objects.bulk_create(records, batch_size=2000)
    except IntegrityError as exc:
        # A certificate number registered by someone else between our check and our write.
        raise DomainError("duplicate_certificate", _("证书编号与已有记录重复，未导入任何记录"), status=409) from exc
    report.created = len(records)
    audit_record(
        action="credentials.records_import",
        actor=actor,
        obj=university,
        detail={"filename": filename[:100], "rows": len(rows), "created": len(records)},
        origin=origin,
    )
    return report


def _taken_certificates(rows: list[tuple[int, dict[str, Any]]]) -> set[tuple[str, str]]:
    """(record type, certificate number) pairs of the file that already exist, in one query per 2,000 numbers."""
    numbers = sorted({str(row.get("certificate_number") or "").strip() for _, row in rows} - {""})
    taken: set[tuple[str, str]] = set()
    for start in range(0, len(numbers), 2000):
        chunk = numbers[start : start + 2000]
        taken.update(
            AcademicRecord.objects.filter(certificate_number__in=chunk).values_list("record_type", "certificate_number")
        )
    return taken


# --- Verification reports ----------------------------------------------------------------------------------


def _check_days(days: int) -> int:
    if days not in VerificationReport.Days.values:
        raise ValidationError({"days": [_("有效期只能选择 30、90 或 180 天")]})
    return int(days)


def record_claims(record: AcademicRecord) -> dict[str, str]:
    """What a verification report of a record states: the record's facts, worded when the report is made."""
    claims = {
        str(_("院校")): record.university.name,
        str(_("类型")): record.get_record_type_display(),
        str(_("专业")): record.programme,
        str(_("层次")): record.get_level_display(),
        str(_("入学日期")): record.entry_date.isoformat(),
    }
    if record.end_date:
        claims[str(_("毕业（结业、授予）日期"))] = record.end_date.isoformat()
    claims[str(_("状态"))] = record.get_status_display()
    if record.certificate_number:
        claims[str(_("证书编号"))] = record.certificate_number
    return claims


DOCUMENT_LANGUAGE = "zh-hans"


def issuer_of(record_type: str) -> Authority:
    """The authority that issues a kind of report (``settings.ISSUING_AUTHORITIES["records.<type>"]``)."""
    return authority(f"records.{record_type}")


REPORT_TITLES = {
    "status": "教育部学籍在线验证报告",
    "qualification": "教育部学历证书电子注册备案表",
    "degree": "中国高等教育学位在线验证报告",
}


@transaction.atomic
def report_create(
    *, actor: Actor, record_id: int, days: int, origin: Origin | None = None, code: str | None = None
) -> VerificationReport:
    """A holder makes an online verification report of one of their records, valid for 30, 90 or 180 days.

    ``code`` is only for reproducible demo data; everything else gets a fresh code from ``secrets``."""
    if not signed_in(actor):
        raise NotFound
    holder = require_real_name(actor, _("验证报告载明您的真实姓名和身份证号码，请先完成实名认证"))
    record = selectors.access_record(actor=actor, record_id=record_id)
    days = _check_days(days)
    today = timezone.localdate()
    code = code or new_code()
    with translation.override(DOCUMENT_LANGUAGE):  # an official document: in Chinese whoever asks
        claims = record_claims(record)
    credential = credential_services.credential_issue(
        kind=Credential.Kind.ACADEMIC,
        source_key=f"credentials.report:{code}",
        code=code,
        holder_user=actor,
        # The record matched this identity by name and ID number (selectors.records_of): the identity names it.
        holder_name=holder.name,
        holder_id_number=holder.id_number,
        title=REPORT_TITLES.get(record.record_type, "学历学位在线验证报告"),
        claims=claims,
        issuer_name=issuer_of(record.record_type).name,
        # The university keeps the right to revoke what its records back (credentials.can_revoke_credential).
        issuer_organization=record.university,
        issued_on=today,
        valid_until=today + timedelta(days=days),
    )
    report = VerificationReport(record=record, holder_user=actor, credential=credential, days=days)
    report.full_clean()
    report.save()
    audit_record(
        action="credentials.report_create",
        actor=actor,
        obj=report,
        object_repr=record.id_number_masked,
        detail={"record_id": record.pk, "days": days},
        origin=origin,
    )
    return report


@transaction.atomic
def report_extend(*, actor: Actor, report_id: int, days: int, origin: Origin | None = None) -> VerificationReport:
    """The holder extends a report's validity by 30, 90 or 180 days (from today if it already lapsed)."""
    report = selectors.access_report(actor=actor, report_id=report_id)
    days = _check_days(days)
    credential = credential_selectors.credential_for_update(credential_id=report.credential_id)
    if credential.is_revoked:
        raise DomainError("report_revoked", _("已撤销的验证报告不能延期"), status=409)
    today = timezone.localdate()
    start = max(today, credential.valid_until or today)
    new_end = start + timedelta(days=days)
    if new_end > today + timedelta(days=MAX_REPORT_DAYS):
        raise DomainError(
            "too_long",
            _("验证报告的有效期最长到今天起 %(days)d 天") % {"days": MAX_REPORT_DAYS},
            fields={"days": [_("请选择较短的延长天数")]},
            status=422,
        )
    report.credential = credential_services.credential_set_valid_until(credential=credential, valid_until=new_end)
    report.days = days
    report.save(update_fields=["days", "updated_at"])
    audit_record(
        action="credentials.report_extend",
        actor=actor,
        obj=report,
        detail={"days": days, "valid_until": new_end.isoformat()},
        origin=origin,
    )
    return report


@transaction.atomic
def report_revoke(
    *, actor: Actor, report_id: int, reason: str = "", origin: Origin | None = None
) -> VerificationReport:
    """The holder withdraws a report: its code stops verifying at once and looks like any unknown code."""
    report = selectors.access_report(actor=actor, report_id=report_id)
    credential = credential_selectors.credential_for_update(credential_id=report.credential_id)
    text = " ".join((reason or "").split())[:200] or _("持有人撤销")
    credential_services.revocation_create(credential=credential, actor=actor, reason=text)
    report.credential = credential
    audit_record(action="credentials.report_revoke", actor=actor, obj=report, detail={"reason": text}, origin=origin)
    return report
