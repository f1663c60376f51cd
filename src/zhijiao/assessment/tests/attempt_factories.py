"""A published course whose first unit holds a timed exam (考试) over one question of each objective type and an
essay, a run that started yesterday, and its learners — for the attempts' tests."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from zhijiao.accounts.models import User
from zhijiao.accounts.tests.factories import make_user
from zhijiao.courses import services as courses
from zhijiao.courses.models import Block, Course, Node, NodeKind, Run
from zhijiao.courses.tests.factories import build_tree, make_course

from ..models import Question
from .factories import current, make_question

EXAM_TYPES = ("single", "multiple", "truefalse", "fill", "essay")


def first_unit(course: Course) -> Node:
    return Node.objects.filter(course=course, kind=NodeKind.UNIT).order_by("parent__parent__position", "position")[0]


def make_exam_course(
    lead: User, *, kind: str = "exam", types: tuple[str, ...] = EXAM_TYPES, **rules: Any
) -> tuple[Course, Block, list[Question]]:
    course = make_course(lead=lead, title="数据结构")
    build_tree(course, chapters=1, sections=1, units=1, blocks=1)
    questions = [make_question(actor=lead, course=course, type=name) for name in types]
    data = {
        "picks": [{"question": str(q.identifier), "version": current(q).number} for q in questions],
        "time_limit_minutes": 60 if kind == "exam" else None,
        **rules,
    }
    block = courses.block_add(actor=lead, unit=first_unit(course), type=kind, title="期末考试", data=data)
    courses.course_publish(actor=lead, course=course)
    course.refresh_from_db()
    return course, block, questions


def make_run(lead: User, course: Course) -> Run:
    now = timezone.now()
    return courses.run_create(
        actor=lead,
        course=course,
        title="2026 秋季学期",
        kind="open",
        enrol_opens_at=now - timedelta(days=1),
        enrol_closes_at=now + timedelta(days=30),
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=90),
    )


def make_learner(run: Run, *, studied: bool = True, **fields: Any) -> User:
    """An enrolled learner; ``studied``: they opened every unit's other blocks (the default policy opens the
    exam once everything else is done)."""
    user = make_user(**fields)
    courses.enrolment_create(actor=user, run=run)
    if studied:
        for block in Block.objects.filter(course=run.course).exclude(type__in=("quiz", "homework", "exam")):
            courses.progress_record(actor=user, run=run, content_id=str(block.content_id), opened=True)
    return user
