"""Shapes of the K-12 API."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from zhijiao.core.api_parser import InSchema
from zhijiao.core.params import Id, Int

StageKey = Literal["primary", "junior", "senior"]
ResourceKindKey = Literal["video", "audio", "document", "ebook", "images", "link"]
ColumnKey = Literal["science", "sports", "arts", "reading", "study_travel", "film", "family", "homework"]
PurposeKey = Literal["preview", "review"]


class SubjectOut(Schema):
    id: int
    stage: str
    name: str


class BookOut(Schema):
    id: int
    subject: str
    stage: str
    edition: str
    grade: int
    volume: str
    label: str
    url: str


class PointOut(Schema):
    id: int
    title: str
    url: str


class LessonBriefOut(Schema):
    id: int
    title: str
    url: str
    points: list[PointOut]


class UnitOut(Schema):
    id: int
    title: str
    lessons: list[LessonBriefOut]


class BookTreeOut(BookOut):
    units: list[UnitOut]


class ResourceOut(Schema):
    id: int
    kind: str
    title: str
    description: str
    teacher_name: str
    school_name: str
    duration_seconds: int
    size_bytes: int
    licence: str
    tags: list[str]
    status: str
    column: str
    lesson_id: int | None
    url: str
    file_url: str | None
    poster_url: str | None
    download_url: str | None
    external_url: str | None
    published_at: datetime | None


class LessonOut(Schema):
    id: int
    title: str
    unit: str
    book: BookOut
    points: list[PointOut]
    resources: list[ResourceOut] = Field(description="已发布资源，教师讲解在前")


class CodeOut(Schema):
    code: str
    status: str
    version: int
    lesson_id: int | None
    point_id: int | None
    title: str
    url: str


class CodeResolvedOut(Schema):
    code: str
    lesson: LessonOut
    point: PointOut | None


class BatchIn(InSchema):
    book_id: Id | None = None
    collection_id: Id | None = None
    point_ids: list[Id] = Field(default_factory=list, max_length=5000)
    title: str = Field("", max_length=100)


class BatchOut(Schema):
    id: int
    title: str
    book_id: int | None
    collection_id: int | None
    codes: list[CodeOut]
    sheet_url: str


class RelinkIn(InSchema):
    lesson_id: Id | None = None
    point_id: Id | None = None
    reason: str = Field("", max_length=200)
    confirm_published: bool = False


class ReasonIn(InSchema):
    reason: str = Field(..., min_length=1, max_length=300)


class ClassIn(InSchema):
    school_id: Id
    name: str = Field(..., min_length=1, max_length=60)
    grade: Int | None = Field(None, ge=1, le=12)


class ClassOut(Schema):
    id: int
    name: str
    grade: int | None
    school: str
    teacher: str
    join_code: str | None = Field(None, description="只有任教教师能看到")


class JoinIn(InSchema):
    join_code: str = Field(..., min_length=1, max_length=12, description="老师给出的班级码；须是已有班级的班级码")


class AddStudentIn(InSchema):
    phone: str = Field(..., min_length=1, max_length=20)


class AssignmentIn(InSchema):
    purpose: PurposeKey
    due_date: date
    title: str = Field("", max_length=120)
    note: str = Field("", max_length=300)
    lesson_id: Id | None = None
    collection_id: Id | None = None
    resource_ids: list[Id] = Field(default_factory=list, max_length=100)


class AssignmentOut(Schema):
    id: int
    class_id: int
    title: str
    purpose: str
    due_date: date
    resource_ids: list[int]


class MyAssignmentOut(AssignmentOut):
    done: int
    total: int
    seconds_spent: int
    complete: bool


class StudentProgressOut(Schema):
    student_id: int
    student: str
    done: int
    total: int
    seconds_spent: int
    complete: bool
    last_seen: datetime | None


class ProgressIn(InSchema):
    resource_id: Id
    position: Int = Field(0, ge=0, le=24 * 3600, description="播放位置（秒）")
    elapsed: Int = Field(0, ge=0, le=3600, description="距上次上报播放的秒数（无播放会话的旧客户端用）")
    duration: Int = Field(0, ge=0, le=24 * 3600)
    completed: bool = False
    session: str = Field(
        "", max_length=40, pattern=r"^([A-Za-z0-9_-]{8,40})?$", description="播放会话标识（每次打开页面随机生成）"
    )
    played: Int | None = Field(None, ge=0, le=24 * 3600, description="本次播放会话累计播放的秒数")


class ProgressOut(Schema):
    resource_id: int
    position: int
    furthest: int
    seconds_spent: int
    complete: bool
