"""Reads of grading by people: the teaching team's grading queue (批阅) and peer review (互评), with who may do
what.

- **Who grades.** A run's teaching team grades its learners' answers: the course's lead and teachers, the run's own
  teachers, and teaching assistants (course or run), as MOOC platforms let their assistants grade; platform admins
  too. That is ``courses.selectors.may_teach_run(…, change=False)`` — :func:`may_grade`, the one question every page,
  API operation and service asks. Learners and teachers of other runs are refused.
- **What waits.** The queue holds a run's answers waiting for a person (``staff``), and the answers still in peer
  review (``peer``) whose review deadline has passed (the periodic pass soon decides them; until then the team sees
  them at once), oldest submission first.
- **Peer review is blind.** A reviewer reads the question and the answer, never who wrote it; the author reads the
  scores and comments of their reviews, never who gave them.
- **A learner sees their own peer-reviewed score** only once they have done their share of reviews for the same
  assessment in the same run (:func:`score_visible`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijiao.accounts.models import User
from zhijiao.core.actors import Actor, signed_in
from zhijiao.core.errors import NotFound
from zhijiao.courses import selectors as courses
from zhijiao.courses.models import Run

from ..models import Attempt, AttemptItem, AttemptStatus, ItemStatus, PeerReview
from ..rules import PeerReviewRules, Rules, parse_rules

# What a queue filter's status may be: waiting (the default: ``staff``, and ``peer`` past its deadline), one of
# them alone, or the answers already graded by a person (to look again or regrade).
QUEUE_STATUSES = ("waiting", ItemStatus.STAFF, ItemStatus.PEER, ItemStatus.GRADED)


# --- Who may do what -----------------------------------------------------------------------------------------------


def may_grade(actor: Actor | None, run: Run) -> bool:
    """Whether the actor grades this run's answers: its teaching team, assistants included."""
    return signed_in(actor) and courses.may_teach_run(actor, run, change=False)


def require_grader(actor: Actor | None, run: Run) -> None:
    if not may_grade(actor, run):
        raise PermissionDenied(_("只有本开课的教学团队可以批阅作答"))


def access_grading_run(*, actor: Actor | None, run_id: int, course_id: int | None = None) -> Run:
    """A run whose answers the actor grades; NotFound for a run they cannot see, PermissionDenied (with a message)
    for a visible run they do not teach."""
    run = courses.access_run(actor=actor, run_id=run_id)
    if course_id is not None and run.course_id != course_id:
        raise NotFound
    require_grader(actor, run)
    return run


def _items() -> QuerySet[AttemptItem]:
    return AttemptItem.objects.select_related("attempt", "attempt__user", "version")


def access_gradable_item(*, actor: Actor | None, item_id: int, run: Run | None = None) -> AttemptItem:
    """An answer the actor may grade (a submitted attempt's item, of a run they teach)."""
    item = _items().filter(pk=item_id).exclude(attempt__status=AttemptStatus.IN_PROGRESS).first()
    if item is None or (run is not None and item.attempt.run_id != run.pk):
        raise NotFound
    if run is None:
        run = courses.access_run(actor=actor, run_id=item.attempt.run_id)
    require_grader(actor, run)
    item.attempt.run = run
    return item


# --- Rules of an attempt -------------------------------------------------------------------------------------------


def attempt_rules(attempt: Attempt) -> Rules:
    return parse_rules(attempt.rules, kind=attempt.kind)


def peer_rules(attempt: Attempt) -> PeerReviewRules | None:
    """The peer review rules an attempt ran under, or None when it is not peer-reviewed."""
    if not attempt.rules.get("peer_review"):
        return None
    return attempt_rules(attempt).peer_review


def required_reviews(rules: PeerReviewRules) -> int:
    """How many reviews a learner owes (by default as many as each answer gets)."""
    return rules.reviewers if rules.required is None else rules.required


def review_due_at(attempt: Attempt, run: Run | None = None) -> datetime:
    return attempt_rules(attempt).review_due_at(run or attempt.run)


# --- The grading queue ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueFilter:
    content_id: uuid.UUID | None = None
    status: str = "waiting"


def _peer_assessments(run: Run) -> dict[str, Attempt]:
    """One attempt per peer-reviewed assessment of the run that has answers in peer review (its rules give the
    review deadline)."""
    found: dict[str, Attempt] = {}
    rows = (
        Attempt.objects.filter(run=run, items__status=ItemStatus.PEER)
        .order_by("content_id", "-started_at")
        .distinct()
        .only("id", "content_id", "kind", "rules", "run_id")
    )
    for attempt in rows:
        found.setdefault(str(attempt.content_id), attempt)
    return found


def peer_overdue(*, run: Run, now: datetime | None = None) -> list[str]:
    """The run's assessments whose peer review deadline has passed while answers are still in peer review."""
    now = now or timezone.now()
    return [key for key, attempt in _peer_assessments(run).items() if review_due_at(attempt, run) <= now]


