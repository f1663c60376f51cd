"""Reads of a run's forum, and its access questions, each answered once.

Who may do what (every page, API operation and service asks these functions and nothing else):

- **read and post** in a run's forum: its learners (enrolled in that run) and its teaching team;
- **the teaching team** of a run is whoever ``courses.selectors.may_teach_run(…, change=False)`` admits: the
  course's lead, teachers and assistants, the run's own staff (assistants included) and platform admins. They pin
  and close threads, hide posts, mark accepted answers and see the unanswered queue (待回答);
- the **asker** of a question may mark its accepted answer too;
- everyone else — visitors, members of another run, learners of another course — is told the forum, thread or
  post is not there (:class:`NotFound`, the same answer as for an id that does not exist).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Q, QuerySet

from zhijiao.core.actors import Actor, signed_in
from zhijiao.core.errors import NotFound
from zhijiao.core.params import page_number
from zhijiao.courses import selectors as courses
from zhijiao.courses.models import Course, Run

from ..models import Post, Thread, Vote

STAFF = "staff"
LEARNER = "learner"
REPLIES_PER_PAGE = 50
THREADS_PER_PAGE = 20
MAX_PAGE = 1000


def is_teaching_team(actor: Actor | None, run: Run) -> bool:
    """Whether the actor teaches or assists the run: the courses engine's one staff question, reused."""
    return courses.may_teach_run(actor, run, change=False)


def forum_role(actor: Actor | None, run: Run) -> str | None:
    """``"staff"`` for the run's teaching team, ``"learner"`` for its learners, None for everyone else; asked once
    per run object."""
    if not signed_in(actor):
        return None
    cache = getattr(run, "_forum_roles", None)
    if cache is None:
        cache = run._forum_roles = {}  # type: ignore[attr-defined]
    if actor.pk not in cache:
        if is_teaching_team(actor, run):
            cache[actor.pk] = STAFF
        elif courses.is_enrolled(actor, run):
            cache[actor.pk] = LEARNER
        else:
            cache[actor.pk] = None
    role: str | None = cache[actor.pk]
    return role


def access_forum(*, actor: Actor | None, run_id: int) -> Run:
    """A run whose forum the actor may read and post in; NotFound for every other id."""
    run = courses.access_run(actor=actor, run_id=run_id)
    if forum_role(actor, run) is None:
        raise NotFound
    return run


def forum_for_course(*, actor: Actor | None, course: Course) -> Run | None:
    """The run whose forum a course's 讨论 link opens for the actor: the run they are enrolled in (their latest), else
    the newest run they teach; None when they are in none."""
    enrolment = courses.enrolment_in(actor=actor, course=course)
    if enrolment is not None:
        return enrolment.run
    taught = courses.runs_taught(actor=actor, course_id=course.pk) if signed_in(actor) else []
    return taught[0] if taught else None


def _threads() -> QuerySet[Thread]:
    return Thread.objects.select_related("run__course", "run__university", "author")


def access_thread(*, actor: Actor | None, thread_id: int) -> Thread:
    """A thread of a forum the actor is in; NotFound for every other id (another run's thread included)."""
    thread = _threads().filter(pk=thread_id).first()
    if thread is None or forum_role(actor, thread.run) is None:
        raise NotFound
    return thread


def access_post(*, actor: Actor | None, post_id: int) -> Post:
    """A post of a forum the actor is in; NotFound for every other id."""
    post = (
        Post.objects.select_related("thread__run__course", "thread__run__university", "thread__author", "author")
        .filter(pk=post_id)
        .first()
    )
    if post is None or forum_role(actor, post.thread.run) is None:
        raise NotFound
    return post


def clean_page(value: Any) -> int:
    """A page number from a query string: 1 for anything that is not a positive number, at most MAX_PAGE."""
    return page_number(value, maximum=MAX_PAGE)


# --- Lists --------------------------------------------------------------------------------------------------------


@dataclass
class ThreadList:
    threads: list[Thread]
    page: int
    pages: int
    total: int


def _page_of(queryset: QuerySet[Thread], page: int) -> ThreadList:
    total = queryset.count()
    pages = max(1, math.ceil(total / THREADS_PER_PAGE))
    page = min(page, pages)
    start = (page - 1) * THREADS_PER_PAGE
    return ThreadList(threads=list(queryset[start : start + THREADS_PER_PAGE]), page=page, pages=pages, total=total)


def threads_of(*, run: Run, kind: str, unit_id: str | None = None, page: int = 1) -> ThreadList:
    """A forum tab: 讨论区 (``discussion``) or 答疑区 (``question``) threads, pinned first, then the most recently
    active; those of one unit when ``unit_id`` is given."""
    queryset = _threads().filter(run=run, kind=kind)
    if unit_id:
        queryset = queryset.filter(unit_content_id=unit_id)
    return _page_of(queryset.order_by("-pinned", "-last_activity_at", "-id"), page)


def unanswered_of(*, run: Run, page: int = 1) -> ThreadList:
    """待回答: the run's questions with no reply from the teaching team and no accepted answer, oldest first."""
    queryset = _threads().filter(
        run=run, kind=Thread.Kind.QUESTION, hidden=False, closed=False, staff_replied=False, accepted_post__isnull=True
    )
    return _page_of(queryset.order_by("created_at", "id"), page)


