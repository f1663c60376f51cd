"""A published course with a discussion prompt, runs, and members for the forum's tests."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from zhijiao.accounts.models import User
from zhijiao.accounts.tests.factories import make_user
from zhijiao.courses import services as courses
from zhijiao.courses.models import Course, Node, NodeKind, Run, RunStaff, TeamRole
from zhijiao.courses.tests.factories import build_tree, make_course

from ..models import Post, Thread

PROMPT = "请结合身边的例子，谈谈你对“算法复杂度”的理解。"


def make_published_course(lead: User, *, title: str = "数据结构") -> Course:
    """Two chapters of two units with rich text, and a 课堂讨论 block in the first unit; published."""
    course = make_course(lead=lead, title=title)
    build_tree(course, chapters=2, sections=1, units=2, blocks=1)
    unit = Node.objects.filter(course=course, kind=NodeKind.UNIT).order_by("parent__parent__position", "position")[0]
    courses.block_add(actor=lead, unit=unit, type="discussion", title="课堂讨论：复杂度", data={"prompt": PROMPT})
    courses.course_publish(actor=lead, course=course)
    course.refresh_from_db()
    return course


def make_run(lead: User, course: Course, title: str = "2026 秋季学期") -> Run:
    now = timezone.now()
    return courses.run_create(
        actor=lead,
        course=course,
        title=title,
        kind="open",
        enrol_opens_at=now - timedelta(days=1),
        enrol_closes_at=now + timedelta(days=30),
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=90),
    )


def make_learner(run: Run, **fields: Any) -> User:
    user = make_user(**fields)
    courses.enrolment_create(actor=user, run=run)
    return user


def make_assistant(run: Run, **fields: Any) -> User:
    user = make_user(**fields)
    RunStaff.objects.create(run=run, user=user, role=TeamRole.ASSISTANT)
    return user


def make_thread(run: Run, author: User, *, kind: str = "discussion", title: str = "如何理解时间复杂度？") -> Thread:
    from .. import services

    return services.thread_create(actor=author, run=run, kind=kind, title=title, body="<p>请老师讲讲大 O 记号。</p>")


def bulk_replies(thread: Thread, authors: list[User], count: int) -> None:
    """``count`` replies written straight to the table (a big thread for query-count tests and the bench)."""
    now = timezone.now()
    Post.objects.bulk_create(
        [Post(thread=thread, author=authors[n % len(authors)], body=f"<p>第 {n + 1} 条回复</p>") for n in range(count)]
    )
    Thread.objects.filter(pk=thread.pk).update(reply_count=count, last_activity_at=now)
    thread.reply_count = count
