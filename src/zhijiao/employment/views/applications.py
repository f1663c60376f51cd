"""Application pages: applying from a job's page, an application with its pipeline, the employer's moves, the
graduate's withdrawal and answer to an offer."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from zhijiao.core.actors import MemberRequest
from zhijiao.core.errors import DomainError

from .. import forms, selectors, services
from ..models import Agreement, Application


@require_POST
@login_required
def job_apply(request: MemberRequest, job_id: int) -> HttpResponse:
    job = selectors.access_job(actor=request.user, job_id=job_id)
    form = forms.ApplyForm(request.POST, graduate=request.user)
    if form.is_valid():
        application = services.application_submit(
            graduate=request.user,
            job=job,
            resume=form.cleaned_data["resume"],
            cover_letter=form.cleaned_data["cover_letter"],
        )
        messages.success(request, _("简历已投递"))
        return redirect(application)
    messages.error(request, _("请选择一份简历"))
    return redirect(job)


@require_safe
@login_required
def application_detail(request: MemberRequest, application_id: int) -> HttpResponse:
    application = selectors.access_application(actor=request.user, application_id=application_id)
    manager = selectors.can_manage_job(request.user, application.job)
    if manager and application.status == Application.Status.SUBMITTED:
        services.application_move(actor=request.user, application=application, status=Application.Status.VIEWED)
        application = selectors.access_application(actor=request.user, application_id=application_id)
    agreement = Agreement.objects.filter(application=application).first()
    return render(
        request,
        "employment/application_detail.html",
        {
            "application": application,
            "is_manager": manager,
            "is_graduate": application.graduate_id == request.user.pk,
            "move_form": forms.MoveForm() if manager else None,
            "agreement": agreement,
            "open_statuses": services.OPEN_STATUSES,
        },
    )


@require_POST
@login_required
def application_move(request: MemberRequest, application_id: int) -> HttpResponse:
    application = selectors.access_application(actor=request.user, application_id=application_id)
    form = forms.MoveForm(request.POST)
    # The refusals land on the application's page whatever page the form was on (the middleware would go back).
    if not form.is_valid():
        messages.error(request, _("；").join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(application)
    try:
        services.application_move(actor=request.user, application=application, **form.cleaned_data)
        messages.success(request, _("已更新进展并通知毕业生"))
    except ValidationError as exc:
        messages.error(request, _("；").join(exc.messages))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect(application)


@require_POST
@login_required
def application_respond(request: MemberRequest, application_id: int) -> HttpResponse:
    application = selectors.access_application(actor=request.user, application_id=application_id)
    action = request.POST.get("action")
    if action == "withdraw":
        services.application_withdraw(graduate=request.user, application=application, note=request.POST.get("note", ""))
        messages.success(request, _("已撤回投递"))
    elif action in ("accept", "decline"):
        services.application_respond(graduate=request.user, application=application, accept=action == "accept")
        if action == "accept":
            messages.success(request, _("已接受录用，三方协议已生成"))
            return redirect(Agreement.objects.get(application=application))
        messages.success(request, _("已婉拒录用"))
    return redirect(application)
