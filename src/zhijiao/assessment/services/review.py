"""Writes of grading by people: the teaching team grades an answer (批阅), learners review their peers' answers
(互评), and the periodic pass that decides what peer review left open when its deadline passed.

**A grade** is a total in the item's points: against the question's rubric (each criterion's score between 0 and its
points; the sum is scaled to the item's points when the assessment weighs the question differently from its
rubric), or a plain score between 0 and the points when the question has no rubric. Whoever grades appends a step to
the attempt (``grade``, ``regrade`` when it was graded before, ``peer`` for peer review), sets the item and calls
``scoring.attempt_rescore``, which finalises the attempt and reports it to the course grades. Grading again
overwrites the item, and the steps keep every grade given.

**Peer review is assigned on demand** (the Open edX ORA way): a learner who has submitted the assessment asks for
their next answer to review and gets the peer answer with the fewest reviews assigned (then the oldest), never their
own and never one they already review, while each answer has fewer than N reviewers and they owe reviews. One review
at a time: asking again returns the one they have open.

**The peer score** is the trimmed mean of the finished reviews' totals (:func:`trimmed_mean`): with three or more
reviews the highest and the lowest are dropped (one each) and the rest averaged; with one or two, their mean. An
answer is graded when it has N finished reviews. When the review deadline passes, the periodic pass
(:func:`peer_reviews_close_due`) grades the answers with at least two finished reviews by the same rule and sends
the others (none or one review) to the teaching team's queue: nobody is stuck.
"""

from __future__ import annotations

import html
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

import nh3
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijiao.accounts.models import User
from zhijiao.core.actors import Actor, signed_in
from zhijiao.core.errors import DomainError
from zhijiao.courses.models import Run
from zhijiao.notifications.services import notification_kinds, notify

from .. import selectors
from ..models import Attempt, AttemptItem, AttemptStatus, AttemptStep, ItemStatus, PeerReview, StepAction
from .scoring import attempt_rescore

logger = logging.getLogger(__name__)

NOTIFICATION_KINDS = notification_kinds(
    {
        "assessment_graded": gettext_lazy("作业或考试已批阅"),
    }
)

FEEDBACK_MAX = 2000
CENT = Decimal("0.01")
# Reviews at or above which the highest and the lowest are dropped from the peer score.
TRIM_FROM = 3
# Finished reviews that are enough, once the deadline has passed, to grade an answer without the teaching team.
ENOUGH_AT_DEADLINE = 2


# --- Scores and feedback -------------------------------------------------------------------------------------------


def _decimal(value: Any, field: str, *, high: Decimal) -> Decimal:
    if isinstance(value, bool) or value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError({field: [_("请填写分数")]})
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: [_("请填写数字")]}) from None
    if not number.is_finite() or number < 0 or number > high:
        raise ValidationError({field: [_("分数应在 0 到 %(high)s 之间") % {"high": _plain_number(high)}]})
    if number != number.quantize(CENT):
        raise ValidationError({field: [_("分数最多保留两位小数")]})
    return number.quantize(CENT)


def _plain_number(value: Decimal) -> str:
    return format(value.normalize(), "f")


def scored(*, item: AttemptItem, scores: Sequence[Any] | None, score: Any) -> tuple[Decimal, list[str]]:
    """The total in the item's points, and the criterion scores, of a grade given against the item's rubric (or of
    a plain score when it has none). Raises ``ValidationError`` keyed ``scores.<n>`` or ``score``."""
    rubric = selectors.rubric_of(item)
    if not rubric:
        return _decimal(score, "score", high=item.points), []
    if not isinstance(scores, (list, tuple)) or len(scores) != len(rubric):
        raise ValidationError({"scores": [_("请为每条评分标准打分")]})
    errors: dict[str, list[str]] = {}
    values: list[Decimal] = []
    for index, (value, criterion) in enumerate(zip(scores, rubric, strict=True)):
        try:
            values.append(_decimal(value, f"scores.{index}", high=criterion["points"]))
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    raw = sum(values, Decimal("0"))
    most = sum((criterion["points"] for criterion in rubric), Decimal("0"))
    total = raw if most == item.points else (raw * item.points / most).quantize(CENT, rounding=ROUND_HALF_UP)
    return min(total, item.points), [str(value) for value in values]


