"""Background work of the notification centre: emails are sent by the worker, never inside a request."""

from django.tasks import task
from django.utils.dateparse import parse_datetime

from . import services


@task()
def send_notification_email(notification_id: int) -> bool:
    return services.notification_email_send(notification_id=notification_id)


@task()
def send_notification_emails(kind: str, since: str) -> int:
    return services.notification_emails_send(kind=kind, since=parse_datetime(since))
