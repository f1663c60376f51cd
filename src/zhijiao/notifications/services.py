"""Writes of the notification centre: send one, send many at once, mark read, email the ones that should be."""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from zhijiao.accounts.models import User
from zhijiao.core.actors import Actor, signed_in
from zhijiao.core.errors import NotFound

from .models import Notification

BULK_BATCH = 5000


def email_configured() -> bool:
    """Whether the platform may send email (an ``EMAIL_URL`` is set)."""
    return bool(getattr(settings, "EMAIL_URL", ""))


@transaction.atomic
def notify(*, user: User, title: str, body: str = "", url: str = "", kind: str = "") -> Notification:
    """Put a message in someone's notification centre; it is also emailed when they have an address."""
    notification = Notification(user=user, title=str(title)[:200], body=str(body), url=url[:300], kind=kind[:40])
    notification.full_clean()
    notification.save()
    if user.email and email_configured():
        from .tasks import send_notification_email

        notification_id = notification.pk
        transaction.on_commit(lambda: send_notification_email.enqueue(notification_id=notification_id))
    return notification


@transaction.atomic
def notify_many(*, messages: Iterable[tuple[int, str, str, str]], kind: str = "") -> int:
    """Many messages at once (user id, title, body, url), written in bulk; emailed after commit in one task."""
    rows = [
        Notification(user_id=user_id, title=str(title)[:200], body=str(body), url=url[:300], kind=kind[:40])
        for user_id, title, body, url in messages
    ]
    created = Notification.objects.bulk_create(rows, batch_size=BULK_BATCH)
    if created and email_configured():
        from .tasks import send_notification_emails

        since = min(row.created_at for row in created)
        transaction.on_commit(lambda: send_notification_emails.enqueue(kind=kind, since=since.isoformat()))
    return len(created)


def notification_email_send(*, notification_id: int) -> bool:
    """Email one notification to its recipient once; False when there is nothing to send."""
    notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notification is None or notification.emailed_at is not None or not notification.user.email:
        return False
    link = f"\n\n{notification.url}" if notification.url else ""
    send_mail(
        subject=notification.title,
        message=f"{notification.body}{link}",
        from_email=None,
        recipient_list=[notification.user.email],
    )
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return True


def notification_emails_send(*, kind: str, since: Any) -> int:
    """Email every not-yet-emailed notification of ``kind`` made since ``since`` to people with an address."""
    sent = 0
    pending = Notification.objects.filter(
        kind=kind, created_at__gte=since, emailed_at__isnull=True, user__email__isnull=False
    ).values_list("pk", flat=True)
    for notification_id in list(pending.iterator()):
        sent += notification_email_send(notification_id=notification_id)
    return sent


@transaction.atomic
def notification_mark_read(*, user: Actor, notification_id: int) -> Notification:
    """The recipient opened a message; someone else's message is "not found"."""
    if not signed_in(user):
        raise NotFound
    notification = Notification.objects.select_for_update().filter(pk=notification_id, user=user).first()
    if notification is None:
        raise NotFound
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user: Actor) -> int:
    """Mark every unread message of a person as read; how many were unread."""
    if not signed_in(user):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
