"""What a learner may see of peer-reviewed work (互评): their own score only once they have done their share of
reviews for the same assessment in the same run."""

from __future__ import annotations

from ..models import Attempt, PeerReview
from ..rules import parse_rules


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
    rules = parse_rules(attempt.rules, kind=attempt.kind) if attempt.rules.get("peer_review") else None
    if rules is None or rules.peer_review is None:
        return True
    required = rules.peer_review.required
    if required is None:
        required = rules.peer_review.reviewers
    return required == 0 or reviews_done(attempt=attempt) >= required
