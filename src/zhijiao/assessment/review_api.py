"""The grading queue and peer review under /api/v1/assessment/: the teaching team lists a run's answers waiting for
them and grades one; a learner asks for their next peer answer to review, submits the review and lists their
reviews. Thin over ``selectors`` and ``services`` (``review``)."""

import uuid
from typing import Any

from ninja import Query, Router

from zhijiao.core.actors import MemberRequest
from zhijiao.core.api_auth import session_or_token
from zhijiao.core.api_errors import ErrorOut
from zhijiao.core.errors import NotFound
from zhijiao.core.pagination import Page, PageParams, paginate
from zhijiao.core.params import Id
from zhijiao.courses import selectors as courses

from . import selectors, services
from .models import AttemptItem, PeerReview
from .review_schemas import (
    GradeIn,
    GradingItemOut,
    NextReviewIn,
    NextReviewOut,
    QueueItemOut,
    QueueStatus,
    ReviewIn,
    ReviewOut,
)
from .schemas import answer_file_out

router = Router(tags=["assessment"], auth=session_or_token)
ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _content_id(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise NotFound from None


def question_shown(item: AttemptItem, *, staff: bool) -> dict[str, Any]:
    data = item.version.data or {}
    return {
        "type": item.version.type,
        "stem": item.version.stem,
        "points": item.points,
        "rubric": selectors.rubric_of(item),
        "reference": data.get("reference", "") if staff else "",
    }


def queue_item_out(item: AttemptItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "attempt_id": item.attempt_id,
        "content_id": str(item.attempt.content_id),
        "assessment": item.attempt.title,
        "position": item.position,
        "status": item.status,
        "learner": str(item.attempt.user),
        "submitted_at": item.attempt.submitted_at,
        "earned": item.earned,
        "points": item.points,
    }


def step_out(step: Any) -> dict[str, Any]:
    return {
        "action": step.action,
        "actor": str(step.actor) if step.actor else None,
        "data": step.data,
        "created_at": step.created_at,
    }


def grading_item_out(item: AttemptItem) -> dict[str, Any]:
    following = selectors.next_in_queue(run=item.attempt.run, after=item)
    return {
        **queue_item_out(item),
        "question": question_shown(item, staff=True),
        "response": item.response,
        "file": answer_file_out(getattr(selectors.with_files([item])[0], "answer_file", None)),
        "feedback": item.feedback,
        "rubric_scores": item.rubric_scores,
        "graded_by": str(item.graded_by) if item.graded_by_id and item.graded_by else None,
        "graded_at": item.graded_at,
        "steps": [step_out(step) for step in selectors.item_steps(item=item)],
        "next_id": following.pk if following else None,
    }


def review_out(review: PeerReview) -> dict[str, Any]:
    item = review.item
    return {
        "id": review.pk,
        "content_id": str(item.attempt.content_id),
        "assessment": item.attempt.title,
        "question": question_shown(item, staff=False),
        "response": item.response,
        "file": answer_file_out(getattr(selectors.with_files([item], anonymous=True)[0], "answer_file", None)),
        "due_at": review.due_at,
        "submitted_at": review.submitted_at,
        "total": review.total,
        "rubric_scores": review.rubric_scores,
        "comment": review.comment,
    }


@router.get(
    "/runs/{run_id}/grading-queue",
    response={200: Page[QueueItemOut], **ERRORS},
    operation_id="assessment_grading_queue",
)
def grading_queue(
    request: MemberRequest,
    run_id: Id,
    page: Query[PageParams],
    content_id: str = "",
    status: QueueStatus = "waiting",
) -> Any:
    """The run's answers waiting for the teaching team (teachers and assistants), oldest submission first: those
    graded by the team, and those whose peer review deadline has passed. ``content_id`` keeps one assessment;
    ``status`` keeps ``staff`` or ``peer`` alone, or lists the ``graded`` ones (newest first)."""
    run = selectors.access_grading_run(actor=request.user, run_id=run_id)
    filters = selectors.QueueFilter(content_id=_content_id(content_id) if content_id else None, status=status)
    found = paginate(selectors.grading_queue(run=run, filters=filters), page)
    return {**found, "items": [queue_item_out(item) for item in found["items"]]}


@router.get(
    "/grading/items/{item_id}", response={200: GradingItemOut, **ERRORS}, operation_id="assessment_grading_item"
)
def grading_item(request: MemberRequest, item_id: Id) -> Any:
    """One answer as the teaching team grades it: the question, its rubric and reference, the learner's answer,
    the grades given so far, and the next answer waiting."""
    return grading_item_out(selectors.access_gradable_item(actor=request.user, item_id=item_id))


@router.post(
    "/grading/items/{item_id}/grade", response={200: GradingItemOut, **ERRORS}, operation_id="assessment_item_grade"
)
def item_grade(request: MemberRequest, item_id: Id, data: GradeIn) -> Any:
    """Grade an answer against its rubric (``scores``, one per criterion, each within its points) or with a plain
    ``score`` (no rubric), with ``feedback``; grading again overwrites and keeps the earlier grade in the steps."""
    item = selectors.access_gradable_item(actor=request.user, item_id=item_id)
    graded = services.item_grade(
        actor=request.user, item=item, scores=data.scores, score=data.score, feedback=data.feedback
    )
    return grading_item_out(selectors.access_gradable_item(actor=request.user, item_id=graded.pk))


@router.post(
    "/runs/{run_id}/peer-reviews/next", response={200: NextReviewOut, **ERRORS}, operation_id="assessment_review_next"
)
def review_next(request: MemberRequest, run_id: Id, data: NextReviewIn) -> Any:
    """My next peer answer to review for this homework (the one I have open, else a new one); none once I have
    done the reviews I owe or when nothing is left to review. Only learners who submitted the homework review."""
    run = courses.access_run(actor=request.user, run_id=run_id)
    content_id = _content_id(data.content_id)
    review = services.review_next(actor=request.user, run=run, content_id=content_id)
    attempt = selectors.reviewer_attempt(actor=request.user, run=run, content_id=content_id)
    assert attempt is not None
    rules = selectors.peer_rules(attempt)
    return {
        "review": review_out(review) if review else None,
        "required": selectors.required_reviews(rules) if rules else 0,
        "done": selectors.reviews_done(attempt=attempt),
    }


@router.get("/peer-reviews", response={200: list[ReviewOut], **ERRORS}, operation_id="assessment_my_reviews")
def my_reviews(request: MemberRequest, run_id: Id | None = None) -> Any:
    """My peer reviews, to do and done, newest first (``run_id`` keeps one run's)."""
    run = courses.access_run(actor=request.user, run_id=run_id) if run_id is not None else None
    return [review_out(review) for review in selectors.reviews_by(actor=request.user, run=run)[:100]]


@router.post("/peer-reviews/{review_id}", response={200: ReviewOut, **ERRORS}, operation_id="assessment_review_submit")
def review_submit(request: MemberRequest, review_id: Id, data: ReviewIn) -> Any:
    """Submit one of my peer reviews: a score per rubric criterion (or a plain ``score``) and a comment; once an
    answer has all its reviews it is graded by their trimmed mean."""
    review = selectors.access_review(actor=request.user, review_id=review_id)
    done = services.review_submit(
        actor=request.user, review=review, scores=data.scores, score=data.score, comment=data.comment
    )
    return review_out(selectors.access_review(actor=request.user, review_id=done.pk))
