"""The employment figures on /employment/ and /data/."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from zhijiao.core.cache import content_cached

from ..models import Graduate, PushRun
from .jobs import open_jobs


@dataclass
class EmploymentStats:
    jobs_open: int
    jobs_new: int
    graduates: int
    graduates_new: int
    pushes_today: int
    push_recipients_today: int
    push_days: list[PushRun]


def employment_stats(*, days: int = 7) -> EmploymentStats:
    """The employment figures on /employment/ and /data/: open and new jobs, registered graduates (total, new),
    job pushes per day. Counting a million open jobs takes a while, so the figures are shared for
    ``CONTENT_CACHE_SECONDS`` (as the other dashboard figures are)."""
    key = f"employment:stats:v1:{days}:{timezone.localdate().isoformat()}"
    return content_cached(key, lambda: _employment_stats(days=days))


def _employment_stats(*, days: int) -> EmploymentStats:
    today = timezone.localdate()
    since = today - timedelta(days=days - 1)
    run = PushRun.objects.filter(day=today).first()
    return EmploymentStats(
        jobs_open=open_jobs(on=today).count(),
        jobs_new=open_jobs(on=today).filter(date_posted__gte=since).count(),
        graduates=Graduate.objects.count(),
        graduates_new=Graduate.objects.filter(created_at__date__gte=since).count(),
        pushes_today=run.pushes if run else 0,
        push_recipients_today=run.recipients if run else 0,
        push_days=list(PushRun.objects.order_by("-day")[:days]),
    )
