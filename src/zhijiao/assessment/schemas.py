"""The shapes of /api/v1/assessment/: questions, their versions, draws and imports."""

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema


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


class QuestionIn(Schema):
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


class DrawIn(Schema):
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
