"""The shapes of /api/v1/assessment/: questions, their versions, draws and imports."""

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from django.urls import reverse
from ninja import Field, Schema

from zhijiao.core.api_parser import InSchema


class QuestionTypeOut(Schema):
    name: str
    label: str
    manual: bool = Field(description="由教师或学生互评评分")
    fields: list[str]


class QuestionVersionOut(Schema):
    number: int
    type: str
    stem: str = Field(description="经过清理的 HTML")
    data: dict[str, Any] = Field(description="选项、答案、填空、评分标准等，随题型而定")
    points: Decimal
    explanation: str
    tags: list[str]
    knowledge_points: list[str]
    difficulty: int = Field(description="1 易 … 5 难")
    note: str
    created_at: datetime
    created_by: str | None


class QuestionOut(Schema):
    id: int
    identifier: str
    course_id: int
    type: str
    summary: str
    difficulty: int
    archived: bool
    version: QuestionVersionOut | None


class QuestionIn(InSchema):
    type: str = Field(description="single / multiple / truefalse / fill / short / essay / file")
    stem: str = Field(max_length=20000, description="题干（HTML，保存时清理）")
    data: dict[str, Any] = Field(
        description=(
            "单选 {options, answer: 序号}；多选 {options, answer: [序号], scoring: all|share|net}；"
            "判断 {answer: bool}；"
            "填空 {blanks: [[可接受答案]], any_order}；简答/论述 {reference, rubric: [{criterion, points}], "
            "grading: manual|peer}；文件 {formats, rubric, grading}"
        )
    )
    points: Decimal = Field(gt=0, le=1000, max_digits=6, decimal_places=2)
    explanation: str = Field("", max_length=20000)
    tags: list[str] = Field(default_factory=list, max_length=10)
    knowledge_points: list[str] = Field(default_factory=list, max_length=10)
    difficulty: int = Field(3, ge=1, le=5)


class QuestionVersionIn(QuestionIn):
    note: str = Field("", max_length=200, description="修改说明")


class DrawIn(InSchema):
    count: int = Field(ge=1, le=200)
    seed: str = Field(max_length=64, description="同一种子、同一题库抽到同样的题")
    tag: str = Field("", max_length=30)
    knowledge_point: str = Field("", max_length=30)
    difficulty: int | None = Field(None, ge=1, le=5)
    type: str = Field("", max_length=20)


class BankImportOut(Schema):
    created: int
    revised: int


ExportFormat = Literal["xlsx", "qti"]


# --- Attempts ---------------------------------------------------------------------------------------------------


class AnswerFileOut(Schema):
    id: int
    name: str = Field(description="上传时的文件名")
    size: int = Field(description="字节数")
    url: str = Field(description="下载地址（仅作答者、本开课的教学团队和被分配的互评人可下载）")


def answer_file_out(stored: Any) -> dict[str, Any] | None:
    """An uploaded answer file (AttemptFile) as AnswerFileOut; its shown name when a selector set one (a peer
    reviewer never sees the learner's own file name)."""
    if stored is None:
        return None
    return {
        "id": stored.pk,
        "name": getattr(stored, "shown_name", stored.original_name),
        "size": stored.size,
        "url": reverse("attempts:file", args=[stored.pk]),
    }


class AttemptItemOut(Schema):
    position: int
    type: str
    type_label: str
    stem: str = Field(description="经过清理的 HTML")
    points: Decimal
    options: list[str] = Field(description="选择题的选项，按本次作答的（打乱后的）顺序")
    blanks: int = Field(description="填空题的空数")
    response: Any = Field(description="作答中为最近保存的答案，提交后为提交的答案；选择题为选项在 options 中的序号")
    status: str = Field(description="提交后：graded 已评分、staff 待教师批阅、peer 互评中")
    earned: Decimal | None
    feedback: str
    answer: Any = Field(description="正确答案（按测评规则公布后才有）")
    explanation: str
    reference: str
    file: AnswerFileOut | None = Field(None, description="文件题已上传的答案文件（response 为其编号）")


class AttemptOut(Schema):
    id: int
    run_id: int
    content_id: str
    kind: str
    title: str
    number: int
    status: str = Field(description="in_progress 作答中、submitted 待批阅、graded 已评分")
    started_at: datetime
    deadline_at: datetime | None = Field(description="服务器停止接收答案的时间")
    seconds_left: int | None = Field(description="按服务器时钟剩余的秒数；无时限时为空")
    submitted_at: datetime | None
    submitted_by: str
    late: bool
    earned: Decimal | None = Field(description="得分（互评未完成时不显示）")
    possible: Decimal
    pending: int
    answers_shown: bool
    score_visible: bool
    items: list[AttemptItemOut]


class AttemptSummaryOut(Schema):
    id: int
    number: int
    status: str
    started_at: datetime
    submitted_at: datetime | None
    earned: Decimal | None
    possible: Decimal


class AnswerIn(InSchema):
    response: Any = Field(
        None,
        description="单选：选项序号；多选：序号列表；判断：true/false；填空：文字列表；简答：文字；null 清空",
    )


class AnswerSavedOut(Schema):
    position: int
    saved_at: datetime
    seconds_left: int | None
    file: AnswerFileOut | None = Field(None, description="上传的答案文件（文件题）")
