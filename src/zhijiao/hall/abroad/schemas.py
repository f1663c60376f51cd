"""Shapes of the study-abroad API. Names carry the app's prefix so they never clash in the OpenAPI document."""

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema

from zhijiao.core.api_parser import InSchema
from zhijiao.core.params import Id, one_of

from .models import Service, Status

ServiceKey = Literal["degree", "dispatch", "archive", "returnee"]


class AbroadDocumentSpecOut(Schema):
    kind: str
    label: str
    help: str
    stage: int
    required: bool


class AbroadFieldOut(Schema):
    name: str
    label: str
    stage: int
    required: bool


class AbroadServiceOut(Schema):
    key: str
    label: str
    summary: str
    outcome: str
    authority: str = Field(description="签发这项服务证明、函件的机构（按配置，当前语言）")
    fields: list[AbroadFieldOut]
    documents: list[AbroadDocumentSpecOut]


class AbroadDocumentOut(Schema):
    id: int
    kind: str
    stage: int
    name: str
    content_type: str
    size: int
    checked: bool
    url: str


class AbroadHistoryOut(Schema):
    at: datetime
    action: str
    from_status: str
    to_status: str
    note: str


class AbroadApplicationOut(Schema):
    id: int
    reference: str
    service: str
    service_label: str
    status: str
    status_label: str
    stage: int
    applicant_name: str
    data: dict[str, Any]
    submitted_at: datetime | None
    decided_at: datetime | None
    decision_reason: str
    documents: list[AbroadDocumentOut]
    history: list[AbroadHistoryOut]
    actions: list[str]
    certificate_code: str | None
    url: str


class AbroadApplicationRowOut(Schema):
    id: int
    reference: str
    service: str
    status: str
    applicant_name: str
    document_count: int
    submitted_at: datetime | None
    updated_at: datetime
    url: str


class AbroadApplicationPageOut(Schema):
    items: list[AbroadApplicationRowOut]
    count: int
    limit: int
    offset: int


class AbroadApplicationIn(InSchema):
    service: ServiceKey = Field(..., description="degree / dispatch / archive / returnee")
    data: dict[str, Any] = Field(default_factory=dict, description="该服务的申请信息（见 GET /services 的 fields）")


class AbroadApplicationUpdateIn(InSchema):
    data: dict[str, Any]


class AbroadDecisionIn(InSchema):
    action: str = Field(..., description="receive / request_documents / approve / reject")
    reason: str = Field("", max_length=1000)


class AbroadBulkIn(InSchema):
    ids: list[Id] = Field(..., min_length=1, max_length=200)
    action: str
    reason: str = Field("", max_length=1000)


class AbroadBulkFailureOut(Schema):
    id: int
    message: str


class AbroadBulkOut(Schema):
    done: list[int]
    failed: list[AbroadBulkFailureOut]


class AbroadQueueParams(Schema):
    service: one_of(Service.values) = ""  # type: ignore[valid-type]
    status: one_of(["all", *Status.values]) = Field("", description="空：待办理；all：全部")  # type: ignore[valid-type]
    submitted_from: date | None = None
    submitted_to: date | None = None
    q: str = Field("", max_length=50, description="申请人姓名")
