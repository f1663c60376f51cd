"""Employer pages: registration, the recruiter's home, and the staff's review queue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from zhijiao.core.actors import MemberRequest, Origin
from zhijiao.core.views import service_errors

from .. import forms, selectors, services
from ..models import EmployerProfile
from .jobs import PER_PAGE


@require_http_methods(["GET", "POST"])
@login_required
def employer_register(request: MemberRequest) -> HttpResponse:
    form = forms.EmployerRegisterForm(request.POST or None, request.FILES or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        with service_errors(form) as outcome:
            profile = services.employer_register(user=request.user, **form.cleaned_data, origin=Origin.of(request))
        if outcome.ok:
            if profile.needs_manual_review:
                messages.warning(request, _("信用代码校验未通过，已转人工核验，请耐心等待审核。"))
            else:
                messages.success(request, _("注册已提交，审核通过后即可发布岗位。"))
            return redirect("employment:employer_home")
    return render(request, "employment/employer_register.html", {"form": form}, status=422 if form.errors else 200)


@require_safe
@login_required
def employer_home(request: MemberRequest) -> HttpResponse:
    employers = list(selectors.recruiter_employers(request.user).select_related("employer_profile"))
    return render(
        request,
        "employment/employer_home.html",
        {"employers": employers, "jobs": list(selectors.jobs_managed_by(actor=request.user)[:100])},
    )


@require_safe
@login_required
def review_queue(request: MemberRequest) -> HttpResponse:
    if not selectors.is_employer_reviewer(request.user):
        raise Http404
    status = request.GET.get("status", EmployerProfile.Status.PENDING)
    if status not in EmployerProfile.Status.values:
        status = EmployerProfile.Status.PENDING
    page = Paginator(selectors.employer_review_queue(status=status), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "employment/review_queue.html",
        {"page": page, "status": status, "statuses": EmployerProfile.Status.choices, "form": forms.ReviewForm()},
    )


@require_POST
@login_required
def review_decide(request: MemberRequest, profile_id: int) -> HttpResponse:
    profile = selectors.access_employer_profile_for_review(actor=request.user, profile_id=profile_id)
    form = forms.ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择审核结论"))
        return redirect("employment:review_queue")
    decision, reason = form.cleaned_data["decision"], form.cleaned_data["reason"]
    if decision in ("approve", "reject"):
        services.employer_review(
            actor=request.user, profile=profile, approve=decision == "approve", reason=reason, origin=Origin.of(request)
        )
    else:
        services.employer_suspend(
            actor=request.user, profile=profile, reason=reason, suspend=decision == "suspend", origin=Origin.of(request)
        )
    messages.success(request, _("已处理：%(name)s") % {"name": profile.organization.name})
    return redirect(reverse("employment:review_queue") + f"?status={profile.status}")


@require_safe
@login_required
def review_licence(request: MemberRequest, profile_id: int) -> HttpResponseBase:
    profile = selectors.access_employer_profile_for_review(actor=request.user, profile_id=profile_id)
    if not profile.licence:
        raise Http404
    return FileResponse(
        profile.licence.open("rb"), as_attachment=False, filename=(profile.licence.name or "").rsplit("/", 1)[-1]
    )
