"""Shapes of the review API. Names carry the app's prefix so they never clash in the OpenAPI document. What an
expert receives (:class:`ReviewBlindSubmissionOut`) has no field that could name an applicant, author or
organisation."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from zhijiao.core.api_parser import InSchema
from zhijiao.core.params import Id


class ReviewCriterionOut(Schema):
    id: int
    name: str
    description: str
    weight: Decimal
    max_score: int


class ReviewCallOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    body: str
    opens_on: date
    closes_on: date
    review_deadline: date
    eligible_org_kinds: list[str]
    required_roles: list[str]
    notice_starts_on: date | None
    notice_ends_on: date | None
    appeal_deadline: date | None
    criteria: list[ReviewCriterionOut]
    url: str


class ReviewNoticeRowOut(Schema):
    accession_no: str
    title: str
    authors: list[str]
    organization: str


class ReviewAuthorIn(InSchema):
    name: str = Field(..., min_length=1, max_length=50)
    organization_id: Id | None = None


class ReviewSubmissionIn(InSchema):
    title: str = Field(..., min_length=1, max_length=200)
    abstract: str = Field("", max_length=5000)
    field: str = Field("", max_length=8, description="一级学科代码，例如 0401")
    metadata: dict[str, str | list[str]] = Field(default_factory=dict, description="按评审类型的表单校验（提交时）")
    authors: list[ReviewAuthorIn] = Field(
        default_factory=list, max_length=20, description="按署名顺序；留空为申报人本人"
    )
    organization_id: Id | None = Field(None, description="申报单位（须为本人所在机构），留空取第一个符合条件的")


class ReviewAttachmentOut(Schema):
    id: int
    role: str
    role_label: str
    name: str
    content_type: str
    size: int


class ReviewCommentOut(Schema):
    number: int
    comment: str


class ReviewAppealOut(Schema):
    id: int
    state: str
    reason: str
    response: str
    created_at: datetime
    decided_at: datetime | None


class ReviewSubmissionOut(Schema):
    id: int
    number: str
    call_id: int
    title: str
    abstract: str
    field: str
    metadata: dict[str, str | list[str]]
    organization: str
    authors: list[str]
    status: str
    status_label: str
    round: int
    submitted_at: datetime | None
    return_reason: str
    decision: str
    decision_reason: str
    score: Decimal | None = Field(None, description="评审结论作出后才有")
    accession_no: str | None
    attachments: list[ReviewAttachmentOut]
    reviews: list[ReviewCommentOut] = Field(description="专家意见（不含姓名），评审结论作出前为空")
    appeals: list[ReviewAppealOut]


class ReviewSubmissionRowOut(Schema):
    id: int
    number: str
    call_id: int
    title: str
    status: str
    status_label: str
    accession_no: str | None


class ReviewAssignmentRowOut(Schema):
    id: int
    number: str
    title: str
    call_title: str
    state: str
    due_on: date


class ReviewBlindAttachmentOut(Schema):
    id: int
    role: str
    role_label: str
    name: str
    size: int
    url: str


class ReviewMetadataOut(Schema):
    label: str
    value: str


class ReviewScoreOut(Schema):
    criterion_id: int
    score: Decimal


class ReviewBlindSubmissionOut(Schema):
    assignment_id: int
    number: str
    call_title: str
    kind_label: str
    title: str
    abstract: str
    field: str
    metadata: list[ReviewMetadataOut]
    attachments: list[ReviewBlindAttachmentOut]
    criteria: list[ReviewCriterionOut]
    state: str
    due_on: date
    my_scores: list[ReviewScoreOut]
    my_total: Decimal | None
    my_comment: str


class ReviewScoresIn(InSchema):
    scores: dict[str, Decimal] = Field(..., description="指标 id → 得分（0 到满分，最多一位小数）")
    comment: str = Field(..., max_length=3000)
    confidential_comment: str = Field("", max_length=2000)


class ReviewStaffRowOut(Schema):
    id: int
    number: str
    title: str
    organization: str
    status: str
    round: int
    score: Decimal | None
    score_spread: Decimal | None
    flagged: bool
    accession_no: str | None


class ReviewStaffReviewOut(Schema):
    expert_id: int
    expert: str
    round: int
    state: str
    total: Decimal | None
    scores: dict[str, Decimal]
    comment: str
    confidential_comment: str


class ReviewStaffSubmissionOut(ReviewStaffRowOut):
    applicant: str
    authors: list[str]
    decision: str
    decision_reason: str
    reviews: list[ReviewStaffReviewOut]


class ReviewCheckIn(InSchema):
    passed: bool
    reason: str = Field("", max_length=1000)


class ReviewAssignIn(InSchema):
    expert_id: Id


class ReviewAssignmentOut(Schema):
    id: int
    submission_id: int
    expert_id: int
    due_on: date


class ReviewAutoAssignOut(Schema):
    assigned: int
    submissions: int
    short: dict[str, int] = Field(description="申报 id → 仍缺的专家人数")
    out_of_field: int
    largest_load: int
    smallest_load: int


class ReviewDecisionIn(InSchema):
    decision: str = Field(..., description="accept / revise / reject")
    reason: str = Field("", max_length=2000)


class ReviewAppealIn(InSchema):
    reason: str = Field(..., max_length=2000)


class ReviewAppealDecisionIn(InSchema):
    uphold: bool
    response: str = Field(..., max_length=2000)
