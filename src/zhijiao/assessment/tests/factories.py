"""Questions for tests: one of each type, written as a teacher would."""

import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from zhijiao.accounts.models import User
from zhijiao.courses.grading import default_policy
from zhijiao.courses.models import Course, Enrolment, Run

from ..models import (
    Attempt,
    AttemptItem,
    AttemptStatus,
    AttemptStep,
    ItemStatus,
    Question,
    QuestionVersion,
    StepAction,
    SubmittedBy,
)
from ..rules import PeerReviewRules, Pick, Rules
from ..services import question_create

HOMEWORK = uuid.UUID(int=501)

SAMPLES: dict[str, dict[str, Any]] = {
    "single": {
        "stem": "<p>栈的特点是？</p>",
        "data": {"options": ["先进先出", "后进先出", "随机存取", "按优先级出"], "answer": 1},
        "points": "2",
    },
    "multiple": {
        "stem": "<p>下列属于线性结构的有？</p>",
        "data": {"options": ["栈", "队列", "二叉树", "线性表"], "answer": [0, 1, 3], "scoring": "share"},
        "points": "3",
    },
    "truefalse": {"stem": "<p>队列是先进先出的线性表。</p>", "data": {"answer": True}, "points": "1"},
    "fill": {
        "stem": "<p>栈的两种基本操作是 ____ 和 ____。</p>",
        "data": {"blanks": [["入栈", "push"], ["出栈", "pop"]], "any_order": True},
        "points": "2",
    },
    "short": {
        "stem": "<p>简述顺序表和链表的区别。</p>",
        "data": {
            "reference": "存储方式、插入删除效率、随机访问。",
            "rubric": [{"criterion": "存储方式", "points": "2"}, {"criterion": "效率比较", "points": "3"}],
            "grading": "manual",
        },
        "points": "5",
    },
    "essay": {
        "stem": "<p>论述哈希表在工程中的应用。</p>",
        "data": {"rubric": [{"criterion": "观点明确", "points": "10"}], "grading": "peer"},
        "points": "10",
    },
    "file": {
        "stem": "<p>上传你的实验报告。</p>",
        "data": {"formats": ["pdf", "docx"], "grading": "manual"},
        "points": "10",
    },
}


def make_question(
    *, actor: User, course: Course, type: str = "single", tags: Any = (), difficulty: Any = 3, **over: Any
) -> Question:
    sample = SAMPLES[type]
    fields = {
        "type": type,
        "stem": sample["stem"],
        "data": sample["data"],
        "points": Decimal(sample["points"]),
        "tags": tags,
        "difficulty": difficulty,
        **over,
    }
    return question_create(actor=actor, course=course, **fields)


def current(question: Question) -> QuestionVersion:
    """The question's current version (every stored question has one)."""
    assert question.current_version is not None
    return question.current_version


# --- Submitted attempts (what the attempt-taking side hands to grading) --------------------------------------------


def make_run(*, course: Course, title: str = "2026 春季学期", days_since_start: int = 30, **fields: Any) -> Run:
    """A run of ``course`` that started ``days_since_start`` days ago, with the default grading policy."""
    now = timezone.now()
    start = now - timedelta(days=days_since_start)
    values: dict[str, Any] = {
        "course": course,
        "title": title,
        "enrol_opens_at": start - timedelta(days=10),
        "enrol_closes_at": start + timedelta(days=60),
        "starts_at": start,
        "ends_at": start + timedelta(days=120),
        "grading_policy": default_policy().as_json(),
        **fields,
    }
    return Run.objects.create(**values)


def homework_rules(
    version: QuestionVersion, *, reviewers: int = 3, required: int | None = None, closes_after_days: int = 60,
    review_days: int = 7, peer: bool = True,
) -> dict[str, Any]:  # fmt: skip
    """A homework's rules (as an attempt copies them) picking ``version``; peer-reviewed unless ``peer=False``."""
    rules = Rules(
        kind="homework",
        category="homework",
        picks=(Pick(str(version.question.identifier), version.number),),
        closes_after_days=closes_after_days,
        peer_review=PeerReviewRules(reviewers, review_days, required) if peer else None,
    )
    return rules.as_json()


def make_submission(
    *,
    run: Run,
    user: User,
    version: QuestionVersion,
    response: Any = "我的答案",
    status: str = ItemStatus.PEER,
    content_id: uuid.UUID = HOMEWORK,
    title: str = "第一次作业",
    rules: dict[str, Any] | None = None,
    submitted_at: Any = None,
) -> Attempt:
    """A learner's submitted homework of one manually graded question, waiting for peers (``peer``) or the
    teaching team (``staff``); the learner is enrolled in the run."""
    Enrolment.objects.get_or_create(run=run, user=user)
    now = submitted_at or timezone.now()
    attempt = Attempt.objects.create(
        run=run,
        user=user,
        content_id=content_id,
        kind="homework",
        title=title,
        status=AttemptStatus.SUBMITTED,
        rules=rules if rules is not None else homework_rules(version, peer=status == ItemStatus.PEER),
        started_at=now - timedelta(minutes=30),
        submitted_at=now,
        submitted_by=SubmittedBy.LEARNER,
        possible=version.points,
        pending=1,
    )
    AttemptItem.objects.create(
        attempt=attempt, position=1, version=version, points=version.points, response=response, status=status
    )
    AttemptStep.objects.create(attempt=attempt, action=StepAction.SUBMIT, actor=user)
    return attempt


def publish(course: Course, lead: User) -> Course:
    """Give the course one unit and publish it, so its learners may see it."""
    from zhijiao.courses import services as courses
    from zhijiao.courses.tests.factories import build_tree

    build_tree(course, chapters=1, sections=1, units=1, blocks=1)
    courses.course_publish(actor=lead, course=course)
    course.refresh_from_db()
    return course
