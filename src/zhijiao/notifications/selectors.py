"""Reads of the notification centre: a person sees only their own messages."""

from django.db.models import Count, QuerySet

from zhijiao.core.actors import Actor, signed_in
from zhijiao.core.prepared import Prepared

from .models import Notification


def notifications_of(*, user: Actor | None, unread_only: bool = False) -> QuerySet[Notification]:
    """A person's messages, newest first; none for a visitor."""
    if not signed_in(user):
        return Notification.objects.none()
    qs = Notification.objects.filter(user=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def unread_count(*, user: Actor | None) -> int:
    """How many of a person's messages are unread; 0 for a visitor."""
    if not signed_in(user):
        return 0
    counted = _UNREAD.first(user.pk)
    return counted or 0


# The header of every signed-in page shows this count: the SQL is built once (core.prepared). Grouped by person so
# that it is a plain select; no row means none unread.
_UNREAD = Prepared(
    lambda user_id: (
        Notification.objects.filter(user_id=user_id, read_at__isnull=True)
        .values("user_id")
        .annotate(unread=Count("id"))
        .values_list("unread", flat=True)
    )
)
