"""Shapes of the employment API. Jobs go out in schema.org JobPosting terms where one exists."""

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from zhijiao.core.api_parser import InSchema
from zhijiao.core.params import Id, Int


class JobIn(InSchema):
    title: str = Field(..., min_length=1, max_length=100)
    description: str = Field(..., min_length=1, max_length=20000)
    region_codes: list[str] = Field(..., min_length=1, max_length=20, description="工作地点的 6 位区划代码")
    industry: str = Field(..., description="GB/T 4754 门类字母 A–T")
    occupation: str = "other"
    education: Int = Field(0, description="0 不限、2 大专、3 本科、4 硕士、5 博士")
    disciplines: list[str] = Field(default_factory=list, description="学科门类代码 01–14；空表示专业不限")
    salary_min: Int = Field(..., ge=0, le=1_000_000)
    salary_max: Int = Field(..., ge=0, le=1_000_000)
    headcount: Int = Field(1, ge=1, le=100_000)
    employment_type: str = "FULL_TIME"
    valid_through: date
    employer_id: Id | None = Field(None, description="招聘人员属于多个单位时指定")
    publish: bool = False


class JobOut(Schema):
    id: int
    title: str
    employer: str
    employer_id: int
    region_codes: list[str]
    industry: str
    occupation: str
    education: int
    salary_min: int
    salary_max: int
    headcount: int
    employment_type: str
    date_posted: date
    valid_through: date
    status: str
    url: str


class JobPageOut(Schema):
    items: list[JobOut]
    count: int = Field(..., description="匹配的岗位数；count_exact 为 false 时是下限（超过该数）")
    count_exact: bool = True
    limit: int
    offset: int


class FeedIn(InSchema):
    feed: str = Field(..., min_length=1, max_length=60, description="渠道名称，外部编号在渠道内唯一")
    jobs: list[Any] = Field(..., max_length=5000, description="schema.org JobPosting 对象")


class RowErrorOut(Schema):
    line: int
    messages: list[str]


class ImportOut(Schema):
    id: int
    rows: int
    created: int
    merged: int
    errors: list[RowErrorOut]


class ApplyIn(InSchema):
    resume_id: Id
    cover_letter: str = Field("", max_length=2000)


class EventOut(Schema):
    status: str
    created_at: datetime
    scheduled_at: datetime | None
    place: str
    link: str
    note: str


class ApplicationOut(Schema):
    id: int
    job_id: int
    job_title: str
    status: str
    created_at: datetime
    events: list[EventOut]


class MoveIn(InSchema):
    status: str
    scheduled_at: datetime | None = None
    place: str = Field("", max_length=200)
    link: str = Field("", max_length=200)
    note: str = Field("", max_length=2000)


class SignatureOut(Schema):
    party: str
    signed_at: datetime
    valid: bool


class AgreementVerifyOut(Schema):
    number: str
    status: str
    employer: str
    university: str
    text_intact: bool
    signatures: list[SignatureOut]


class RosterOut(Schema):
    rows: int
    created: int
    updated: int
    confirmed: int
    errors: list[dict[str, Any]]
