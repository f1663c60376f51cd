"""Shapes of the academic records' API (mounted with the credentials kernel's at /api/v1/credentials/)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from zhijiao.core.api_parser import InSchema
from zhijiao.core.params import Id


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


class VerificationReportIn(InSchema):
    record_id: Id
    days: Literal[30, 90, 180] = 30


class VerificationReportExtendIn(InSchema):
    days: Literal[30, 90, 180]


class RecordImportRowErrorOut(Schema):
    line: int
    messages: list[str]


class RecordImportOut(Schema):
    total: int
    created: int
    errors: list[RecordImportRowErrorOut]