def grading_queue(
    *, run: Run, filters: QueueFilter | None = None, now: datetime | None = None
) -> QuerySet[AttemptItem]:
    """The run's answers waiting for the teaching team, oldest submission first (``filters.status`` ``graded``: the
    ones a person graded, newest first)."""
    filters = filters or QueueFilter()
    items = _items().filter(attempt__run=run).exclude(attempt__status=AttemptStatus.IN_PROGRESS)
    if filters.content_id is not None:
        items = items.filter(attempt__content_id=filters.content_id)
    if filters.status == ItemStatus.GRADED:
        return (
            items.filter(status=ItemStatus.GRADED, graded_at__isnull=False)
            .filter(Q(graded_by__isnull=False) | Q(reviews__isnull=False))
            .distinct()
            .order_by("-graded_at", "-id")
        )
    overdue = peer_overdue(run=run, now=now)
    peer = Q(status=ItemStatus.PEER, attempt__content_id__in=overdue)
    if filters.status == ItemStatus.STAFF:
        items = items.filter(status=ItemStatus.STAFF)
    elif filters.status == ItemStatus.PEER:
        items = items.filter(peer)
    else:
        items = items.filter(Q(status=ItemStatus.STAFF) | peer)
    return items.order_by("attempt__submitted_at", "attempt_id", "position")


def next_in_queue(
    *, run: Run, filters: QueueFilter | None = None, after: AttemptItem | None = None
) -> AttemptItem | None:
    """The next answer to grade (下一份): the first of the queue after ``after`` in its order, else its first."""
    queue = grading_queue(run=run, filters=filters)
    if after is None:
        return queue.first()
    rest = [item for item in queue.exclude(pk=after.pk)[:200]]
    key = (after.attempt.submitted_at, after.attempt_id, after.position)
    for item in rest:
        if (item.attempt.submitted_at, item.attempt_id, item.position) > key:
            return item
    return rest[0] if rest else None


def queue_assessments(*, run: Run) -> list[tuple[str, str]]:
    """The run's assessments with answers graded by people (content id, title), for the queue's filter."""
    rows = (
        Attempt.objects.filter(run=run)
        .filter(Q(items__status__in=[ItemStatus.STAFF, ItemStatus.PEER]) | Q(items__graded_by__isnull=False))
        .values_list("content_id", "title")
        .distinct()
    )
    titles: dict[str, str] = {}
    for content_id, title in rows:
        titles.setdefault(str(content_id), title or str(content_id))
    return sorted(titles.items(), key=lambda pair: pair[1])


def queue_count(*, run: Run) -> int:
    return grading_queue(run=run).count()


def rubric_of(item: AttemptItem) -> list[dict[str, Any]]:
    """The item's rubric criteria (criterion, points as ``Decimal``), empty when it has none."""
    return [
        {"criterion": row["criterion"], "points": Decimal(row["points"])}
        for row in (item.version.data or {}).get("rubric") or []
    ]


def item_steps(*, item: AttemptItem) -> list[Any]:
    """The grades given to this answer, oldest first (the audit trail)."""
    from ..models import AttemptStep, StepAction

    return list(
        AttemptStep.objects.filter(
            attempt_id=item.attempt_id,
            position=item.position,
            action__in=[StepAction.GRADE, StepAction.REGRADE, StepAction.PEER],
        )
        .select_related("actor")
        .order_by("id")
    )


# --- Peer review ---------------------------------------------------------------------------------------------------


def reviews_done(*, attempt: Attempt) -> int:
    """How many peer reviews the attempt's learner has finished for this assessment of this run (one query)."""
    return PeerReview.objects.filter(
        reviewer_id=attempt.user_id,
        submitted_at__isnull=False,
        item__attempt__run_id=attempt.run_id,
        item__attempt__content_id=attempt.content_id,
    ).count()


def score_visible(*, attempt: Attempt) -> bool:
    """Whether the learner sees their score on this attempt: always, unless the assessment is peer-reviewed and
    they have not yet done the reviews it asks of them."""
    rules = peer_rules(attempt)
    if rules is None:
        return True
    required = required_reviews(rules)
    return required == 0 or reviews_done(attempt=attempt) >= required


@dataclass(frozen=True)
class PeerProgress:
    """Where a learner's peer-reviewed attempt stands, for its result page: the reviews they owe and have done, when
    reviews are due, whether their answers are still being reviewed and whether they see their score."""

    required: int
    done: int
    due_at: datetime
    in_review: int
    visible: bool

    @property
    def owed(self) -> int:
        return max(0, self.required - self.done)

    @property
    def closed(self) -> bool:
        return timezone.now() >= self.due_at


