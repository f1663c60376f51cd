"""Reads of the notification centre: a person sees only their own messages."""

from django.db.models import QuerySet

from zhijiao.core.actors import Actor, signed_in

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
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