def unanswered_count(*, run: Run) -> int:
    return Thread.objects.filter(
        run=run, kind=Thread.Kind.QUESTION, hidden=False, closed=False, staff_replied=False, accepted_post__isnull=True
    ).count()


def prompt_thread(*, run: Run, content_id: str) -> Thread | None:
    """The thread of a discussion block in a run (made by the first answer), or None."""
    return Thread.objects.filter(run=run, kind=Thread.Kind.PROMPT, block_content_id=content_id).first()


# --- A thread's page ----------------------------------------------------------------------------------------------


@dataclass
class ThreadPage:
    thread: Thread
    opening: Post | None
    accepted: Post | None
    replies: list[Post]
    page: int
    pages: int
    voted: set[int] = field(default_factory=set)
    role: str | None = None

    @property
    def is_staff(self) -> bool:
        return self.role == STAFF


def _posts() -> QuerySet[Post]:
    return Post.objects.select_related("author", "hidden_by")


def thread_page(*, actor: Actor | None, thread: Thread, page: int = 1, per_page: int = REPLIES_PER_PAGE) -> ThreadPage:
    """One page of a thread: its opening post, the accepted answer, ``per_page`` top-level replies in the order
    they came with the replies to each, and which of them the actor voted for.

    The same six queries whatever the thread's size (opening and accepted answer, the count, the page, the replies
    to it, the votes): a thread of 1,000 replies is pinned in a test."""
    role = forum_role(actor, thread.run)
    heads = {
        post.pk: post for post in _posts().filter(Q(thread=thread, is_opening=True) | Q(pk=thread.accepted_post_id))
    }
    opening = next((post for post in heads.values() if post.is_opening), None)
    accepted = heads.get(thread.accepted_post_id) if thread.accepted_post_id else None
    top = _posts().filter(thread=thread, parent__isnull=True, is_opening=False)
    total = top.count()
    pages = max(1, math.ceil(total / per_page))
    page = min(page, pages)
    start = (page - 1) * per_page
    replies = list(top.order_by("created_at", "id")[start : start + per_page])
    children: dict[int, list[Post]] = {}
    if replies:
        for child in _posts().filter(parent__in=[post.pk for post in replies]).order_by("created_at", "id"):
            children.setdefault(child.parent_id or 0, []).append(child)
    for post in replies:
        post.replies = children.get(post.pk, [])  # type: ignore[attr-defined]
    shown = [post.pk for post in heads.values()] + [post.pk for post in replies]
    shown += [child.pk for group in children.values() for child in group]
    voted: set[int] = set()
    if signed_in(actor) and shown:
        voted = set(Vote.objects.filter(user=actor, post_id__in=shown).values_list("post_id", flat=True))
    for post in [*heads.values(), *replies, *(child for group in children.values() for child in group)]:
        post.voted = post.pk in voted  # type: ignore[attr-defined]
    return ThreadPage(
        thread=thread,
        opening=opening,
        accepted=accepted,
        replies=replies,
        page=page,
        pages=pages,
        voted=voted,
        role=role,
    )


def prompt_of(*, actor: Actor | None, content_id: str) -> tuple[Run | None, dict[str, Any] | None]:
    """The run in which the actor answers a discussion block, and the block: of their enrolments, the most recently
    studied whose course's published version holds a discussion block with this ``content_id`` (a copied course
    shares content ids, so the course they are studying right now decides). (None, None) when there is none."""
    from zhijiao.courses.models import Enrolment

    if not signed_in(actor):
        return None, None
    enrolments = (
        Enrolment.objects.filter(user=actor, run__course__published_version__isnull=False)
        .select_related("run__course", "run__university")
        .order_by(F("last_studied_at").desc(nulls_last=True), "-created_at")[:20]
    )
    for enrolment in enrolments:
        block = courses.find_block(courses.published_outline(course=enrolment.run.course), content_id)
        if block is not None and block.get("type") == "discussion":
            return enrolment.run, block
    return None, None


def own_replies(*, actor: Actor | None, thread: Thread | None, limit: int = 20) -> list[Post]:
    """The actor's own answers in a prompt thread, newest last (what the discussion block shows inline)."""
    if thread is None or not signed_in(actor):
        return []
    return list(_posts().filter(thread=thread, author=actor, is_opening=False).order_by("-created_at", "-id")[:limit])[
        ::-1
    ]


def run_members_named(*, run: Run, names: set[str]) -> list[Any]:
    """The members of a run (its learners and teaching team) whose display name is one of ``names``."""
    from zhijiao.accounts.models import User

    if not names:
        return []
    course = run.course
    return list(
        User.objects.filter(display_name__in=names, is_active=True)
        .filter(Q(course_enrolments__run=run) | Q(run_roles__run=run) | Q(course_roles__course=course))
        .distinct()
        .only("id", "display_name")
    )


def member_run_ids(user: Actor | None) -> list[int]:
    """The runs a person learns in or teaches (course team included): who may find a forum's threads in search.
    One query (a union of three)."""
    if not signed_in(user):
        return []
    enrolled = Run.objects.filter(enrolments__user=user).order_by().values_list("id", flat=True)
    staffed = Run.objects.filter(staff__user=user).order_by().values_list("id", flat=True)
    team = Run.objects.filter(course__staff__user=user).order_by().values_list("id", flat=True)
    return list(enrolled.union(staffed, team).order_by())
