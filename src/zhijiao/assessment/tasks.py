"""Background work of the assessment app; each task only calls a service."""

from django.tasks import task

from zhijiao.core import schedule

from . import services

# How often the worker submits the attempts whose time ran out and that nobody opened since (a learner who comes
# back earlier finds theirs submitted at once).
EXPIRE_EVERY_SECONDS = 60


@task()
def expire_attempts() -> int:
    """Submit every running attempt past its deadline as it stands; how many were submitted."""
    return services.attempts_expire_due()


schedule.every(EXPIRE_EVERY_SECONDS, expire_attempts, name="assessment.expire_attempts")
