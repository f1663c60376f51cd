"""Pages of the review engine. Thin: selectors read and check access, services write; what a selector does not
find is the 404 page, and what a service refuses lands next to the form's fields (``core.views.service_errors``)
or as a message (``core.middleware.PageErrorMiddleware``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from zhijiao.core.actors import MemberRequest, Origin
from zhijiao.core.errors import NotFound
from zhijiao.core.views import service_errors

from . import selectors, services, workflow
from .forms import AppealForm, ApplyForm, RecuseForm, ReviewForm
from .models import Assignment, Attachment, role_label

PER_PAGE = 20


def _file(attachment: Attachment, filename: str) -> HttpResponseBase:
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=attachment.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Experts -----------------------------------------------------------------------------------------------------


@require_safe
@login_required
def queue(request: MemberRequest) -> HttpResponse:
    """The expert's queue: what waits for their scores, by deadline, then what they reviewed."""
    if not selectors.is_expert(request.user):
        raise NotFound
    assignments = list(selectors.expert_queue(request.user)[:200])
    waiting = [a for a in assignments if a.state == Assignment.State.ASSIGNED]
    done = [a for a in assignments if a.state == Assignment.State.SUBMITTED]
    return render(request, "reviews/queue.html", {"waiting": waiting, "done": done})


@require_http_methods(["GET", "POST"])
@login_required
def review(request: MemberRequest, assignment_id: int) -> HttpResponse:
    """One assigned submission, blind, with the rubric to score it (or the scores given, once sent)."""
    assignment = selectors.access_assignment(actor=request.user, assignment_id=assignment_id)
    submission = assignment.submission
    criteria = list(submission.call.criteria.all())
    existing = selectors.review_of(assignment)
    form = ReviewForm(request.POST or None, criteria=criteria)
    status = 200
    if request.method == "POST" and existing is None:
        status = 422
        if form.is_valid():
            with service_errors(form) as outcome:
                services.review_submit(
                    expert=request.user,
                    assignment=assignment,
                    scores=form.scores(),
                    comment=form.cleaned_data["comment"],
                    confidential_comment=form.cleaned_data["confidential_comment"],
                    origin=Origin.of(request),
                )
            if outcome.ok:
                messages.success(request, _("评审意见已提交"))
                return redirect("reviews:queue")
    scored = []
    if existing is not None:
        scored = [(c, existing.scores.get(str(c.pk), "")) for c in criteria]
    context = {
        "assignment": assignment,
        "blind": selectors.blind_submission(submission),
        "form": form,
        "existing": existing,
        "scored": scored,
        "recuse_form": RecuseForm(),
        "open": existing is None and submission.status == workflow.Status.UNDER_REVIEW,
    }
    return render(request, "reviews/review.html", context, status=status)


@require_POST
@login_required
def recuse(request: MemberRequest, assignment_id: int) -> HttpResponse:
    assignment = selectors.access_assignment(actor=request.user, assignment_id=assignment_id)
    form = RecuseForm(request.POST)
    reason = form.data.get("reason", "")
    services.assignment_recuse(expert=request.user, assignment=assignment, reason=reason, origin=Origin.of(request))
    messages.success(request, _("已申请回避，这件申报已从您的评审任务中移除"))
    return redirect("reviews:queue")


@require_safe
@login_required
def blind_file(request: MemberRequest, assignment_id: int, attachment_id: int) -> HttpResponseBase:
    """A file of an assigned submission, under a name that says nothing of its author."""
    attachment = selectors.access_blind_attachment(
        actor=request.user, assignment_id=assignment_id, attachment_id=attachment_id
    )
    return _file(attachment, attachment.blind_name)


# --- Calls and 公示 ------------------------------------------------------------------------------------------------


@require_safe
def calls(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.calls_public(), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "reviews/calls.html", {"page": page})


@require_safe
def call(request: HttpRequest, call_id: int) -> HttpResponse:
    found = selectors.access_call(call_id=call_id)
    return render(
        request,
        "reviews/call.html",
        {"call": found, "criteria": list(found.criteria.all()), "accepted": selectors.notice_list(found)},
    )