def clean_feedback(value: Any, *, field: str = "feedback") -> str:
    """Feedback as it is stored: plain text, markup removed (no stored script), at most ``FEEDBACK_MAX``
    characters (a field error beyond)."""
    text = value.strip() if isinstance(value, str) else ""
    if len(text) > FEEDBACK_MAX:
        raise ValidationError({field: [_("评语不能超过 %(n)d 个字") % {"n": FEEDBACK_MAX}]})
    # Strip tags until nothing changes: an escaped tag that unescaping revealed is stripped on the next pass.
    for _pass in range(3):
        stripped = html.unescape(nh3.clean(text, tags=set())).strip()
        if stripped == text:
            break
        text = stripped
    if "<" in text and nh3.clean(text, tags=set()) != html.escape(text, quote=False):
        # Still markup after three passes (entities nested deeper): keep the words, lose the brackets.
        text = text.replace("<", "＜").replace(">", "＞")
    return text


def _checked(
    item: AttemptItem, *, scores: Sequence[Any] | None, score: Any, comment: Any, field: str
) -> tuple[Decimal, list[str], str]:
    """The grade's total, criterion scores and cleaned comment; every field's error at once."""
    errors: dict[str, list[str]] = {}
    total, text = Decimal("0"), ""
    criteria: list[str] = []
    try:
        total, criteria = scored(item=item, scores=scores, score=score)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        text = clean_feedback(comment, field=field)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return total, criteria, text


def trimmed_mean(totals: Sequence[Decimal]) -> Decimal:
    """The peer score of an answer: the mean of its reviews' totals, the highest and the lowest dropped when there
    are three or more, rounded to hundredths half up."""
    if not totals:
        raise ValueError("a trimmed mean needs at least one value")
    values = sorted(totals)
    if len(values) >= TRIM_FROM:
        values = values[1:-1]
    return (sum(values, Decimal("0")) / len(values)).quantize(CENT, rounding=ROUND_HALF_UP)


# --- Grading by the teaching team ----------------------------------------------------------------------------------


def _notify_graded(attempt: Attempt) -> None:
    if attempt.status != AttemptStatus.GRADED:
        return
    run = attempt.run
    url = reverse("courses:progress", args=[run.course_id])
    body = ""
    if selectors.peer_rules(attempt) is not None:
        url = reverse("assessment_review:peer", args=[run.course_id, run.pk])
        if not selectors.score_visible(attempt=attempt):
            body = _("完成您应做的互评后即可查看得分。")
    notify(
        user=attempt.user,
        title=_("您的“%(title)s”已批阅") % {"title": attempt.title or _("测评")},
        body=body,
        url=url,
        kind="assessment_graded",
    )


def _locked(item: AttemptItem) -> AttemptItem:
    locked = AttemptItem.objects.select_for_update().select_related("attempt", "version").get(pk=item.pk)
    locked.attempt.run = item.attempt.run
    return locked


@transaction.atomic
def item_grade(
    *, actor: Actor, item: AttemptItem, scores: Sequence[Any] | None = None, score: Any = None, feedback: Any = ""
) -> AttemptItem:
    """A teacher or assistant of the run grades a learner's answer against its rubric (or with a plain score), with
    feedback; the attempt is rescored and the learner told once it is graded. Grading again overwrites the grade and
    keeps the earlier one in the attempt's steps."""
    run = item.attempt.run
    selectors.require_grader(actor, run)
    assert isinstance(actor, User)
    item = _locked(item)
    if item.attempt.status == AttemptStatus.IN_PROGRESS:
        raise DomainError("attempt_open", _("学习者还在作答，提交后才能批阅"))
    if item.status == ItemStatus.OPEN:
        raise DomainError("not_gradable", _("这道题不需要人工批阅"))
    earned, criteria, text = _checked(item, scores=scores, score=score, comment=feedback, field="feedback")
    action = StepAction.REGRADE if item.status == ItemStatus.GRADED else StepAction.GRADE
    AttemptStep.objects.create(
        attempt=item.attempt,
        position=item.position,
        action=action,
        actor=actor,
        data={
            "earned": str(earned),
            "rubric_scores": criteria,
            "feedback": text,
            "previous": None if item.earned is None else str(item.earned),
        },
    )
    item.earned, item.rubric_scores, item.feedback = earned, criteria, text
    item.status, item.graded_by, item.graded_at = ItemStatus.GRADED, actor, timezone.now()
    item.full_clean(exclude=["attempt", "version"])
    item.save(update_fields=["earned", "rubric_scores", "feedback", "status", "graded_by", "graded_at"])
    attempt = attempt_rescore(item.attempt)
    _notify_graded(attempt)
    return item


