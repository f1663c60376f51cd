"""Writes of the credentials app: issuing and revoking signed credentials, importing universities' records,
and the holders' verification reports."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijiao.core.crypto import blind_index
from zhijiao.core.errors import DomainError, NotFound
from zhijiao.core.identifiers import normalize_id_number
from zhijiao.core.masking import mask_id_number
from zhijiao.core.services import audit_record
from zhijiao.orgs.models import Organization

from . import selectors, vc
from .codes import new_code
from .imports import ImportError_, RowError, parse_records, validate_rows
from .models import AcademicRecord, Credential, CredentialRevocation, VerificationReport

ID_NUMBER_CONTEXT = selectors.ID_NUMBER_CONTEXT
VC_TYPES: dict[str, str] = {
    Credential.Kind.EXAM_SCORE: "ExamScoreCredential",
    Credential.Kind.FOREIGN_DEGREE: "ForeignDegreeAuthenticationCredential",
    Credential.Kind.ACADEMIC: "AcademicRecordVerificationCredential",
}
# A report can be extended, but never reach further than this from today.
MAX_REPORT_DAYS = 365


# --- Signed credentials ------------------------------------------------------------------------------------


def _local_moment(day: date, at: time) -> str:
    return timezone.make_aware(datetime.combine(day, at)).isoformat()


def id_number_digest(*, code: str, id_number: str) -> str:
    """What the credential carries instead of the ID number: someone shown the ID card can check it matches."""
    return hashlib.sha256(f"{code}:{id_number}".encode()).hexdigest()


def credential_document(credential: Credential) -> dict[str, Any]:
    """The W3C VC 2.0 document of a credential, as signed into its VC-JWT."""
    document: dict[str, Any] = {
        "@context": [vc.VC_CONTEXT],
        "id": selectors.verify_url(credential.code),
        "type": ["VerifiableCredential", VC_TYPES.get(credential.kind, "ZhijiaoCredential")],
        "issuer": {"id": vc.issuer_did(), "name": credential.issuer_name},
        "name": credential.title,
        "validFrom": _local_moment(credential.issued_on, time.min),
    }
    if credential.valid_until:
        document["validUntil"] = _local_moment(credential.valid_until, time(23, 59, 59))
    document["credentialSubject"] = {
        "name": credential.holder_name,
        "idNumberMasked": credential.holder_id_masked,
        # sha256("<code>:<ID number>"), so a verifier holding the ID card can confirm it is this person's.
        "idNumberDigest": id_number_digest(code=credential.code, id_number=credential.holder_id_number),
        "claims": [{"name": name, "value": value} for name, value in credential.claim_items],
    }
    document["verificationCode"] = credential.code
    return document


def _sign(credential: Credential) -> None:
    credential.jwt = vc.sign_vc(credential_document(credential))


@transaction.atomic
def credential_issue(
    *,
    kind: str,
    source_key: str,
    holder_name: str,
    holder_id_number: str,
    title: str,
    claims: dict[str, str],
    issuer_name: str,
    issued_on: date,
    holder_user: Any = None,
    valid_until: date | None = None,
    issuer_organization: Organization | None = None,
) -> Credential:
    """Sign a credential for a holder; issuing again for the same source returns the first one unchanged."""
    existing = selectors.credential_by_source(source_key=source_key)
    if existing is not None:
        return existing
    number = normalize_id_number(holder_id_number)
    name = " ".join((holder_name or "").split())
    if not name:
        raise ValidationError({"holder_name": [_("请填写持有人姓名")]})
    if valid_until is not None and valid_until < issued_on:
        raise ValidationError({"valid_until": [_("有效期不能早于颁发日期")]})
    credential = Credential(
        kind=kind,
        source_key=source_key,
        code=new_code(),
        holder_user=holder_user if getattr(holder_user, "is_authenticated", False) else None,
        holder_name=name,
        holder_id_number=number,
        holder_id_index=blind_index(number, context=ID_NUMBER_CONTEXT),
        holder_id_masked=mask_id_number(number),
        title=title,
        claims=[[str(key), str(value)] for key, value in claims.items()],
        issuer_name=issuer_name,
        issuer_organization=issuer_organization,
        issued_on=issued_on,
        valid_until=valid_until,
    )
    _sign(credential)
    credential.full_clean()
    try:
        with transaction.atomic():
            credential.save()
    except IntegrityError:
        # Another request issued the same source at the same moment: theirs stands.
        existing = selectors.credential_by_source(source_key=source_key)
        if existing is None:
            raise
        return existing
    return credential


def _clean_reason(reason: str) -> str:
    text = " ".join((reason or "").split())
    if not text:
        raise ValidationError({"reason": [_("请填写撤销原因")]})
    if len(text) > 200:
        raise ValidationError({"reason": [_("撤销原因最多 200 个字")]})
    return text


def _revoke(*, credential: Credential, actor: Any, reason: str) -> CredentialRevocation:
    if credential.is_revoked:
        raise DomainError("already_revoked", _("该证书已撤销"), status=409)
    revocation = CredentialRevocation(credential=credential, reason=reason, revoked_by=actor)
    revocation.full_clean(exclude=["credential"])
    try:
        with transaction.atomic():
            revocation.save()
    except IntegrityError as exc:
        raise DomainError("already_revoked", _("该证书已撤销"), status=409) from exc
    credential.revocation = revocation
    return revocation


@transaction.atomic
def credential_revoke(*, actor: Any, credential_id: int, reason: str, request: HttpRequest | None = None) -> Credential:
    """The issuer withdraws a credential with a reason; its code stops verifying at once."""
    credential = (
        Credential.objects.select_for_update(of=("self",))
        .select_related("issuer_organization")
        .filter(pk=credential_id)
        .first()
    )
    if credential is None or not selectors.can_revoke_credential(actor, credential):
        if credential is not None:
            audit_record(action="credential.revoke", actor=actor, obj=credential, result="denied", request=request)
        raise NotFound
    text = _clean_reason(reason)
    _revoke(credential=credential, actor=actor, reason=text)
    audit_record(
        action="credential.revoke",
        actor=actor,
        obj=credential,
        detail={"reason": text, "kind": credential.kind, "source_key": credential.source_key},
        request=request,
    )
    holder = credential.holder_user
    if holder is not None:
        title = credential.title

        def notify() -> None:
            from zhijiao.notifications.services import notify as send

            send(user=holder, title=_("您的证书已被撤销：%(title)s") % {"title": title}, body=text, kind="credentials")

        transaction.on_commit(notify)
    return credential


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
    actor: Any,
    university_id: int,
    data: bytes,
    filename: str,
    request: HttpRequest | None = None,
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
            request=request,
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
            imported_by=actor if getattr(actor, "is_authenticated", False) else None,
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
        request=request,
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


def _record_claims(record: AcademicRecord) -> dict[str, str]:
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


REPORT_TITLES = {
    "status": "教育部学籍在线验证报告",
    "qualification": "教育部学历证书电子注册备案表",
    "degree": "中国高等教育学位在线验证报告",
}


@transaction.atomic
def report_create(
    *, actor: Any, record_id: int, days: int, request: HttpRequest | None = None, code: str | None = None
) -> VerificationReport:
    """A holder makes an online verification report of one of their records, valid for 30, 90 or 180 days.

    ``code`` is only for reproducible demo data; everything else gets a fresh code from ``secrets``."""
    record = selectors.access_record(actor=actor, record_id=record_id)
    days = _check_days(days)
    today = timezone.localdate()
    credential = Credential(
        kind=Credential.Kind.ACADEMIC,
        code=code or new_code(),
        holder_user=actor,
        holder_name=record.holder_name,
        holder_id_number=record.id_number,
        holder_id_index=record.id_number_index,
        holder_id_masked=record.id_number_masked,
        title=REPORT_TITLES.get(record.record_type, "学历学位在线验证报告"),
        claims=[[k, v] for k, v in _record_claims(record).items()],
        issuer_name=record.university.name,
        issuer_organization=record.university,
        issued_on=today,
        valid_until=today + timedelta(days=days),
    )
    credential.source_key = f"credentials.report:{credential.code}"
    _sign(credential)
    credential.full_clean()
    credential.save()
    report = VerificationReport(record=record, holder_user=actor, credential=credential, days=days)
    report.full_clean()
    report.save()
    audit_record(
        action="credentials.report_create",
        actor=actor,
        obj=report,
        object_repr=record.id_number_masked,
        detail={"record_id": record.pk, "days": days},
        request=request,
    )
    return report


@transaction.atomic
def report_extend(*, actor: Any, report_id: int, days: int, request: HttpRequest | None = None) -> VerificationReport:
    """The holder extends a report's validity by 30, 90 or 180 days (from today if it already lapsed)."""
    report = selectors.access_report(actor=actor, report_id=report_id)
    days = _check_days(days)
    credential = (
        Credential.objects.select_for_update(of=("self",)).select_related("revocation").get(pk=report.credential_id)
    )
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
    credential.valid_until = new_end
    _sign(credential)
    credential.save(update_fields=["valid_until", "jwt", "updated_at"])
    report.credential = credential
    report.days = days
    report.save(update_fields=["days", "updated_at"])
    audit_record(
        action="credentials.report_extend",
        actor=actor,
        obj=report,
        detail={"days": days, "valid_until": new_end.isoformat()},
        request=request,
    )
    return report


@transaction.atomic
def report_revoke(
    *, actor: Any, report_id: int, reason: str = "", request: HttpRequest | None = None
) -> VerificationReport:
    """The holder withdraws a report: its code stops verifying at once and looks like any unknown code."""
    report = selectors.access_report(actor=actor, report_id=report_id)
    credential = (
        Credential.objects.select_for_update(of=("self",)).select_related("revocation").get(pk=report.credential_id)
    )
    text = " ".join((reason or "").split())[:200] or _("持有人撤销")
    _revoke(credential=credential, actor=actor, reason=text)
    report.credential = credential
    audit_record(action="credentials.report_revoke", actor=actor, obj=report, detail={"reason": text}, request=request)
    return report
