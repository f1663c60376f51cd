"""The learners' API: the outline with my own progress, and my rating of a course. Progress events are posted to
``/runs/{run_id}/progress`` (see the package)."""

from typing import Any

from ninja import Router

from zhijiao.core.actors import MemberRequest
from zhijiao.core.api_auth import session_or_token
from zhijiao.core.api_errors import ErrorOut
from zhijiao.core.params import Id

from .. import selectors, services
from ..models import Course, Rating
from ..schemas import LearnerOutlineOut, RatingIn, RatingOut
from ..selectors import learning

router = Router(tags=["courses"], auth=session_or_token)
ERRORS: dict[int, Any] = {code: ErrorOut for code in (400, 401, 403, 404, 409, 422, 429)}


def rating_out(rating: Rating, course: Course) -> dict[str, Any]:
    course.refresh_from_db(fields=["rating_count", "rating_sum"])
    average = course.rating_average
    return {
        "stars": rating.stars,
        "comment": rating.comment,
        "rating_count": course.rating_count,
        "rating_average": float(average) if average is not None else None,
    }


@router.get(
    "/{course_id}/learning", response={200: LearnerOutlineOut, **ERRORS}, operation_id="courses_learning_outline"
)
def learning_outline(request: MemberRequest, course_id: Id) -> Any:
    """The published outline with my own progress per unit and block, and when each chapter opens."""
    course = selectors.access_course(actor=request.user, course_id=course_id)
    enrolment = learning.access_enrolment(actor=request.user, course=course)
    return learning.progress_outline(actor=request.user, course=course, enrolment=enrolment)


@router.put("/{course_id}/rating", response={200: RatingOut, **ERRORS}, operation_id="courses_rating_save")
def rating_save(request: MemberRequest, course_id: Id, data: RatingIn) -> Any:
    """Rate the course 1–5 with a comment (after completing some of it); again to change it."""
    course = selectors.access_course(actor=request.user, course_id=course_id)
    rating = services.rating_save(actor=request.user, course=course, stars=data.stars, comment=data.comment)
    return rating_out(rating, course)