# --- Peer review ---------------------------------------------------------------------------------------------------


def _reviewer_context(actor: Actor, run: Run, content_id: uuid.UUID | str) -> tuple[Attempt, Any]:
    if not signed_in(actor):
        raise PermissionDenied(_("请先登录"))
    attempt = selectors.reviewer_attempt(actor=actor, run=run, content_id=content_id)
    if attempt is None:
        raise PermissionDenied(_("提交这份作业后才能参加互评"))
    attempt.run = run
    rules = selectors.peer_rules(attempt)
    if rules is None:
        raise DomainError("not_peer_reviewed", _("这份作业不需要互评"))
    return attempt, rules


@transaction.atomic
def review_next(*, actor: Actor, run: Run, content_id: uuid.UUID | str) -> PeerReview | None:
    """The learner's next answer to review for this assessment: the one they have open, else a new assignment (the
    peer answer with the fewest reviews); None when they owe no more reviews or nothing is left to review."""
    attempt, rules = _reviewer_context(actor, run, content_id)
    assert isinstance(actor, User)
    due_at = selectors.review_due_at(attempt, run)
    if timezone.now() >= due_at:
        raise DomainError("review_closed", _("互评已经截止"))
    open_review = (
        PeerReview.objects.filter(
            reviewer=actor, submitted_at__isnull=True, item__attempt__run=run, item__attempt__content_id=content_id
        )
        .order_by("id")
        .first()
    )
    if open_review is not None:
        return open_review
    if selectors.reviews_done(attempt=attempt) >= selectors.required_reviews(rules):
        return None
    candidates = selectors.review_candidates(
        actor=actor, run=run, content_id=attempt.content_id, reviewers=rules.reviewers
    )
    for candidate in candidates[:20]:
        # Lock the answer and count again: two learners asking at once cannot give it an N+1-th reviewer.
        item = AttemptItem.objects.select_for_update().filter(pk=candidate.pk, status=ItemStatus.PEER).first()
        if item is None or PeerReview.objects.filter(item=item).count() >= rules.reviewers:
            continue
        review = PeerReview(item=item, reviewer=actor, due_at=due_at)
        review.full_clean()
        review.save()
        return review
    return None


def _peer_grade(item: AttemptItem, *, actor: User | None, reason: str) -> Attempt:
    """Grade a locked item by the trimmed mean of its finished reviews, append the step, rescore."""
    reviews = list(PeerReview.objects.filter(item=item, submitted_at__isnull=False).order_by("id"))
    earned = trimmed_mean([review.total for review in reviews if review.total is not None])
    AttemptStep.objects.create(
        attempt=item.attempt,
        position=item.position,
        action=StepAction.PEER,
        actor=actor,
        data={
            "earned": str(earned),
            "reviews": [review.pk for review in reviews],
            "totals": [str(review.total) for review in reviews],
            "rule": "trimmed_mean",
            "reason": reason,
        },
    )
    item.earned, item.status, item.graded_at, item.graded_by = earned, ItemStatus.GRADED, timezone.now(), None
    item.rubric_scores, item.feedback = [], ""
    item.save(update_fields=["earned", "status", "graded_at", "graded_by", "rubric_scores", "feedback"])
    return attempt_rescore(item.attempt)


