"""Shapes of the course engine's API."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema

from zhijiao.core.api_parser import InSchema
from zhijiao.core.params import Id, Int, Percent, Score

UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"

NodeKindKey = Literal["chapter", "section", "unit"]
TeamRoleKey = Literal["lead", "teacher", "assistant"]
CourseLevelKey = Literal["undergraduate", "vocational", "graduate", "lifelong"]


class CourseIn(InSchema):
    title: str = Field(min_length=1, max_length=120)
    summary: str = Field("", max_length=2000)
    university_id: Id | None = None


class CoursePatchIn(InSchema):
    """Only the fields sent change; ``null`` empties a field that may be empty."""

    title: str | None = Field(None, min_length=1, max_length=120)
    summary: str | None = Field(None, max_length=2000)
    university_id: Id | None = None
    discipline: str | None = Field(None, description="一级学科的四位代码，如 0812", max_length=8)
    level: CourseLevelKey | None = None
    credit_hours: Int | None = Field(None, ge=0, le=10000)
    credits: Decimal | None = Field(None, ge=0, max_digits=3, decimal_places=1)
    intro_video_id: Id | None = Field(None, description="上传到本课程的视频文件编号（见 /assets）")
    syllabus: str | None = Field(None, max_length=20000, description="HTML，保存时清理")
    prerequisites: str | None = Field(None, max_length=1000)
    tags: list[str] | None = None
    first_class_year: Int | None = Field(None, description="国家级一流课程认定年份；null 表示不是")


class DisciplineOut(Schema):
    code: str
    name: str
    category: str


class CourseOut(Schema):
    id: int
    title: str
    summary: str
    university: str | None
    revision: int
    published_version: int | None
    has_unpublished_changes: bool
    role: TeamRoleKey | None
    can_edit: bool
    source_id: int | None
    source_version: int | None
    discipline: DisciplineOut | None
    level: CourseLevelKey
    credit_hours: int
    credits: Decimal
    cover: str | None
    intro_video_id: int | None
    syllabus: str
    prerequisites: str
    tags: list[str]
    first_class_year: int | None


class TeamMemberIn(InSchema):
    user_id: Id
    role: TeamRoleKey


class TeamMemberOut(Schema):
    user_id: int
    name: str
    role: TeamRoleKey


class NodeIn(InSchema):
    kind: NodeKindKey
    title: str = Field(min_length=1, max_length=120)
    parent_id: Id | None = None
    position: Int | None = Field(None, ge=0)


class NodePatchIn(InSchema):
    title: str = Field(min_length=1, max_length=120)


class NodeOut(Schema):
    id: int
    content_id: str
    kind: NodeKindKey
    title: str
    parent_id: int | None
    position: int
    source_id: int | None
    origin_id: int | None
    source_version: int | None


class ReorderIn(InSchema):
    seen: list[Id] = Field(description="这一层条目的编号，按页面显示的顺序（检测他人是否已修改）")
    order: list[Id] = Field(description="同一批编号，按新的顺序")


class NodeReorderIn(ReorderIn):
    parent_id: Id | None = None


class OrderOut(Schema):
    order: list[int]
    revision: int


class BlockIn(InSchema):
    type: str = Field(min_length=1, max_length=40)
    title: str = Field("", max_length=120)
    data: dict[str, Any] = Field(default_factory=dict)
    position: Int | None = Field(None, ge=0)


class BlockPatchIn(InSchema):
    title: str | None = Field(None, max_length=120)
    data: dict[str, Any] | None = None


class BlockOut(Schema):
    id: int
    content_id: str
    unit_id: int
    type: str
    title: str
    position: int
    data: dict[str, Any]
    source_id: int | None
    origin_id: int | None
    source_version: int | None


class AssetInfoOut(Schema):
    name: str
    mime_type: str
    size_bytes: int
    duration_seconds: int


class AssetOut(Schema):
    id: int
    name: str
    mime_type: str
    size_bytes: int
    duration_seconds: int


class OutlineBlockOut(Schema):
    id: int
    content_id: str
    type: str
    title: str
    data: dict[str, Any]
    media: dict[str, str]


class OutlineNodeOut(Schema):
    id: int
    content_id: str
    kind: NodeKindKey
    title: str
    children: list[OutlineNodeOut]
    blocks: list[OutlineBlockOut]


class OutlineOut(Schema):
    course_id: int
    revision: int
    version: int | None
    nodes: list[OutlineNodeOut]
    assets: dict[str, AssetInfoOut]


class PublishIn(InSchema):
    revision: Int | None = Field(None, description="审阅时看到的草稿修订号；草稿此后又被修改则拒绝发布")
    note: str = Field("", max_length=200)


class VersionOut(Schema):
    number: int
    revision: int
    block_count: int
    note: str
    published_at: datetime
    published_by: str | None


class CourseCopyIn(InSchema):
    title: str = Field("", max_length=120)
    from_published: bool | None = Field(None, description="复制已发布版本（默认：教学团队复制草稿，其他人复制发布版）")


class NodeCopyIn(InSchema):
    source_course_id: Id
    content_id: str = Field(description="要复制的章、节或学习单元的内容标识")
    parent_id: Id | None = None
    from_published: bool | None = None


class BlockTypeOut(Schema):
    name: str
    label: str
    completion: str
    files: list[str]


RunKindKey = Literal["open", "spoc"]


class RunIn(InSchema):
    title: str = Field(min_length=1, max_length=60)
    kind: RunKindKey = "open"
    university_id: Id | None = None
    join_code: str = Field("", max_length=16)
    enrol_opens_at: datetime
    enrol_closes_at: datetime
    starts_at: datetime
    ends_at: datetime


class RunOut(Schema):
    id: int
    course_id: int
    title: str
    kind: RunKindKey
    university: str | None
    has_join_code: bool
    enrol_opens_at: datetime
    enrol_closes_at: datetime
    starts_at: datetime
    ends_at: datetime
    enrolment_open: bool
    enrolled: bool


class EnrolIn(InSchema):
    join_code: str = Field("", max_length=16)
    # A SPOC's roster admits a student by student number and name instead of the code.
    student_number: str = Field("", max_length=32)
    name: str = Field("", max_length=40)


class BlockProgressIn(InSchema):
    content_id: str = Field(
        max_length=36, pattern=UUID_PATTERN, description="内容块的内容标识；须是本课程已发布的内容块"
    )
    position: int | None = Field(None, ge=0, le=86400)
    watched: float | None = Field(None, ge=0, le=1)
    opened: bool = False


class BlockProgressOut(Schema):
    content_id: str
    position: int
    watched: float
    opened: bool
    completed: bool


class RunProgressOut(Schema):
    completed: int
    total: int
    blocks: list[BlockProgressOut]


# --- Run management (开课管理) ----------------------------------------------------------------------------------------


class RunManageOut(RunOut):
    """A run as its teachers see it: with the code, the university and the certificate rule."""

    university_id: int | None
    join_code: str
    certificate_completion: Decimal
    may_change: bool


class RunPatchIn(InSchema):
    title: str | None = Field(None, min_length=1, max_length=60)
    kind: RunKindKey | None = None
    university_id: Id | None = None
    join_code: str | None = Field(None, max_length=16)
    enrol_opens_at: datetime | None = None
    enrol_closes_at: datetime | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    certificate_completion: Decimal | None = Field(
        None, ge=0, le=1, max_digits=4, decimal_places=3, description="0–1, e.g. 0.8"
    )


class ReleaseOut(Schema):
    content_id: str
    title: str
    published: bool
    opens_at: datetime | None


class ReleaseIn(InSchema):
    content_id: str = Field(max_length=36)
    opens_at: datetime | None = None


class ScheduleIn(InSchema):
    releases: list[ReleaseIn] = Field(max_length=500)


class RunStaffIn(InSchema):
    phone: str = Field(max_length=20)
    role: TeamRoleKey


class RunStaffOut(Schema):
    user_id: int
    name: str
    role: TeamRoleKey


class RosterEntryOut(Schema):
    id: int
    student_number: str
    name: str
    joined: bool


class RosterReportOut(Schema):
    rows: int
    created: int
    updated: int
    errors: list[dict[str, Any]]


class LearnerOut(Schema):
    user_id: int
    name: str
    completion: Decimal
    last_studied_at: datetime | None
    enrolled_at: datetime


class AnnouncementIn(InSchema):
    title: str = Field(min_length=1, max_length=120)
    body: str = Field(min_length=1, max_length=5000)


class AnnouncementOut(Schema):
    id: int
    title: str
    body: str
    author: str
    created_at: datetime


# --- The learners' side ---------------------------------------------------------------------------------------------


class LearnerBlockOut(Schema):
    content_id: str
    completed: bool
    position: int
    watched: float
    opened: bool


class LearnerUnitOut(Schema):
    content_id: str
    title: str
    completed: int
    total: int
    blocks: list[LearnerBlockOut]


class LearnerChapterOut(Schema):
    content_id: str
    title: str
    open: bool
    opens_at: datetime
    units: list[LearnerUnitOut]


class LearnerOutlineOut(Schema):
    course_id: int
    run_id: int
    completion: float
    completed: int
    total: int
    last_unit: str | None
    chapters: list[LearnerChapterOut]


class RatingIn(InSchema):
    stars: int = Field(ge=1, le=5)
    comment: str = Field("", max_length=1000)


class RatingOut(Schema):
    stars: int
    comment: str
    rating_count: int
    rating_average: float | None


# --- Grading --------------------------------------------------------------------------------------------------------


class GradingCategoryIn(InSchema):
    key: str = Field(max_length=32, description="计分来源引用的标识，如 quiz、exam")
    label: str = Field(max_length=40)
    weight: Percent = Field(description="权重（%），各类别之和为 100")
    drop_lowest: Int = Field(0, description="去掉最低分的个数")


class UnlockRuleIn(InSchema):
    target: str = Field(max_length=40, description="成绩类别的标识，或一项测评的内容标识")
    condition: Literal["completion", "category"]
    at_least: Percent = Field(description="完成比例或该类别成绩不低于（%）")
    category: str = Field("", max_length=32, description="condition 为 category 时的类别")


class GradingPolicyIn(InSchema):
    categories: list[GradingCategoryIn]
    pass_line: Percent = Decimal("60")
    excellent_line: Percent = Decimal("85")
    unlock: list[UnlockRuleIn] = []


class GradingCategoryOut(Schema):
    key: str
    label: str
    weight: Decimal
    drop_lowest: int


class UnlockRuleOut(Schema):
    target: str
    condition: str
    at_least: Decimal
    category: str


class RegradeOut(Schema):
    status: str
    reason: str
    learners: int
    seconds: Decimal | None
    created_at: datetime
    finished_at: datetime | None


class GradingPolicyOut(Schema):
    categories: list[GradingCategoryOut]
    pass_line: Decimal
    excellent_line: Decimal
    unlock: list[UnlockRuleOut]
    regrade: RegradeOut | None


class CategoryGradeOut(Schema):
    key: str
    label: str
    weight: Decimal
    drop_lowest: int
    percent: Decimal


class ItemScoreOut(Schema):
    content_id: str
    title: str
    category: str
    earned: Decimal | None
    possible: Decimal
    state: Literal["counted", "dropped", "waiting", "missing"] = Field(
        description="counted 计入；dropped 最低分不计入；waiting 已提交待评分（暂按 0 分计）；missing 未提交（计 0 分）"
    )
    overridden: bool


class MyGradeOut(Schema):
    run_id: int
    percent: Decimal
    level: Literal["fail", "pass", "excellent"]
    pass_line: Decimal
    excellent_line: Decimal
    missing: int
    waiting: int = Field(0, description="已提交、等待教学团队或同学互评评分的测评数")
    categories: list[CategoryGradeOut]
    items: list[ItemScoreOut]


class GradebookItemOut(Schema):
    content_id: str
    title: str
    category: str
    possible: Decimal


class GradebookRowOut(Schema):
    user_id: int
    name: str
    percent: Decimal
    level: Literal["fail", "pass", "excellent"]
    scores: list[Decimal | None] = Field(description="与 items 一一对应；null 为尚未提交")


class GradebookOut(Schema):
    items: list[GradebookItemOut]
    rows: list[GradebookRowOut]
    total: int
    page: int
    pages: int
    distribution: list[int] = Field(description="总评成绩 0–9、10–19 … 90–100 各段人数")


class OverrideIn(InSchema):
    content_id: str
    earned: Score
    reason: str = Field(max_length=200)


class ScoreOut(Schema):
    user_id: int
    content_id: str
    category: str
    earned: Decimal
    possible: Decimal
    source: str
    source_earned: Decimal
    overridden: bool
    override_reason: str
    grade_percent: Decimal
    grade_level: str
