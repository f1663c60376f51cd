"""Grading API: a run's grading policy (read, set), the learner's own grade, the run's gradebook (paged, filtered),
teachers' overrides and the Excel export. Run operations read the run through ``selectors.access_taught_run``
(not found for anyone who does not teach or assist it); changes go through the services, which ask
``may_teach_run`` again."""

from typing import Any

from django.http import HttpResponse
from ninja import Router

from zhijiao.core.actors import MemberRequest
from zhijiao.core.api_auth import session_or_token
from zhijiao.core.params import Id, Int

from .. import selectors, services
from ..grading import GradingPolicy
from ..models import CourseGrade, Regrade
from ..schemas import GradebookOut, GradingPolicyIn, GradingPolicyOut, MyGradeOut, OverrideIn, ScoreOut
from . import ERRORS

router = Router(tags=["courses"], auth=session_or_token)
PREFIX = "/{course_id}/runs/{run_id}"


def policy_out(policy: GradingPolicy, regrade: Regrade | None) -> dict[str, Any]:
    document = policy.as_json()
    document["regrade"] = (
        {
            "status": regrade.status,
            "reason": regrade.reason,
            "learners": regrade.learners,
            "seconds": regrade.seconds,
            "created_at": regrade.created_at,
            "finished_at": regrade.finished_at,
        }
        if regrade
        else None
    )
    return document


@router.get(f"{PREFIX}/grading-policy", response={200: GradingPolicyOut, **ERRORS}, operation_id="courses_policy_get")
def policy_get(request: MemberRequest, course_id: Id, run_id: Id) -> Any:
    """The run's grading policy and its latest regrade (teachers and assistants)."""
    run = selectors.access_taught_run(actor=request.user, course_id=course_id, run_id=run_id)
    return policy_out(selectors.run_policy(run=run), selectors.latest_regrade(run=run))


@router.put(f"{PREFIX}/grading-policy", response={200: GradingPolicyOut, **ERRORS}, operation_id="courses_policy_set")
def policy_set(request: MemberRequest, course_id: Id, run_id: Id, data: GradingPolicyIn) -> Any:
    """Set the run's grading policy; errors name the field (``categories.1.weight``). Every grade is then
    recomputed in the background."""
    run = selectors.access_taught_run(actor=request.user, course_id=course_id, run_id=run_id)
    policy = services.run_grading_policy_set(actor=request.user, run=run, policy=data.model_dump(mode="json"))
    return policy_out(policy, selectors.latest_regrade(run=run))


@router.get("/{course_id}/grade", response={200: MyGradeOut, **ERRORS}, operation_id="courses_my_grade")
def my_grade(request: MemberRequest, course_id: Id) -> Any:
    """My grade in my run of the course: the course grade, level, each category and each assessment's state."""
    course = selectors.access_course(actor=request.user, course_id=course_id)
    mine = selectors.my_grade(actor=request.user, course=course)
    return {
        "run_id": mine.enrolment.run_id,
        "percent": mine.percent,
        "level": mine.level,
        "pass_line": mine.policy.pass_line,
        "excellent_line": mine.policy.excellent_line,
        "missing": mine.missing,
        "waiting": mine.waiting,
        "categories": [
            {
                "key": row.key,
                "label": row.label,
                "weight": row.weight,
                "drop_lowest": row.drop_lowest,
                "percent": row.percent,
            }
            for row in mine.categories
        ],
        "items": [
            {
                "content_id": str(item["content_id"]),
                "title": item["title"],
                "category": row.key,
                "earned": item["score"].earned if item["score"] else None,
                "possible": item["score"].possible if item["score"] else item["possible"],
                "state": item["state"],
                "overridden": bool(item["score"] and item["score"].overridden),
            }
            for row in mine.categories
            for item in row.items
        ],
    }


@router.get(f"{PREFIX}/gradebook", response={200: GradebookOut, **ERRORS}, operation_id="courses_gradebook")
def gradebook(
    request: MemberRequest,
    course_id: Id,
    run_id: Id,
    level: str = "",
    category: str = "",
    q: str = "",
    page: Int = 1,
    size: Int = selectors.GRADEBOOK_PAGE,
) -> Any:
    """One page of the run's learners (best first) with each assessment's score; filter by level (fail, pass,
    excellent), category key and name."""
    run = selectors.access_taught_run(actor=request.user, course_id=course_id, run_id=run_id)
    policy = selectors.run_policy(run=run)
    result = selectors.gradebook(
        run=run,
        level=level,
        category=category if policy.category(category) else "",
        search=q,
        page=max(1, min(page, 100_000)),
        size=max(1, min(size, 200)),
    )
    bands, _counts = selectors.grade_summary(run=run)
    return {
        "items": [
            {"content_id": str(i.content_id), "title": i.title, "category": i.category, "possible": i.possible}
            for i in result.items
        ],
        "rows": [
            {
                "user_id": row["user"].pk,
                "name": str(row["user"]),
                "percent": row["grade"].percent if row["grade"] else 0,
                "level": row["grade"].level if row["grade"] else CourseGrade.Level.FAIL,
                "scores": [cell.earned if cell else None for cell in row["cells"]],
            }
            for row in result.rows
        ],
        "total": result.total,
        "page": result.page,
        "pages": result.pages,
        "distribution": bands,
    }


@router.post(
    f"{PREFIX}/gradebook/{{user_id}}/override", response={200: ScoreOut, **ERRORS}, operation_id="courses_override"
)
def override(request: MemberRequest, course_id: Id, run_id: Id, user_id: Id, data: OverrideIn) -> Any:
    """Set a learner's score on an assessment by hand, with a reason (audit-logged); their grade follows."""
    run = selectors.access_taught_run(actor=request.user, course_id=course_id, run_id=run_id)
    score = services.score_override(
        actor=request.user,
        run=run,
        user_id=user_id,
        content_id=data.content_id,
        earned=data.earned,
        reason=data.reason,
    )
    grade = CourseGrade.objects.get(run=run, user_id=user_id)
    return {
        "user_id": score.user_id,
        "content_id": str(score.content_id),
        "category": score.category,
        "earned": score.earned,
        "possible": score.possible,
        "source": score.source,
        "source_earned": score.source_earned,
        "overridden": score.overridden,
        "override_reason": score.override_reason,
        "grade_percent": grade.percent,
        "grade_level": grade.level,
    }


@router.get(
    f"{PREFIX}/gradebook/export",
    response={200: None, **ERRORS},
    operation_id="courses_gradebook_export",
    openapi_extra={
        "responses": {
            "200": {
                "description": "Excel workbook",
                "content": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}},
            }
        }
    },
)
def export(request: MemberRequest, course_id: Id, run_id: Id) -> Any:
    """The whole gradebook as an Excel workbook (audit-logged)."""
    run = selectors.access_taught_run(actor=request.user, course_id=course_id, run_id=run_id)
    response = HttpResponse(
        services.gradebook_export(actor=request.user, run=run),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="gradebook-{run.course_id}-{run.pk}.xlsx"'
    return response
