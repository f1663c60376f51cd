"""The academic records' API, mounted with the credentials kernel's router at /api/v1/credentials/ (the paths and
operation ids it had before records became an app of their own): the holder's records and verification reports,
and the registrars' imports. Thin: every operation calls one selector or service."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from zhijiao.core.actors import Origin
from zhijiao.core.api_auth import session_or_token
from zhijiao.core.api_errors import ErrorOut
from zhijiao.core.params import Id
from zhijiao.credentials.schemas import CredentialRevokeIn
from zhijiao.credentials.selectors import verify_url

from . import selectors, services
from .models import AcademicRecord, VerificationReport
from .schemas import (
    AcademicRecordOut,
    RecordImportOut,
    VerificationReportExtendIn,
    VerificationReportIn,
    VerificationReportOut,
)

router = Router(tags=["credentials"], auth=session_or_token)
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
        "verify_url": verify_url(credential.code),
        "days": report.days,
        "issued_on": credential.issued_on,
        "valid_until": credential.valid_until,
        "state": report.state,
        "credential_id": credential.pk,
        "created_at": report.created_at,
    }


@router.get(
    "/records",
    response={200: list[AcademicRecordOut], **ERRORS},
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
    operation_id="credentials_reports_mine",
    summary="我的在线验证报告",
)
def reports_mine(request: HttpRequest) -> Any:
    return [_report_out(report) for report in selectors.reports_of(request.user)[:200]]


@router.post(
    "/reports",
    response={201: VerificationReportOut, **ERRORS},
    operation_id="credentials_report_create",
    summary="生成在线验证报告（有效期 30/90/180 天）",
)
def report_create(request: HttpRequest, data: VerificationReportIn) -> Any:
    report = services.report_create(
        actor=request.user, record_id=data.record_id, days=data.days, origin=Origin.of(request)
    )
    return Status(201, _report_out(report))


@router.get(
    "/reports/{report_id}",
    response={200: VerificationReportOut, **ERRORS},
    operation_id="credentials_report_get",
    summary="验证报告详情",
)
def report_get(request: HttpRequest, report_id: Id) -> Any:
    return _report_out(selectors.access_report(actor=request.user, report_id=report_id))


@router.post(
    "/reports/{report_id}/extend",
    response={200: VerificationReportOut, **ERRORS},
    operation_id="credentials_report_extend",
    summary="延长验证报告有效期",
)
def report_extend(request: HttpRequest, report_id: Id, data: VerificationReportExtendIn) -> Any:
    report = services.report_extend(actor=request.user, report_id=report_id, days=data.days, origin=Origin.of(request))
    return _report_out(report)


@router.post(
    "/reports/{report_id}/revoke",
    response={200: VerificationReportOut, **ERRORS},
    operation_id="credentials_report_revoke",
    summary="撤销验证报告（验证码即时失效）",
)
def report_revoke(request: HttpRequest, report_id: Id, data: CredentialRevokeIn) -> Any:
    report = services.report_revoke(
        actor=request.user, report_id=report_id, reason=data.reason, origin=Origin.of(request)
    )
    return _report_out(report)


@router.post(
    "/imports",
    response={
        201: RecordImportOut,
        422: RecordImportOut | ErrorOut,  # row errors, or a request that could not be read (the one error shape)
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        409: ErrorOut,
        429: ErrorOut,
    },
    operation_id="credentials_records_import",
    summary="院校导入学籍学历学位记录（Excel/CSV，有任一错误行则全部不导入）",
)
def records_import(request: HttpRequest, university_id: Form[Id], file: File[UploadedFile]) -> Any:
    report = services.records_import(
        actor=request.user,
        university_id=university_id,
        data=file.read(),
        filename=file.name or "",
        origin=Origin.of(request),
    )
    return Status(201 if report.ok else 422, report.as_dict())