@require_safe
def notice(request: HttpRequest, call_id: int) -> HttpResponse:
    """The public result list (公示) of a call: accepted entries with their 入库编号, from the notice's first day."""
    found = selectors.access_call(call_id=call_id)
    return render(request, "reviews/notice.html", {"call": found, "accepted": selectors.notice_list(found)})


@require_http_methods(["GET", "POST"])
@login_required
def apply(request: MemberRequest, call_id: int) -> HttpResponse:
    """Send an entry to an open call: its fields, the kind's metadata and the required files; all or nothing."""
    found = selectors.access_call(call_id=call_id)
    roles = [(role, role_label(role)) for role in found.required_roles]
    form = ApplyForm(request.POST or None, request.FILES or None, roles=roles, field_choices=selectors.field_choices())
    meta_class = selectors.metadata_form_of(found)
    meta = meta_class(request.POST or None, prefix="meta") if meta_class is not None else None
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid() and (meta is None or meta.is_valid()):
            with service_errors(form) as outcome, transaction.atomic():
                entry = services.submission_create(
                    applicant=request.user,
                    call=found,
                    title=form.cleaned_data["title"],
                    abstract=form.cleaned_data["abstract"],
                    field=form.cleaned_data["field"],
                    metadata={k: v for k, v in (meta.cleaned_data if meta else {}).items() if v not in (None, "")},
                    authors=selectors.authors_with_applicant(request.user, form.coauthor_rows()),
                )
                for role, _label in roles:
                    services.attachment_add(
                        applicant=request.user, submission=entry, role=role, upload=form.cleaned_data[f"file_{role}"]
                    )
                services.submission_submit(applicant=request.user, submission=entry, origin=Origin.of(request))
            if outcome.ok:
                messages.success(request, _("申报已提交，请留意形式审查结果"))
                return redirect(entry)
    context = {"call": found, "form": form, "meta": meta, "open": found.is_open()}
    return render(request, "reviews/apply.html", context, status=status)


# --- Applicants ----------------------------------------------------------------------------------------------------


@require_safe
@login_required
def my_submissions(request: MemberRequest) -> HttpResponse:
    page = Paginator(selectors.submissions_of(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "reviews/mine.html", {"page": page})


def _submission_page(
    request: MemberRequest, submission_id: int, *, appeal_form: AppealForm | None = None, status: int = 200
) -> HttpResponse:
    submission = selectors.access_own_submission(actor=request.user, submission_id=submission_id)
    context = {
        "submission": submission,
        "reviews": selectors.reviews_for_applicant(submission),
        "decided": submission.status in workflow.DECIDED,
        "appeals": selectors.appeals_of(submission),
        "can_appeal": selectors.can_appeal(submission),
        "appeal_form": appeal_form or AppealForm(),
    }
    return render(request, "reviews/submission.html", context, status=status)


@require_safe
@login_required
def submission(request: MemberRequest, submission_id: int) -> HttpResponse:
    """An applicant's submission and where it stands; the experts' comments only after the decision."""
    return _submission_page(request, submission_id)


@require_POST
@login_required
def appeal(request: MemberRequest, submission_id: int) -> HttpResponse:
    found = selectors.access_own_submission(actor=request.user, submission_id=submission_id)
    form = AppealForm(request.POST)
    if form.is_valid():
        with service_errors(form) as outcome:
            services.appeal_file(
                applicant=request.user, submission=found, reason=form.cleaned_data["reason"], origin=Origin.of(request)
            )
        if outcome.ok:
            messages.success(request, _("申诉已提交，处理结果将通知您"))
            return redirect(found)
    return _submission_page(request, submission_id, appeal_form=form, status=422)


@require_safe
@login_required
def own_file(request: MemberRequest, submission_id: int, attachment_id: int) -> HttpResponseBase:
    attachment = selectors.access_attachment_for_owner_or_staff(
        actor=request.user, submission_id=submission_id, attachment_id=attachment_id
    )
    return _file(attachment, attachment.original_name)
