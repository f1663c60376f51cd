"""The notification centre page: a person's messages, newest first, with what each is about; opening one or
following one of its links marks it read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
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
    unread = selectors.unread_count(user=request.user)
    return render(
        request,
        "notifications/list.html",
        {"page": page, "unread_only": unread_only, "unread": unread, "notifications_unread": unread},
    )


def _local(request: HttpRequest, target: str) -> bool:
    return bool(target) and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})


@require_POST
@login_required
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification = services.notification_mark_read(user=request.user, notification_id=notification_id)
    if _local(request, notification.url):
        return redirect(notification.url)
    return redirect("notifications:list")


@require_safe
@login_required
def notification_detail(request: HttpRequest, notification_id: int) -> HttpResponse:
    """One message in full, with everything it links to; reading it marks it read."""
    notification = services.notification_mark_read(user=request.user, notification_id=notification_id)
    return render(request, "notifications/detail.html", {"note": notification})


@require_safe
@login_required
def notification_open(request: HttpRequest, notification_id: int, index: int | None = None) -> HttpResponse:
    """Follow a message's link (its main one, or the ``index``-th of what it lists): the message counts as read.
    Marking read on a GET is safe to repeat; a link that is not a path of this site opens the message instead."""
    notification = services.notification_mark_read(user=request.user, notification_id=notification_id)
    if index is None:
        target = notification.url
    else:
        links = notification.links if isinstance(notification.links, list) else []
        if index >= len(links):
            raise Http404
        target = str((links[index] or {}).get("url", ""))
    if _local(request, target):
        return redirect(target)
    return redirect("notifications:detail", notification_id=notification.pk)


@require_POST
@login_required
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(request, _("已将 %(n)d 条消息标为已读") % {"n": count})
    return redirect("notifications:list")
