"""The teaching team's moderation pages: the report queue (举报处理) of a run, where a reported post is hidden with a
reason or its reports dismissed, and showing a hidden post again with a reason. Each reads through the selectors'
access questions and calls one service; the services write the audit log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhijiao.core.actors import MemberRequest, Origin
from zhijiao.core.errors import NotFound
from zhijiao.core.views import service_errors

from .. import selectors, services
from ..forms import QueueActionForm, ReasonForm
from ..models import Post


@require_http_methods(["GET", "HEAD"])
@login_required
def reports(request: MemberRequest, run_id: int) -> HttpResponse:
    """A run's posts with open reports, the longest waiting first: what was said, how many reported it and why."""
    run = selectors.access_report_queue(actor=request.user, run_id=run_id)
    queue = selectors.report_queue(run=run, page=selectors.clean_page(request.GET.get("page")))
    context = {"run": run, "course": run.course, "queue": queue, "form": QueueActionForm()}
    return render(request, "discussion/reports.html", context)


@require_POST
@login_required
def report_handle(request: MemberRequest, run_id: int, post_id: int) -> HttpResponse:
    """Hide a reported post with a reason, or dismiss its reports (the reason is optional then)."""
    run = selectors.access_report_queue(actor=request.user, run_id=run_id)
    post = selectors.access_post(actor=request.user, post_id=post_id)
    if post.thread.run_id != run.pk:
        raise NotFound
    form = QueueActionForm(request.POST)
    back = reverse("discussion:reports", args=[run.pk])
    if not form.is_valid():
        messages.error(request, _("请选择处理方式"))
        return redirect(back)
    reason = form.cleaned_data["reason"]
    if form.cleaned_data["action"] == QueueActionForm.HIDE:
        services.post_hide(actor=request.user, post=post, reason=reason, origin=Origin.of(request))
        messages.success(request, _("已隐藏这条发言"))
    else:
        services.reports_dismiss(actor=request.user, post=post, reason=reason, origin=Origin.of(request))
        messages.success(request, _("已驳回举报，发言保持显示"))
    return redirect(back)


def _back(post: Post) -> HttpResponse:
    return redirect(post.get_absolute_url() if not post.is_opening else post.thread.get_absolute_url())


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def unhide(request: MemberRequest, post_id: int) -> HttpResponse:
    """The teaching team shows a hidden post again, with a reason (kept in the audit log)."""
    post = selectors.access_post(actor=request.user, post_id=post_id)
    if not selectors.is_teaching_team(request.user, post.thread.run):
        raise NotFound
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_errors(form) as outcome:
            services.post_unhide(
                actor=request.user, post=post, reason=form.cleaned_data["reason"], origin=Origin.of(request)
            )
        if outcome.ok:
            messages.success(request, _("已恢复显示这条发言"))
            return _back(post)
    status = 422 if request.method == "POST" else 200
    context = {"post": post, "form": form, "mode": "unhide", "course": post.thread.run.course}
    return render(request, "discussion/reason.html", context, status=status)