@transaction.atomic
def review_submit(
    *, actor: Actor, review: PeerReview, scores: Sequence[Any] | None = None, score: Any = None, comment: Any = ""
) -> PeerReview:
    """A learner scores a peer's answer against the rubric, with a comment; the answer is graded by the trimmed mean
    once it has its N finished reviews."""
    if not signed_in(actor) or review.reviewer_id != actor.pk:
        raise PermissionDenied(_("只能提交分配给您的互评"))
    review = (
        PeerReview.objects.select_for_update()
        .select_related("item", "item__version", "item__attempt")
        .get(pk=review.pk)
    )
    if review.submitted_at is not None:
        raise DomainError("already_reviewed", _("这份互评已经提交过了"))
    if timezone.now() >= review.due_at:
        raise DomainError("review_closed", _("互评已经截止"))
    total, criteria, text = _checked(review.item, scores=scores, score=score, comment=comment, field="comment")
    review.total, review.rubric_scores, review.comment = total, criteria, text
    review.submitted_at = timezone.now()
    review.full_clean()
    review.save()
    item = AttemptItem.objects.select_for_update().select_related("attempt", "attempt__run").get(pk=review.item_id)
    AttemptStep.objects.create(
        attempt=item.attempt,
        position=item.position,
        action=StepAction.PEER,
        actor=actor,
        data={"review": review.pk, "total": str(total), "rubric_scores": criteria},
    )
    rules = selectors.peer_rules(item.attempt)
    needed = rules.reviewers if rules is not None else 1
    finished = PeerReview.objects.filter(item=item, submitted_at__isnull=False).count()
    if item.status == ItemStatus.PEER and finished >= needed:
        attempt = _peer_grade(item, actor=None, reason="complete")
        _notify_graded(attempt)
    return review


@dataclass(frozen=True)
class CloseResult:
    graded: int = 0
    to_staff: int = 0


@transaction.atomic
def peer_reviews_close(*, run: Run, content_id: uuid.UUID | str) -> CloseResult:
    """The review deadline of an assessment passed: answers with at least two finished reviews are graded by their
    trimmed mean, the others go to the teaching team's queue."""
    graded = to_staff = 0
    items = list(
        AttemptItem.objects.select_for_update()
        .filter(status=ItemStatus.PEER, attempt__run=run, attempt__content_id=content_id)
        .select_related("attempt")
        .order_by("id")
    )
    touched: dict[int, Attempt] = {}
    for item in items:
        item.attempt.run = run
        finished = PeerReview.objects.filter(item=item, submitted_at__isnull=False).count()
        if finished >= ENOUGH_AT_DEADLINE:
            touched[item.attempt_id] = _peer_grade(item, actor=None, reason="deadline")
            graded += 1
        else:
            item.status = ItemStatus.STAFF
            item.save(update_fields=["status"])
            AttemptStep.objects.create(
                attempt=item.attempt,
                position=item.position,
                action=StepAction.PEER,
                data={"to_staff": True, "reviews": finished, "reason": "deadline"},
            )
            to_staff += 1
    for attempt in touched.values():
        _notify_graded(attempt)
    return CloseResult(graded=graded, to_staff=to_staff)


def peer_reviews_close_due(*, now: datetime | None = None) -> CloseResult:
    """The periodic pass: every assessment whose peer review deadline has passed with answers still in peer
    review."""
    now = now or timezone.now()
    graded = to_staff = 0
    run_ids = AttemptItem.objects.filter(status=ItemStatus.PEER).values_list("attempt__run_id", flat=True).distinct()
    for run in Run.objects.filter(pk__in=list(run_ids)).select_related("course"):
        for content_id in selectors.peer_overdue(run=run, now=now):
            try:
                result = peer_reviews_close(run=run, content_id=content_id)
            except Exception:
                # One assessment that cannot be closed (rules its teachers broke) does not hold back the others.
                logger.exception("closing peer review of %s in run %s failed", content_id, run.pk)
                continue
            graded += result.graded
            to_staff += result.to_staff
    return CloseResult(graded=graded, to_staff=to_staff)
