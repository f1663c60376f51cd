"""Who teaches a run (开课), and what its teachers read: the run's staff, release schedule, roster, learners and
announcements.

**The one permission question** is :func:`may_teach_run`. Every page, API operation and service of run
management asks it, and nothing else:

- the course's lead and teachers (they write the content) and platform admins teach every run of the course;
- a run's own lead teacher and teachers (``RunStaff``) teach that run: its dates, schedule, staff, roster and
  announcements;
- teaching assistants — the run's, and the course team's — may *read* the roster and the learners' progress
  (``change=False``) but change nothing;
- everyone else, learners included, is told the run is not there (:func:`access_taught_run`).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from zhijiao.core.actors import Actor, signed_in
from zhijiao.core.errors import NotFound
from zhijiao.orgs.selectors import is_platform_admin

from ..models import (
    EDITING_ROLES,
    Announcement,
    Enrolment,
    RosterEntry,
    Run,
    RunRelease,
    RunStaff,
    TeamRole,
)
from .content import access_course, draft_outline, published_outline, team_role


def run_role(actor: Actor | None, run: Run) -> str | None:
    """The actor's role on the run's own staff (``RunStaff``), or None; asked once per run object."""
    if not signed_in(actor):
        return None
    cache = getattr(run, "_staff_roles", None)
    if cache is None:
        cache = run._staff_roles = {}  # type: ignore[attr-defined]
    if actor.pk not in cache:
        cache[actor.pk] = RunStaff.objects.filter(run=run, user=actor).values_list("role", flat=True).first()
    return cache[actor.pk]


def may_teach_run(actor: Actor | None, run: Run, *, change: bool = True) -> bool:
    """Whether the actor teaches this run: changes it (``change=True``: course lead/teachers, the run's lead and
    teachers, platform admins) or reads its roster and learners' progress (``change=False``: assistants too)."""
    if not signed_in(actor):
        return False
    if is_platform_admin(actor):
        return True
    course_role = team_role(actor, run.course)
    own_role = run_role(actor, run)
    if course_role in EDITING_ROLES or own_role in EDITING_ROLES:
        return True
    return not change and TeamRole.ASSISTANT in (course_role, own_role)


def access_taught_run(*, actor: Actor | None, course_id: int, run_id: int) -> Run:
    """A run of this course that the actor teaches or assists; NotFound for every other id (and for learners)."""
    course = access_course(actor=actor, course_id=course_id)
    run = Run.objects.select_related("university").filter(pk=run_id, course_id=course.pk).first()
    if run is None:
        raise NotFound
    run.course = course
    if not may_teach_run(actor, run, change=False):
        raise NotFound
    return run


def runs_taught(*, actor: Actor | None, course_id: int) -> list[Run]:
    """The runs of the course the actor teaches or assists, newest first (all of them for the course team)."""
    course = access_course(actor=actor, course_id=course_id)
    runs = list(Run.objects.filter(course=course).select_related("university").order_by("-starts_at", "-id"))
    for run in runs:
        run.course = course
    return [run for run in runs if may_teach_run(actor, run, change=False)]


def staff_of(*, run: Run) -> QuerySet[RunStaff]:
    return RunStaff.objects.filter(run=run).select_related("user").order_by("role", "id")


def roster_of(*, run: Run) -> QuerySet[RosterEntry]:
    return RosterEntry.objects.filter(run=run).select_related("user").order_by("student_number")


def learners_of(*, run: Run) -> QuerySet[Enrolment]:
    """The run's learners with their completion and when they last studied, most advanced first."""
    return Enrolment.objects.filter(run=run).select_related("user").order_by("-completion", "-last_studied_at", "id")


def announcements_of(*, run: Run) -> QuerySet[Announcement]:
    return Announcement.objects.filter(run=run).select_related("author").order_by("-created_at", "-id")


def chapters_of(*, run: Run) -> list[dict[str, Any]]:
    """The course's chapters a schedule can name: those of the published version, then the draft's not published
    yet (a teacher schedules ahead), each with its release time or None (it opens when the run starts)."""
    chapters: dict[str, dict[str, Any]] = {}
    outlines = [draft_outline(course=run.course)]
    if run.course.published_version_id is not None:
        outlines.insert(0, published_outline(course=run.course))
    for published, outline in zip((True, False)[-len(outlines) :], outlines, strict=True):
        for node in outline.get("nodes", []):
            key = str(node["content_id"])
            if node.get("kind") == "chapter" and key not in chapters:
                chapters[key] = {"content_id": key, "title": node["title"], "published": published, "opens_at": None}
    for row in RunRelease.objects.filter(run=run, content_id__in=list(chapters)):
        chapters[str(row.content_id)]["opens_at"] = row.opens_at
    return list(chapters.values())
