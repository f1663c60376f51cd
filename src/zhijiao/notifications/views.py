"""The notification centre page: a person's messages, newest first; opening one marks it read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from . import selectors, services

PER_PAGE = 20


@require_safe
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    paginator = Paginator(selectors.notifications_of(user=request.user, unread_only=unread_only), PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {"page": page, "unread_only": unread_only, "unread": selectors.unread_count(user=request.user)},
    )


@require_POST
@login_required
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification = services.notification_mark_read(user=request.user, notification_id=notification_id)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")


@require_POST
@login_required
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(request, _("已将 %(n)d 条消息标为已读") % {"n": count})
    return redirect("notifications:list")
