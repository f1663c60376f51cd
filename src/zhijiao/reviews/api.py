"""The review API: public calls and 公示 lists; an applicant's submissions, files and appeals; an expert's blind
queue and scores; review staff's format check, assignment, decisions and appeal answers."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import File, Form, Query, Router, Status, UploadedFile

from zhijiao.accounts.models import User
from zhijiao.core.actors import Origin
from zhijiao.core.api_auth import session_or_token
from zhijiao.core.api_errors import ErrorOut
from zhijiao.core.errors import NotFound
from zhijiao.core.pagination import PageParams, paginate
from zhijiao.core.params import Id
from zhijiao.orgs.models import Organization

from . import selectors, services
from .models import Assignment, Call, Submission
from .schemas import (
    ReviewAppealDecisionIn,
    ReviewAppealIn,
    ReviewAppealOut,
    ReviewAssignIn,
    ReviewAssignmentOut,
    ReviewAssignmentRowOut,
    ReviewAttachmentOut,
    ReviewAutoAssignOut,
    ReviewBlindSubmissionOut,
    ReviewCallOut,
    ReviewCheckIn,
    ReviewDecisionIn,
    ReviewNoticeRowOut,
    ReviewScoresIn,
    ReviewStaffRowOut,
    ReviewStaffSubmissionOut,
    ReviewSubmissionIn,
    ReviewSubmissionOut,
    ReviewSubmissionRowOut,
)

router = Router(tags=["reviews"], auth=session_or_token)
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}


def _criteria(call: Call) -> list[dict[str, Any]]:
    return [
        {"id": c.pk, "name": c.name, "description": c.description, "weight": c.weight, "max_score": c.max_score}
        for c in call.criteria.all()
    ]


def _call_out(call: Call) -> dict[str, Any]:
    return {
        "id": call.pk,
        "kind": call.kind,
        "kind_label": call.kind_label,
        "title": call.title,
        "body": call.body,
        "opens_on": call.opens_on,
        "closes_on": call.closes_on,
        "review_deadline": call.review_deadline,
        "eligible_org_kinds": call.eligible_org_kinds,
        "required_roles": call.required_roles,
        "notice_starts_on": call.notice_starts_on,
        "notice_ends_on": call.notice_ends_on,
        "appeal_deadline": call.appeal_deadline,
        "criteria": _criteria(call),
        "url": call.get_absolute_url(),
    }


def _submission_out(submission: Submission) -> dict[str, Any]:
    decided = bool(submission.decision)
    return {
        "id": submission.pk,
        "number": submission.number,
        "call_id": submission.call_id,
        "title": submission.title,
        "abstract": submission.abstract,
        "field": submission.field,
        "metadata": {
            str(k): [str(item) for item in v] if isinstance(v, list) else str(v)
            for k, v in (submission.metadata or {}).items()
        },
        "organization": submission.organization.name,
        "authors": [author.name for author in submission.authors.all()],
        "status": submission.status,
        "status_label": submission.get_status_display(),
        "round": submission.round,
        "submitted_at": submission.submitted_at,
        "return_reason": submission.return_reason,
        "decision": submission.decision,
        "decision_reason": submission.decision_reason,
        "score": submission.score if decided else None,
        "accession_no": submission.accession_no,
        "attachments": [
            {
                "id": a.pk,
                "role": a.role,
                "role_label": a.role_label,
                "name": a.original_name,
                "content_type": a.content_type,
                "size": a.size,
            }
            for a in submission.attachments.all()
        ],
        "reviews": [{"number": r.number, "comment": r.comment} for r in selectors.reviews_for_applicant(submission)],
        "appeals": [
            {
                "id": a.pk,
                "state": a.state,
                "reason": a.reason,
                "response": a.response,
                "created_at": a.created_at,
                "decided_at": a.decided_at,
            }
            for a in selectors.appeals_of(submission)
        ],
    }


def _own(request: HttpRequest, submission_id: int) -> dict[str, Any]:
    return _submission_out(selectors.access_own_submission(actor=request.user, submission_id=submission_id))


# --- Calls (public) ---------------------------------------------------------------------------------------------------


@router.get(
    "/calls",
    response={200: list[ReviewCallOut], **ERRORS},
    auth=None,
    operation_id="reviews_call_list",
    summary="评审通知（征集、申报通知）",
)
def call_list(request: HttpRequest) -> Any:
    return [_call_out(call) for call in selectors.calls_public().prefetch_related("criteria")[:100]]


@router.get(
    "/calls/{call_id}",
    response={200: ReviewCallOut, **ERRORS},
    auth=None,
    operation_id="reviews_call_get",
    summary="评审通知详情与评审指标",
)
def call_get(request: HttpRequest, call_id: Id) -> Any:
    return _call_out(selectors.access_call(call_id=call_id))


@router.get(
    "/calls/{call_id}/notice",
    response={200: list[ReviewNoticeRowOut], **ERRORS},
    auth=None,
    operation_id="reviews_call_notice",
    summary="评审结果公示名单（公示开始后）",
)
def call_notice(request: HttpRequest, call_id: Id) -> Any:
    call = selectors.access_call(call_id=call_id)
    return [
        {
            "accession_no": s.accession_no,
            "title": s.title,
            "authors": [a.name for a in s.authors.all()],
            "organization": s.organization.name,
        }
        for s in selectors.notice_list(call)
    ]


# --- Applicants -------------------------------------------------------------------------------------------------------


@router.get(
    "/submissions",
    response={200: list[ReviewSubmissionRowOut], **ERRORS},
    operation_id="reviews_submission_list",
    summary="我的申报",
)
def submission_list(request: HttpRequest, page: Query[PageParams]) -> Any:
    result = paginate(selectors.submissions_of(request.user), page)
    return [
        {
            "id": s.pk,
            "number": s.number,
            "call_id": s.call_id,
            "title": s.title,
            "status": s.status,
            "status_label": s.get_status_display(),
            "accession_no": s.accession_no,
        }
        for s in result["items"]
    ]


@router.post(
    "/calls/{call_id}/submissions",
    response={201: ReviewSubmissionOut, **ERRORS},
    operation_id="reviews_submission_create",
    summary="新建申报（草稿）",
)
def submission_create(request: HttpRequest, call_id: Id, data: ReviewSubmissionIn) -> Any:
    call = selectors.access_call(call_id=call_id)
    organization = None
    if data.organization_id is not None:
        organization = Organization.objects.filter(pk=data.organization_id).first()
        if organization is None:
            raise NotFound
    submission = services.submission_create(
        applicant=request.user,
        call=call,
        title=data.title,
        abstract=data.abstract,
        field=data.field,
        metadata=data.metadata,
        authors=[a.model_dump() for a in data.authors],
        organization=organization,
    )
    return Status(201, _own(request, submission.pk))


@router.get(
    "/submissions/{submission_id}",
    response={200: ReviewSubmissionOut, **ERRORS},
    operation_id="reviews_submission_get",
    summary="我的申报详情（专家意见在结论作出后可见）",
)
def submission_get(request: HttpRequest, submission_id: Id) -> Any:
    return _own(request, submission_id)


@router.post(
    "/submissions/{submission_id}/attachments",
    response={201: ReviewAttachmentOut, **ERRORS},
    operation_id="reviews_attachment_upload",
    summary="上传申报材料（multipart：role、file；文档为 PDF/Office，视频为 MP4/WebM，按内容识别）",
)
def attachment_upload(
    request: HttpRequest,
    submission_id: Id,
    role: Form[str],
    file: UploadedFile = File(...),  # noqa: B008 - ninja's way to declare an upload
) -> Any:
    submission = selectors.access_own_submission(actor=request.user, submission_id=submission_id)
    a = services.attachment_add(applicant=request.user, submission=submission, role=role, upload=file)
    return Status(
        201,
        {
            "id": a.pk,
            "role": a.role,
            "role_label": a.role_label,
            "name": a.original_name,
            "content_type": a.content_type,
            "size": a.size,
        },
    )


@router.post(
    "/submissions/{submission_id}/submit",
    response={200: ReviewSubmissionOut, **ERRORS},
    operation_id="reviews_submission_submit",
    summary="提交申报",
)
def submission_submit(request: HttpRequest, submission_id: Id) -> Any:
    submission = selectors.access_own_submission(actor=request.user, submission_id=submission_id)
    services.submission_submit(applicant=request.user, submission=submission, origin=Origin.of(request))
    return _own(request, submission_id)


@router.post(
    "/submissions/{submission_id}/appeals",
    response={201: ReviewAppealOut, **ERRORS},
    operation_id="reviews_appeal_file",
    summary="对评审结论提出申诉（申诉期内）",
)
def appeal_file(request: HttpRequest, submission_id: Id, data: ReviewAppealIn) -> Any:
    submission = selectors.access_own_submission(actor=request.user, submission_id=submission_id)
    a = services.appeal_file(
        applicant=request.user, submission=submission, reason=data.reason, origin=Origin.of(request)
    )
    return Status(
        201,
        {
            "id": a.pk,
            "state": a.state,
            "reason": a.reason,
            "response": a.response,
            "created_at": a.created_at,
            "decided_at": a.decided_at,
        },
    )


# --- Experts ----------------------------------------------------------------------------------------------------------


@router.get(
    "/assignments",
    response={200: list[ReviewAssignmentRowOut], **ERRORS},
    operation_id="reviews_assignment_list",
    summary="我的评审任务（专家）",
)
def assignment_list(request: HttpRequest) -> Any:
    return [
        {
            "id": a.pk,
            "number": a.submission.number,
            "title": a.submission.title,
            "call_title": a.submission.call.title,
            "state": a.state,
            "due_on": a.due_on,
        }
        for a in selectors.expert_queue(request.user)[:200]
    ]


def _blind_out(assignment: Assignment) -> dict[str, Any]:
    blind = selectors.blind_submission(assignment.submission)
    review = selectors.review_of(assignment)
    return {
        "assignment_id": assignment.pk,
        "number": blind.number,
        "call_title": blind.call_title,
        "kind_label": blind.kind_label,
        "title": blind.title,
        "abstract": blind.abstract,
        "field": blind.field,
        "metadata": [{"label": label, "value": value} for label, value in blind.metadata],
        "attachments": [
            {
                "id": a.id,
                "role": a.role,
                "role_label": a.role_label,
                "name": a.name,
                "size": a.size,
                "url": reverse("reviews:blind_file", args=[assignment.pk, a.id]),
            }
            for a in blind.attachments
        ],
        "criteria": _criteria(assignment.submission.call),
        "state": assignment.state,
        "due_on": assignment.due_on,
        "my_scores": [{"criterion_id": int(k), "score": v} for k, v in (review.scores if review else {}).items()],
        "my_total": review.total if review else None,
        "my_comment": review.comment if review else "",
    }


@router.get(
    "/assignments/{assignment_id}",
    response={200: ReviewBlindSubmissionOut, **ERRORS},
    operation_id="reviews_assignment_get",
    summary="评审任务详情（匿名：不含申报人、作者与单位）",
)
def assignment_get(request: HttpRequest, assignment_id: Id) -> Any:
    return _blind_out(selectors.access_assignment(actor=request.user, assignment_id=assignment_id))


@router.post(
    "/assignments/{assignment_id}/review",
    response={201: ReviewBlindSubmissionOut, **ERRORS},
    operation_id="reviews_review_submit",
    summary="提交评分与评审意见",
)
def review_submit(request: HttpRequest, assignment_id: Id, data: ReviewScoresIn) -> Any:
    assignment = selectors.access_assignment(actor=request.user, assignment_id=assignment_id)
    services.review_submit(
        expert=request.user,
        assignment=assignment,
        scores=data.scores,
        comment=data.comment,
        confidential_comment=data.confidential_comment,
        origin=Origin.of(request),
    )
    return Status(201, _blind_out(selectors.access_assignment(actor=request.user, assignment_id=assignment_id)))


# --- Review staff -----------------------------------------------------------------------------------------------------


def _staff_submission(request: HttpRequest, submission_id: int) -> Submission:
    return selectors.access_submission_for_staff(actor=request.user, submission_id=submission_id)


def _decided_row(s: Submission) -> dict[str, Any]:
    """A submission as staff see it after acting on it (format check, decision)."""
    return {
        "id": s.pk,
        "number": s.number,
        "call_id": s.call_id,
        "title": s.title,
        "status": s.status,
        "status_label": s.get_status_display(),
        "accession_no": s.accession_no,
    }


def _staff_row(s: Submission) -> dict[str, Any]:
    return {
        "id": s.pk,
        "number": s.number,
        "title": s.title,
        "organization": s.organization.name,
        "status": s.status,
        "round": s.round,
        "score": s.score,
        "score_spread": s.score_spread,
        "flagged": s.flagged,
        "accession_no": s.accession_no,
    }


@router.get(
    "/calls/{call_id}/submissions",
    response={200: list[ReviewStaffRowOut], **ERRORS},
    operation_id="reviews_staff_submission_list",
    summary="一项评审通知的全部申报（工作人员；不含草稿）",
)
def staff_submission_list(request: HttpRequest, call_id: Id, page: Query[PageParams]) -> Any:
    if not selectors.is_review_staff(request.user):
        raise NotFound
    call = selectors.access_call(call_id=call_id)
    result = paginate(selectors.staff_submissions(call=call).order_by("id"), page)
    return [_staff_row(s) for s in result["items"]]


@router.get(
    "/staff/submissions/{submission_id}",
    response={200: ReviewStaffSubmissionOut, **ERRORS},
    operation_id="reviews_staff_submission_get",
    summary="申报详情、专家与评分（工作人员）",
)
def staff_submission_get(request: HttpRequest, submission_id: Id) -> Any:
    s = _staff_submission(request, submission_id)
    reviews = []
    for a in s.assignments.all():
        review = getattr(a, "review", None)
        reviews.append(
            {
                "expert_id": a.expert_id,
                "expert": str(a.expert),
                "round": a.round,
                "state": a.state,
                "total": review.total if review else None,
                "scores": review.scores if review else {},
                "comment": review.comment if review else "",
                "confidential_comment": review.confidential_comment if review else "",
            }
        )
    return {
        **_staff_row(s),
        "applicant": str(s.applicant),
        "authors": [a.name for a in s.authors.all()],
        "decision": s.decision,
        "decision_reason": s.decision_reason,
        "reviews": reviews,
    }


@router.post(
    "/submissions/{submission_id}/check",
    response={200: ReviewSubmissionRowOut, **ERRORS},
    operation_id="reviews_submission_check",
    summary="形式审查：通过或退回（工作人员）",
)
def submission_check(request: HttpRequest, submission_id: Id, data: ReviewCheckIn) -> Any:
    s = services.submission_check(
        actor=request.user,
        submission=_staff_submission(request, submission_id),
        passed=data.passed,
        reason=data.reason,
        origin=Origin.of(request),
    )
    return _decided_row(s)


@router.post(
    "/submissions/{submission_id}/assignments",
    response={201: ReviewAssignmentOut, **ERRORS},
    operation_id="reviews_assignment_create",
    summary="指定评审专家（工作人员；利益冲突将被拒绝）",
)
def assignment_create(request: HttpRequest, submission_id: Id, data: ReviewAssignIn) -> Any:
    submission = _staff_submission(request, submission_id)
    expert = User.objects.filter(pk=data.expert_id, is_active=True).first()
    if expert is None:
        raise NotFound
    a = services.assignment_create(actor=request.user, submission=submission, expert=expert, origin=Origin.of(request))
    return Status(201, {"id": a.pk, "submission_id": a.submission_id, "expert_id": a.expert_id, "due_on": a.due_on})


@router.post(
    "/calls/{call_id}/auto-assign",
    response={200: ReviewAutoAssignOut, **ERRORS},
    operation_id="reviews_auto_assign",
    summary="自动分配评审专家：按领域、均衡负荷、回避利益冲突（工作人员）",
)
def auto_assign(request: HttpRequest, call_id: Id) -> Any:
    if not selectors.is_review_staff(request.user):
        raise NotFound
    call = selectors.access_call(call_id=call_id)
    result = services.assignments_auto(actor=request.user, call=call, origin=Origin.of(request))
    loads = list(result.loads.values()) or [0]
    return {
        "assigned": result.assigned,
        "submissions": result.submissions,
        "short": {str(k): v for k, v in result.short.items()},
        "out_of_field": result.out_of_field,
        "largest_load": max(loads),
        "smallest_load": min(loads),
    }


@router.post(
    "/submissions/{submission_id}/decision",
    response={200: ReviewSubmissionRowOut, **ERRORS},
    operation_id="reviews_submission_decide",
    summary="评审结论：通过（生成入库编号）、修改后重新提交或不通过（工作人员）",
)
def submission_decide(request: HttpRequest, submission_id: Id, data: ReviewDecisionIn) -> Any:
    s = services.submission_decide(
        actor=request.user,
        submission=_staff_submission(request, submission_id),
        decision=data.decision,
        reason=data.reason,
        origin=Origin.of(request),
    )
    return _decided_row(s)


@router.post(
    "/appeals/{appeal_id}/decision",
    response={200: ReviewAppealOut, **ERRORS},
    operation_id="reviews_appeal_decide",
    summary="处理申诉（工作人员）",
)
def appeal_decide(request: HttpRequest, appeal_id: Id, data: ReviewAppealDecisionIn) -> Any:
    appeal = selectors.access_appeal_for_staff(actor=request.user, appeal_id=appeal_id)
    a = services.appeal_decide(
        actor=request.user, appeal=appeal, uphold=data.uphold, response=data.response, origin=Origin.of(request)
    )
    return {
        "id": a.pk,
        "state": a.state,
        "reason": a.reason,
        "response": a.response,
        "created_at": a.created_at,
        "decided_at": a.decided_at,
    }
