"""Reads of runs (开课), enrolments and progress, with their access questions.

- a run is visible with its course (see ``content.access_course``);
- a learner may join an open run during its enrolment window; a SPOC run only as a student of its university,
  and when the run has a join code or a roster, with the code or as a student on the roster (student number and
  name match, the name being the real-name identity's when there is one — :func:`roster_entry_for`);
- a learner reads only their own progress; a progress event names a block of the run's published version.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from zhijiao.core.actors import Actor, signed_in
from zhijiao.core.errors import NotFound
from zhijiao.core.prepared import Prepared
from zhijiao.orgs.models import Role
from zhijiao.orgs.selectors import has_role

from ..models import BlockProgress, Enrolment, RosterEntry, Run, RunRelease
from .content import access_course


def access_run(*, actor: Actor | None, run_id: int) -> Run:
    """A run of a course the actor may see; NotFound for every other id."""
    run = Run.objects.filter(pk=run_id).only("id", "course_id").first()
    if run is None:
        raise NotFound
    course = access_course(actor=actor, course_id=run.course_id)
    found = Run.objects.select_related("university").get(pk=run_id)
    found.course = course
    return found


def runs_of(*, course_id: int) -> QuerySet[Run]:
    return Run.objects.filter(course_id=course_id).select_related("university").order_by("-starts_at", "-id")


def is_enrolled(actor: Actor | None, run: Run) -> bool:
    return signed_in(actor) and Enrolment.objects.filter(run=run, user=actor).exists()


def enrolment_is_open(run: Run) -> bool:
    return run.enrol_opens_at <= timezone.now() < run.enrol_closes_at


def may_join(actor: Actor | None, run: Run) -> bool:
    """Whether the actor is someone this run admits (the join code is checked where it is typed)."""
    if not signed_in(actor):
        return False
    if run.kind == Run.Kind.SPOC:
        return run.university is not None and has_role(actor, Role.STUDENT, organization=run.university)
    return True


def has_roster(run: Run) -> bool:
    return run.kind == Run.Kind.SPOC and RosterEntry.objects.filter(run=run).exists()


def admission_needs(run: Run) -> frozenset[str]:
    """What an enrolment form asks for: ``join_code`` and/or ``roster`` (student number and name); either one
    admits a student of the SPOC's university. Empty for an open run or a SPOC with neither."""
    needs = set()
    if run.kind == Run.Kind.SPOC and run.join_code:
        needs.add("join_code")
    if has_roster(run):
        needs.add("roster")
    return frozenset(needs)


def roster_entry_for(actor: Actor | None, run: Run, *, student_number: str = "", name: str = "") -> RosterEntry | None:
    """The actor's line of the run's roster: one already theirs, else the unclaimed line whose student number and
    name match what they typed. When the actor has a real-name identity, the roster must carry that name (nobody
    takes a classmate's place by typing the classmate's name)."""
    if not signed_in(actor) or run.kind != Run.Kind.SPOC:
        return None
    own = RosterEntry.objects.filter(run=run, user=actor).first()
    if own is not None:
        return own
    number = student_number.strip()
    if not number:
        return None
    from zhijiao.accounts.selectors import real_name_of

    identity = real_name_of(actor)
    typed = " ".join(name.split())
    entry = RosterEntry.objects.filter(run=run, student_number=number, user__isnull=True).first()
    if entry is None or entry.name != typed or (identity is not None and identity.name != entry.name):
        return None
    return entry


def progress_of(*, actor: Actor | None, content_ids: Iterable[str]) -> dict[str, BlockProgress]:
    """The actor's own progress on these pieces of content, by content_id (nobody else's, nothing for visitors)."""
    if not signed_in(actor):
        return {}
    ids = list(content_ids)
    if not ids:
        return {}
    rows = BlockProgress.objects.filter(user=actor, content_id__in=ids)
    return {str(row.content_id): row for row in rows}


def release_times(run: Run) -> dict[str, datetime]:
    """When each chapter of the run opens, by the chapter's content_id; a chapter not listed opens at the run's start
    (``chapter_opens_at``)."""
    rows = _RELEASES.list(run.pk)
    return {str(content_id): opens_at for content_id, opens_at in rows}


_RELEASES = Prepared(lambda run_id: RunRelease.objects.filter(run_id=run_id).values_list("content_id", "opens_at"))


def chapter_opens_at(run: Run, chapter_content_id: str, releases: dict[str, datetime] | None = None) -> datetime:
    """The moment a chapter of the run opens to its learners (its release time, else the run's start)."""
    times = release_times(run) if releases is None else releases
    return times.get(str(chapter_content_id), run.starts_at)


def chapter_is_open(
    run: Run, chapter_content_id: str, *, releases: dict[str, datetime] | None = None, now: datetime | None = None
) -> bool:
    """Whether the run's learners may open this chapter now (the teaching team always may: ask them first)."""
    return chapter_opens_at(run, chapter_content_id, releases) <= (now or timezone.now())
