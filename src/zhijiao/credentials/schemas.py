"""Shapes of the credentials API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import Field


class CredentialClaimOut(Schema):
    name: str
    value: str


class CredentialVerificationOut(Schema):
    """What the public sees for a valid code: the masked holder, the title, the claims and the validity."""

    code: str
    kind: str
    title: str
    holder_name: str = Field(description="姓名（部分隐藏，如 陈*远）")
    holder_id_masked: str
    claims: list[CredentialClaimOut]
    issuer_name: str
    issued_on: date
    valid_until: date | None


class AcademicRecordOut(Schema):
    id: int
    holder_name: str
    id_number_masked: str
    university: str
    programme: str
    level: str
    level_label: str
    record_type: str
    record_type_label: str
    entry_date: date
    end_date: date | None
    status: str
    status_label: str
    certificate_number: str


class VerificationReportOut(Schema):
    id: int
    record_id: int
    code: str = Field(description="验证码（分组显示）")
    verify_url: str
    days: int
    issued_on: date
    valid_until: date | None
    state: Literal["active", "expired", "revoked"]
    credential_id: int
    created_at: datetime


class VerificationReportIn(Schema):
    record_id: int
    days: Literal[30, 90, 180] = 30


class VerificationReportExtendIn(Schema):
    days: Literal[30, 90, 180]


class CredentialRevokeIn(Schema):
    reason: str = Field(default="", max_length=200)


class CredentialOut(Schema):
    id: int
    kind: str
    title: str
    code: str
    verify_url: str
    issuer_name: str
    issued_on: date
    valid_until: date | None
    revoked: bool


class CredentialJsonOut(Schema):
    jwt: str
    header: dict[str, Any]
    credential: dict[str, Any]
    jwks: str


class RecordImportRowErrorOut(Schema):
    line: int
    messages: list[str]


class RecordImportOut(Schema):
    total: int
    created: int
    errors: list[RecordImportRowErrorOut]
