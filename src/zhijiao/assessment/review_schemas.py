"""The shapes of the grading queue and peer review under /api/v1/assessment/. A peer review never names the
answer's author, and the author never learns who reviewed them."""

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema

from zhijiao.core.api_parser import InSchema
from zhijiao.core.params import Score

from .schemas import AnswerFileOut


class CriterionOut(Schema):
    criterion: str
    points: Decimal


class QuestionShownOut(Schema):
    type: str
    stem: str = Field(description="经过清理的 HTML")
    points: Decimal = Field(description="本题在这次测评中的分值")
    rubric: list[CriterionOut] = Field(description="评分标准；为空时直接给出 0 到分值之间的分数")
    reference: str = Field("", description="参考答案（仅教学团队可见）")


class QueueItemOut(Schema):
    id: int
    attempt_id: int
    content_id: str
    assessment: str
    position: int
    status: str = Field(description="staff 待教师批阅 / peer 互评中（已过互评截止）/ graded 已评分")
    learner: str
    submitted_at: datetime | None
    earned: Decimal | None
    points: Decimal


class StepOut(Schema):
    action: str
    actor: str | None
    data: dict[str, Any]
    created_at: datetime


class GradingItemOut(QueueItemOut):
    question: QuestionShownOut
    response: Any = Field(description="学习者的答案（文字作答以纯文本显示）")
    file: AnswerFileOut | None = Field(None, description="文件题上传的答案文件")
    feedback: str
    rubric_scores: list[Decimal]
    graded_by: str | None
    graded_at: datetime | None
    steps: list[StepOut] = Field(description="历次评分记录，最早的在前")
    next_id: int | None = Field(description="下一份待批阅答案的编号")


class GradeIn(InSchema):
    scores: list[Score] | None = Field(None, max_length=10, description="每条评分标准的得分（有评分标准时）")
    score: Score | None = Field(None, description="得分（没有评分标准时）")
    feedback: str = Field("", max_length=20000, description="评语，最多 2000 字，纯文本")


QueueStatus = Literal["waiting", "staff", "peer", "graded"]


class ReviewOut(Schema):
    id: int
    content_id: str
    assessment: str
    question: QuestionShownOut
    response: Any = Field(description="同学的答案；不显示作者")
    file: AnswerFileOut | None = Field(None, description="文件题上传的答案文件（文件名不含作者的原文件名）")
    due_at: datetime
    submitted_at: datetime | None
    total: Decimal | None
    rubric_scores: list[Decimal]
    comment: str


class NextReviewIn(InSchema):
    content_id: str = Field(max_length=40, description="作业的内容标识")


class NextReviewOut(Schema):
    review: ReviewOut | None = Field(description="要评的答案；为空时您已完成应做的互评，或暂时没有可评的答案")
    required: int
    done: int


class ReviewIn(InSchema):
    scores: list[Score] | None = Field(None, max_length=10)
    score: Score | None = None
    comment: str = Field("", max_length=20000, description="评语，最多 2000 字，纯文本")
