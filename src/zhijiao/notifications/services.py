"""Writes of the notification centre: send one, send many at once, mark read, email the ones that should be."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import batched
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijiao.accounts.models import User
from zhijiao.core.actors import Actor, signed_in
from zhijiao.core.errors import NotFound

# Apps name the kinds of message they send through this module (the kinds module is an implementation detail).
from .kinds import notification_kinds as notification_kinds
from .models import Notification

BULK_BATCH = 5000
MAX_LINKS = 20


@dataclass(frozen=True)
class Link:
    """One thing a message is about: a title, a line of detail (employer · place · salary), a site path."""

    title: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class Message:
    """One message of a batch (``notify_many``)."""

    user_id: int
    title: str
    body: str = ""
    url: str = ""
    links: Sequence[Link] = ()
    stop_url: str = ""


def _links(links: Sequence[Link]) -> list[dict[str, str]]:
    return [
        {"title": str(link.title)[:200], "detail": str(link.detail)[:200], "url": link.url[:300]}
        for link in list(links)[:MAX_LINKS]
    ]


def email_configured() -> bool:
    """Whether the platform may send email (an ``EMAIL_URL`` is set)."""
    return bool(getattr(settings, "EMAIL_URL", ""))


@transaction.atomic
def notify(
    *,
    user: User,
    title: str,
    body: str = "",
    url: str = "",
    kind: str = "",
    links: Sequence[Link] = (),
    stop_url: str = "",
) -> Notification:
    """Put a message in someone's notification centre; it is also emailed when they have an address."""
    notification = Notification(
        user=user,
        title=str(title)[:200],
        body=str(body),
        url=url[:300],
        kind=kind[:40],
        links=_links(links),
        stop_url=stop_url[:300],
    )
    notification.full_clean()
    notification.save()
    if user.email and email_configured():
        from .tasks import send_notification_email

        notification_id = notification.pk
        transaction.on_commit(lambda: send_notification_email.enqueue(notification_id=notification_id))
    return notification


@transaction.atomic
def notify_many(*, messages: Iterable[Message], kind: str = "") -> int:
    """Many messages at once, written in batches as they come (memory stays flat for a hundred thousand
    recipients); emailed after commit in one task."""
    count = 0
    since = None
    for chunk in batched(messages, BULK_BATCH):
        rows = [
            Notification(
                user_id=message.user_id,
                title=str(message.title)[:200],
                body=str(message.body),
                url=message.url[:300],
                kind=kind[:40],
                links=_links(message.links),
                stop_url=message.stop_url[:300],
            )
            for message in chunk
        ]
        created = Notification.objects.bulk_create(rows)
        count += len(created)
        first = min(row.created_at for row in created)
        since = first if since is None else min(since, first)
    if since is not None and email_configured():
        from .tasks import send_notification_emails

        after = since
        transaction.on_commit(lambda: send_notification_emails.enqueue(kind=kind, since=after.isoformat()))
    return count


def absolute(path: str) -> str:
    """A site path as the address people reach it at (``PUBLIC_ORIGIN``); other URLs unchanged."""
    return f"{settings.PUBLIC_ORIGIN}{path}" if path.startswith("/") else path


def notification_email(notification: Notification, *, to: str) -> EmailMessage:
    """The email of a notification: its text, every link as a full address, and the stop link both in the text
    and as the one-click List-Unsubscribe header (RFC 8058) mail programs offer as a button."""
    parts = [notification.body] if notification.body else []
    if notification.url:
        parts.append(absolute(notification.url))
    for link in notification.links:
        line = f"· {link.get('title', '')}"
        if link.get("detail"):
            line += f"（{link['detail']}）"
        parts.append(f"{line}\n  {absolute(link.get('url', ''))}")
    headers = {}
    if notification.stop_url:
        stop = absolute(notification.stop_url)
        parts.append(_("不想再收到此类消息？停止接收：%(url)s") % {"url": stop})
        headers = {"List-Unsubscribe": f"<{stop}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    return EmailMessage(
        subject=notification.title,
        body="\n\n".join(parts),
        to=[to],
        headers=headers,
    )


def notification_email_send(*, notification_id: int) -> bool:
    """Email one notification to its recipient once; False when there is nothing to send."""
    notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notification is None or notification.emailed_at is not None or not notification.user.email:
        return False
    notification_email(notification, to=notification.user.email).send()
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
