"""The kernel's periodic housekeeping: expired rate counters and sessions leave the database."""

from django.contrib.sessions.models import Session
from django.tasks import task
from django.utils import timezone

from . import counters, schedule
from .workers import idempotent

PRUNE_EVERY_SECONDS = 300


@idempotent
@task()
def prune_rate_counters() -> int:
    """Delete the rate counters, lockouts and claims whose time has passed; how many."""
    return counters.prune()


@idempotent
@task()
def prune_sessions() -> int:
    """Delete the sessions that have expired (they are in the database with or without Redis); how many."""
    deleted, _kinds = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


schedule.every(PRUNE_EVERY_SECONDS, prune_rate_counters, name="core.prune_rate_counters")
schedule.every(3600, prune_sessions, name="core.prune_sessions")
