"""An attempt's score, from its items: the one place that turns graded items into the attempt's total and reports
it to the course engine's grades.

Whoever grades an item (the question type at submission, a teacher in the grading queue, the trimmed mean of peer
reviews, a regrade) sets the item's ``earned`` and ``status`` and then calls :func:`attempt_rescore`. It sums the
items, applies the late policy, marks the attempt graded once no item waits for a person, and, when it is graded,
reports the score that counts for the learner (their best or their last graded attempt, as the rules say) through
``courses.services.score_record`` — which updates the learner's course grade at once.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from zhijiao.courses import selectors as course_selectors
from zhijiao.courses import services as course_services
from zhijiao.courses.models import GradedItem

from ..models import Attempt, AttemptItem, AttemptStatus, ItemStatus
from ..rules import Keep, parse_rules

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def _counting(attempt: Attempt, graded: list[Attempt]) -> Attempt:
    """Of a learner's graded attempts at one assessment, the one whose score counts."""
    if attempt.rules.get("keep", Keep.BEST) == Keep.LAST:
        return max(graded, key=lambda a: (a.number, a.pk))
    return max(graded, key=lambda a: ((a.earned or ZERO) / (a.possible or Decimal("1")), -a.number))


@transaction.atomic
def attempt_rescore(attempt: Attempt, *, report: bool = True) -> Attempt:
    """Recompute a submitted attempt's total from its items and, once nothing waits for a person, mark it graded and
    report the learner's counting score to the run's grades (``report=False`` leaves the grades alone: a bulk
    load that regrades the run afterwards)."""
    if attempt.status == AttemptStatus.IN_PROGRESS:
        return attempt
    items = list(AttemptItem.objects.filter(attempt=attempt).values("status", "earned", "points"))
    possible = sum((row["points"] for row in items), ZERO)
    pending = sum(1 for row in items if row["status"] in (ItemStatus.STAFF, ItemStatus.PEER))
    earned = sum((row["earned"] or ZERO for row in items), ZERO)
    if attempt.late and attempt.submitted_at is not None:
        rules = parse_rules(attempt.rules, kind=attempt.kind)
        earned = (earned * rules.late_factor(attempt.run, attempt.submitted_at)).quantize(CENT)
    attempt.possible, attempt.pending = possible, pending
    if pending:
        attempt.status, attempt.earned, attempt.graded_at = AttemptStatus.SUBMITTED, None, None
    else:
        attempt.status, attempt.earned = AttemptStatus.GRADED, earned
        attempt.graded_at = attempt.graded_at or timezone.now()
    attempt.save(update_fields=["status", "earned", "possible", "pending", "graded_at", "updated_at"])
    if report and attempt.status == AttemptStatus.GRADED and possible > 0:
        _report(attempt)
    elif report and attempt.status == AttemptStatus.SUBMITTED and possible > 0:
        _announce(attempt)
    return attempt


def _category(attempt: Attempt) -> str | None:
    """The attempt's grading category, or None when the run's policy has no such category (its teachers renamed
    it: the attempt keeps its score and the gradebook shows none until the policy names it again)."""
    category = attempt.rules.get("category") or attempt.kind
    return category if course_selectors.run_policy(run=attempt.run).category(category) is not None else None


def _announce(attempt: Attempt) -> None:
    """A handed-in attempt waiting for the teaching team or peer review: the run learns of the assessment the first
    time (so the learner's progress page lists it as waiting for a grade, and the gradebook shows its column)."""
    category = _category(attempt)
    if category is None or GradedItem.objects.filter(run_id=attempt.run_id, content_id=attempt.content_id).exists():
        return
    course_services.graded_item_register(
        run=attempt.run,
        content_id=attempt.content_id,
        category=category,
        possible=attempt.possible,
        title=attempt.title,
    )


def _report(attempt: Attempt) -> None:
    category = _category(attempt)
    if category is None:  # a policy change regrades the run
        return
    graded = list(
        Attempt.objects.filter(
            run_id=attempt.run_id,
            user_id=attempt.user_id,
            content_id=attempt.content_id,
            status=AttemptStatus.GRADED,
        )
    )
    counting = _counting(attempt, graded)
    course_services.score_record(
        run=attempt.run,
        user=attempt.user,
        content_id=attempt.content_id,
        category=category,
        earned=counting.earned or ZERO,
        possible=counting.possible,
        source=f"assessment.{attempt.kind}",
        graded_at=counting.graded_at,
        title=attempt.title,
    )
