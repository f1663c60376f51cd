"""Background work for analytics; each task only calls a service."""

from django.conf import settings
from django.tasks import task

from zhijiao.core import schedule
from zhijiao.core.workers import idempotent

from . import services


@idempotent
@task()
def rollup_pageviews() -> int:
    """Fold the recorded page views into the daily figures; the number of views folded."""
    return services.pageviews_rollup().views


# The worker's scheduler enqueues it once per interval, whichever worker gets there first.
schedule.every(settings.ANALYTICS_ROLLUP_SECONDS, rollup_pageviews, name="analytics.rollup")
