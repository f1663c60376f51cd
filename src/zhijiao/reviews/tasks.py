"""Background work of the review engine; each task only calls a service."""

from django.tasks import task

from zhijiao.core import schedule
from zhijiao.core.workers import idempotent

from . import services

# Experts hear of assignments due within three days once a day; checking hourly sends it early in their day.
REMIND_EVERY_SECONDS = 3600


@idempotent
@task()
def remind_due_reviews() -> int:
    """Remind experts of their reviews due soon; how many experts were reminded."""
    return services.reminders_send_due()


schedule.every(REMIND_EVERY_SECONDS, remind_due_reviews, name="reviews.remind_due")
