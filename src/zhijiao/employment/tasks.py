"""Background work of the employment platform: the daily job push, daily index upkeep, bulk indexing."""

from django.tasks import task

from zhijiao.core import schedule
from zhijiao.core.workers import idempotent

from . import services


@idempotent
@task()
def index_jobs(job_ids: list[int]) -> int:
    return services.jobs_index(job_ids=job_ids)


@task()
def daily_job_push() -> int:
    """Match yesterday's and today's new jobs to graduates and tell them."""
    return services.push_daily().pushes


@idempotent
@task()
def daily_jobs_index_refresh() -> int:
    """Jobs expire and leave "posted within" windows by themselves; keep the index in step once a day."""
    return services.jobs_index_refresh()


schedule.every(24 * 3600, daily_job_push, name="employment.push")
schedule.every(24 * 3600, daily_jobs_index_refresh, name="employment.index_refresh")
