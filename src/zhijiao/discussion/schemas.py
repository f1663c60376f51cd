"""Shapes of the discussion API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from zhijiao.core.api_parser import InSchema
from zhijiao.core.params import FILLED_TEXT_PATTERN, Id

from .models import BODY_MAX, TITLE_MAX

BODY_DESCRIPTION = "正文（HTML，保存时清理）；清理后须仍有文字"

ThreadKindKey = Literal["discussion", "question"]


class ThreadIn(InSchema):
    kind: ThreadKindKey = "discussion"
    title: str = Field(max_length=TITLE_MAX, pattern=FILLED_TEXT_PATTERN)
    body: str = Field(max_length=BODY_MAX, pattern=FILLED_TEXT_PATTERN, description=BODY_DESCRIPTION)
    unit: str | None = None


class ReplyIn(InSchema):
    body: str = Field(max_length=BODY_MAX, pattern=FILLED_TEXT_PATTERN, description=BODY_DESCRIPTION)
    parent_id: Id | None = None


class PinIn(InSchema):
    pinned: bool


class CloseIn(InSchema):
    closed: bool


class PostReasonIn(InSchema):
    reason: str


class PostOut(Schema):
    id: int
    author: str
    by_staff: bool
    body: str
    hidden: bool
    hidden_reason: str | None
    parent_id: int | None
    vote_count: int
    voted: bool
    accepted: bool
    created_at: datetime


class ThreadOut(Schema):
    id: int
    run_id: int
    course_id: int
    kind: str
    title: str
    author: str
    unit: str | None
    pinned: bool
    closed: bool
    hidden: bool
    answered: bool
    reply_count: int
    accepted_post_id: int | None
    created_at: datetime
    last_activity_at: datetime | None
    url: str


class ThreadListOut(Schema):
    page: int
    pages: int
    total: int
    threads: list[ThreadOut]


class ThreadPageOut(Schema):
    thread: ThreadOut
    opening: PostOut | None
    accepted: PostOut | None
    replies: list[PostOut]
    page: int
    pages: int


class VoteOut(Schema):
    voted: bool
    vote_count: int


class ReportOut(Schema):
    id: int
    post_id: int
    reason: str


class DismissIn(InSchema):
    reason: str = ""


class DismissOut(Schema):
    post_id: int
    dismissed: int


class QueueReportOut(Schema):
    reporter: str
    reason: str
    created_at: datetime


class ReportedPostOut(Schema):
    post: PostOut
    thread_id: int
    thread_title: str
    reports: list[QueueReportOut]


class ReportQueueOut(Schema):
    page: int
    pages: int
    total: int
    posts: list[ReportedPostOut]