def peer_progress(*, attempt: Attempt) -> PeerProgress | None:
    """The peer review standing of a submitted attempt (None when it is not peer-reviewed)."""
    rules = peer_rules(attempt)
    if rules is None or attempt.status == AttemptStatus.IN_PROGRESS:
        return None
    required = required_reviews(rules)
    done = reviews_done(attempt=attempt)
    return PeerProgress(
        required=required,
        done=done,
        due_at=review_due_at(attempt),
        in_review=attempt.items.filter(status=ItemStatus.PEER).count(),
        visible=required == 0 or done >= required,
    )


def reviewer_attempt(*, actor: Actor | None, run: Run, content_id: uuid.UUID | str) -> Attempt | None:
    """The actor's latest submitted attempt at this assessment of the run: what entitles them to review peers."""
    if not signed_in(actor):
        return None
    return (
        Attempt.objects.filter(run=run, user=actor, content_id=content_id)
        .exclude(status=AttemptStatus.IN_PROGRESS)
        .order_by("-number")
        .first()
    )


def review_candidates(*, actor: User, run: Run, content_id: uuid.UUID | str, reviewers: int) -> QuerySet[AttemptItem]:
    """The answers the actor may be given to review, fewest reviews assigned first, then the oldest submission: in
    peer review, not theirs, not already theirs to review, fewer than ``reviewers`` reviews assigned."""
    return (
        AttemptItem.objects.filter(status=ItemStatus.PEER, attempt__run=run, attempt__content_id=content_id)
        .exclude(attempt__user=actor)
        .exclude(reviews__reviewer=actor)
        .annotate(assigned=Count("reviews"))
        .filter(assigned__lt=reviewers)
        .order_by("assigned", "attempt__submitted_at", "id")
    )


@dataclass
class PeerTask:
    """A peer-reviewed assessment of a run, as one learner sees it on their 互评 page."""

    attempt: Attempt
    rules: PeerReviewRules
    required: int
    done: int
    due_at: datetime
    open_review: PeerReview | None
    visible: bool

    @property
    def content_id(self) -> str:
        return str(self.attempt.content_id)

    @property
    def title(self) -> str:
        return self.attempt.title

    @property
    def owed(self) -> int:
        return max(0, self.required - self.done)

    @property
    def closed(self) -> bool:
        return timezone.now() >= self.due_at


def peer_tasks(*, actor: Actor | None, run: Run) -> list[PeerTask]:
    """The actor's peer-reviewed assessments in the run: what they owe, what they are reviewing, whether they see
    their score (a few queries per assessment; a run has a handful)."""
    if not signed_in(actor):
        return []
    latest: dict[str, Attempt] = {}
    attempts = Attempt.objects.filter(run=run, user=actor).exclude(status=AttemptStatus.IN_PROGRESS).order_by("-number")
    for attempt in attempts:
        if attempt.rules.get("peer_review"):
            latest.setdefault(str(attempt.content_id), attempt)
    tasks = []
    for attempt in latest.values():
        attempt.run = run
        rules = peer_rules(attempt)
        if rules is None:
            continue
        required = required_reviews(rules)
        done = reviews_done(attempt=attempt)
        open_review = (
            PeerReview.objects.filter(
                reviewer=actor,
                submitted_at__isnull=True,
                item__attempt__run=run,
                item__attempt__content_id=attempt.content_id,
            )
            .order_by("id")
            .first()
        )
        tasks.append(
            PeerTask(
                attempt=attempt,
                rules=rules,
                required=required,
                done=done,
                due_at=review_due_at(attempt, run),
                open_review=open_review,
                visible=required == 0 or done >= required,
            )
        )
    return sorted(tasks, key=lambda task: task.due_at)


def access_review(*, actor: Actor | None, review_id: int) -> PeerReview:
    """One of the actor's own reviews (to do or done); NotFound for anyone else's."""
    if not signed_in(actor):
        raise NotFound
    review = (
        PeerReview.objects.select_related("item", "item__version", "item__attempt")
        .filter(pk=review_id, reviewer=actor)
        .first()
    )
    if review is None:
        raise NotFound
    return review


def reviews_by(*, actor: Actor | None, run: Run | None = None) -> QuerySet[PeerReview]:
    """The actor's reviews (to do and done), newest first; no author is named anywhere in them."""
    if not signed_in(actor):
        return PeerReview.objects.none()
    reviews = PeerReview.objects.filter(reviewer=actor).select_related("item", "item__version", "item__attempt")
    if run is not None:
        reviews = reviews.filter(item__attempt__run=run)
    return reviews.order_by("-created_at", "-id")


def reviews_received(*, attempt: Attempt) -> list[PeerReview]:
    """The finished reviews of the learner's own answers in this attempt (scores and comments, no reviewer), or none
    until they may see their score."""
    if not score_visible(attempt=attempt):
        return []
    return list(
        PeerReview.objects.filter(item__attempt=attempt, submitted_at__isnull=False)
        .select_related("item")
        .order_by("item__position", "submitted_at", "id")
    )


def items_of(reviews: Iterable[PeerReview]) -> list[AttemptItem]:
    return [review.item for review in reviews]
