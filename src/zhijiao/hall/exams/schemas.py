from datetime import date, datetime

from ninja import Schema
from pydantic import ConfigDict, Field

from zhijiao.core.api_parser import InSchema
from zhijiao.core.params import FILLED_TEXT_PATTERN, Id, Int


class SittingOut(Schema):
    id: int
    exam_type: str
    label: str
    session: str
    release_at: datetime
    released: bool


class LookupIn(InSchema):
    sitting_id: Id
    model_config = ConfigDict(
        json_schema_extra={
            "description": "准考证号与身份证号至少填一项",
            "anyOf": [
                {"required": ["ticket_number"], "properties": {"ticket_number": {"pattern": FILLED_TEXT_PATTERN}}},
                {"required": ["id_number"], "properties": {"id_number": {"pattern": FILLED_TEXT_PATTERN}}},
            ],
        }
    )

    name: str = Field(max_length=50, pattern=FILLED_TEXT_PATTERN)
    ticket_number: str = Field("", max_length=40)
    id_number: str = Field("", max_length=40)
    altcha: str = Field("", max_length=4000, description="ALTCHA 人机验证结果（多次未匹配后必填）")


class LookupOut(Schema):
    sitting: str
    exam_type: str
    name: str
    ticket_number: str
    id_number_masked: str
    passed: bool
    scores: dict[str, str]
    certificate_token: str = Field(description="15 分钟内下载电子证书的凭据（仅合格成绩可用）")
    certificate_pdf: str | None
    certificate_json: str | None


class ChallengeOut(Schema):
    parameters: dict[str, object]
    signature: str | None


class NoticeOut(Schema):
    id: int
    title: str
    kind: str
    province: str | None
    province_name: str
    year: int
    published_at: datetime | None
    url: str


class AttachmentOut(Schema):
    name: str
    mime_type: str
    size_bytes: int
    url: str


class NoticeDetailOut(NoticeOut):
    body: str
    attachments: list[AttachmentOut]


class NoticeIn(InSchema):
    title: str = Field(min_length=2, max_length=150)
    kind: str = "notice"
    province: str | None = None
    year: Int
    body: str = Field(min_length=1)
    publish: bool = False


class SpecialListOut(Schema):
    id: int
    title: str
    program: str
    program_label: str
    year: int
    notice_start: datetime
    notice_end: datetime


class CandidateOut(Schema):
    name: str
    gender: str
    school: str
    province: str
    university: str
    major: str
    id_number_masked: str


class SittingIn(InSchema):
    exam_type: str
    session: str = Field(min_length=2, max_length=40)
    held_on: date
    release_at: datetime


class ScoreImportOut(Schema):
    created: int
    seconds: float
