"""The buttons of a thread's page: vote, accept an answer, pin, close; and the report and hide forms. Each reads the
thread or post through the selectors' access questions and calls one service; refusals and bad input come back as a
message through the site's error middleware."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhijiao.core.actors import MemberRequest, Origin
from zhijiao.core.views import service_errors

from .. import selectors, services
from ..forms import ReasonForm
from ..models import Post
from .posts import vote_html


def _back(post: Post) -> HttpResponse:
    return redirect(post.get_absolute_url() if not post.is_opening else post.thread.get_absolute_url())


@require_POST
@login_required
def vote(request: MemberRequest, post_id: int) -> HttpResponse:
    """Up-vote a post, or take the vote back. With htmx, answers the button alone."""
    post = selectors.access_post(actor=request.user, post_id=post_id)
    voted = services.vote_toggle(actor=request.user, post=post)
    if request.headers.get("HX-Request"):
        from django.middleware.csrf import get_token

        return HttpResponse(vote_html(post, voted=voted, csrf=get_token(request)))
    return _back(post)


@require_POST
@login_required
def accept(request: MemberRequest, post_id: int) -> HttpResponse:
    post = selectors.access_post(actor=request.user, post_id=post_id)
    services.answer_accept(actor=request.user, post=post)
    messages.success(request, _("已采纳这个回答"))
    return _back(post)


@require_POST
@login_required
def pin(request: MemberRequest, thread_id: int) -> HttpResponse:
    thread = selectors.access_thread(actor=request.user, thread_id=thread_id)
    thread = services.thread_pin(actor=request.user, thread=thread, pinned=request.POST.get("pinned") == "1")
    messages.success(request, _("已置顶") if thread.pinned else _("已取消置顶"))
    return redirect(thread)


@require_POST
@login_required
def close(request: MemberRequest, thread_id: int) -> HttpResponse:
    thread = selectors.access_thread(actor=request.user, thread_id=thread_id)
    thread = services.thread_close(actor=request.user, thread=thread, closed=request.POST.get("closed") == "1")
    messages.success(request, _("已关闭，学习者不能再回复") if thread.closed else _("已重新打开"))
    return redirect(thread)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def report(request: MemberRequest, post_id: int) -> HttpResponse:
    """举报: any member of the run reports a post with a reason."""
    post = selectors.access_post(actor=request.user, post_id=post_id)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_errors(form) as outcome:
            services.post_report(actor=request.user, post=post, reason=form.cleaned_data["reason"])
        if outcome.ok:
            messages.success(request, _("举报已提交，教学团队会尽快处理"))
            return _back(post)
    status = 422 if request.method == "POST" else 200
    context = {"post": post, "form": form, "mode": "report", "course": post.thread.run.course}
    return render(request, "discussion/reason.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def hide(request: MemberRequest, post_id: int) -> HttpResponse:
    """The teaching team hides a post with a reason (kept in the audit log)."""
    post = selectors.access_post(actor=request.user, post_id=post_id)
    if not selectors.is_teaching_team(request.user, post.thread.run):
        from zhijiao.core.errors import NotFound

        raise NotFound
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_errors(form) as outcome:
            services.post_hide(
                actor=request.user, post=post, reason=form.cleaned_data["reason"], origin=Origin.of(request)
            )
        if outcome.ok:
            messages.success(request, _("已隐藏这条发言"))
            return _back(post)
    status = 422 if request.method == "POST" else 200
    context = {"post": post, "form": form, "mode": "hide", "course": post.thread.run.course}
    return render(request, "discussion/reason.html", context, status=status)
