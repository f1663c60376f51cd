"""The credentials API at /api/v1/credentials/: public verification by code; the holder's records, reports and
credentials; registrars' imports; issuers' revocations. Thin: every operation calls one selector or service."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from zhijiao.core.api import ErrorOut, rate_limit, require_scope, session_or_token

from . import selectors, services
from .models import AcademicRecord, Credential, VerificationReport
from .pdf import credential_json
from .schemas import (
    AcademicRecordOut,
    CredentialJsonOut,
    CredentialOut,
    CredentialRevokeIn,
    CredentialVerificationOut,
    RecordImportOut,
    VerificationReportExtendIn,
    VerificationReportIn,
    VerificationReportOut,
)
from .views import _verify_rate

router = Router(tags=["credentials"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}


def _record_out(record: AcademicRecord) -> dict[str, Any]:
    return {
        "id": record.pk,
        "holder_name": record.holder_name,
        "id_number_masked": record.id_number_masked,
        "university": record.university.name,
        "programme": record.programme,
        "level": record.level,
        "level_label": record.get_level_display(),
        "record_type": record.record_type,
        "record_type_label": record.get_record_type_display(),
        "entry_date": record.entry_date,
        "end_date": record.end_date,
        "status": record.status,
        "status_label": record.get_status_display(),
        "certificate_number": record.certificate_number,
    }


def _report_out(report: VerificationReport) -> dict[str, Any]:
    credential = report.credential
    return {
        "id": report.pk,
        "record_id": report.record_id,
        "code": credential.code_display,
        "verify_url": selectors.verify_url(credential.code),
        "days": report.days,
        "issued_on": credential.issued_on,
        "valid_until": credential.valid_until,
        "state": report.state,
        "credential_id": credential.pk,
        "created_at": report.created_at,
    }


def _credential_out(credential: Credential) -> dict[str, Any]:
    return {
        "id": credential.pk,
        "kind": credential.kind,
        "title": credential.title,
        "code": credential.code_display,
        "verify_url": selectors.verify_url(credential.code),
        "issuer_name": credential.issuer_name,
        "issued_on": credential.issued_on,
        "valid_until": credential.valid_until,
        "revoked": credential.is_revoked,
    }


@router.get(
    "/verify/{code}",
    response={200: CredentialVerificationOut, **ERRORS},
    auth=None,
    operation_id="credentials_verify",
    summary="按验证码验证（公开；无效、过期与撤销的验证码同样答复“找不到”）",
)
def verify(request: HttpRequest, code: str) -> Any:
    limit, window = _verify_rate()
    rate_limit(request, "credentials.verify", limit, window)
    credential = selectors.access_credential_by_code(code=code)
    return {
        "code": credential.code_display,
        "kind": credential.kind,
        "title": credential.title,
        "holder_name": selectors.mask_holder_name(credential.holder_name),
        "holder_id_masked": credential.holder_id_masked,
        "claims": [{"name": name, "value": value} for name, value in credential.claim_items],
        "issuer_name": credential.issuer_name,
        "issued_on": credential.issued_on,
        "valid_until": credential.valid_until,
    }


@router.get(
    "/records",
    response={200: list[AcademicRecordOut], **ERRORS},
    auth=session_or_token,
    operation_id="credentials_records_mine",
    summary="我的学籍学历学位记录（实名信息匹配后可见）",
)
def records_mine(request: HttpRequest) -> Any:
    records = selectors.records_of(request.user)
    if records is None:
        return []
    return [_record_out(record) for record in records]


@router.get(
    "/reports",
    response={200: list[VerificationReportOut], **ERRORS},
    auth=session_or_token,
    operation_id="credentials_reports_mine",
    summary="我的在线验证报告",
)
def reports_mine(request: HttpRequest) -> Any:
    return [_report_out(report) for report in selectors.reports_of(request.user)[:200]]


@router.post(
    "/reports",
    response={201: VerificationReportOut, **ERRORS},
    auth=session_or_token,
    operation_id="credentials_report_create",
    summary="生成在线验证报告（有效期 30/90/180 天）",
)
def report_create(request: HttpRequest, data: VerificationReportIn) -> Any:
    require_scope(request, "write")
    report = services.report_create(actor=request.user, record_id=data.record_id, days=data.days, request=request)
    return Status(201, _report_out(report))


@router.get(
    "/reports/{report_id}",
    response={200: VerificationReportOut, **ERRORS},
    auth=session_or_token,
    operation_id="credentials_report_get",
    summary="验证报告详情",
)
def report_get(request: HttpRequest, report_id: int) -> Any:
    return _report_out(selectors.access_report(actor=request.user, report_id=report_id))


@router.post(
    "/reports/{report_id}/extend",
    response={200: VerificationReportOut, **ERRORS},
    auth=session_or_token,
    operation_id="credentials_report_extend",
    summary="延长验证报告有效期",
)
def report_extend(request: HttpRequest, report_id: int, data: VerificationReportExtendIn) -> Any:
    require_scope(request, "write")
    return _report_out(services.report_extend(actor=request.user, report_id=report_id, days=data.days, request=request))


@router.post(
    "/reports/{report_id}/revoke",
    response={200: VerificationReportOut, **ERRORS},
    auth=session_or_token,
    operation_id="credentials_report_revoke",
    summary="撤销验证报告（验证码即时失效）",
)
def report_revoke(request: HttpRequest, report_id: int, data: CredentialRevokeIn) -> Any:
    require_scope(request, "write")
    report = services.report_revoke(actor=request.user, report_id=report_id, reason=data.reason, request=request)
    return _report_out(report)


@router.get(
    "/credentials",
    response={200: list[CredentialOut], **ERRORS},
    auth=session_or_token,
    operation_id="credentials_mine",
    summary="我的电子证书",
)
def credentials_mine(request: HttpRequest) -> Any:
    return [_credential_out(credential) for credential in selectors.credentials_of(request.user)[:200]]


@router.get(
    "/credentials/{credential_id}/json",
    response={200: CredentialJsonOut, **ERRORS},
    auth=session_or_token,
    operation_id="credentials_credential_json",
    summary="下载可验证凭证（VC-JWT 及其解码内容）",
)
def credential_download(request: HttpRequest, credential_id: int) -> Any:
    return credential_json(selectors.access_credential(actor=request.user, credential_id=credential_id))


@router.post(
    "/credentials/{credential_id}/revoke",
    response={200: CredentialOut, **ERRORS},
    auth=session_or_token,
    operation_id="credentials_credential_revoke",
    summary="颁发方撤销证书（须填写原因）",
)
def credential_revoke(request: HttpRequest, credential_id: int, data: CredentialRevokeIn) -> Any:
    require_scope(request, "write")
    credential = services.credential_revoke(
        actor=request.user, credential_id=credential_id, reason=data.reason, request=request
    )
    return _credential_out(credential)


@router.post(
    "/imports",
    response={
        201: RecordImportOut,
        422: RecordImportOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        409: ErrorOut,
        429: ErrorOut,
    },
    auth=session_or_token,
    operation_id="credentials_records_import",
    summary="院校导入学籍学历学位记录（Excel/CSV，有任一错误行则全部不导入）",
)
def records_import(request: HttpRequest, university_id: Form[int], file: File[UploadedFile]) -> Any:
    require_scope(request, "write")
    report = services.records_import(
        actor=request.user, university_id=university_id, data=file.read(), filename=file.name or "", request=request
    )
    return Status(201 if report.ok else 422, report.as_dict())
