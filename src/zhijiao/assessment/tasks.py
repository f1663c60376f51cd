"""Background work of the assessment app; each task only calls a service."""

from django.tasks import task

from zhijiao.core import schedule
from zhijiao.core.workers import idempotent

from . import services

# How often the worker submits the attempts whose time ran out and that nobody opened since (a learner who comes
# back earlier finds theirs submitted at once).
EXPIRE_EVERY_SECONDS = 60


@idempotent
@task()
def expire_attempts() -> int:
    """Submit every running attempt past its deadline as it stands; how many were submitted."""
    return services.attempts_expire_due()


schedule.every(EXPIRE_EVERY_SECONDS, expire_attempts, name="assessment.expire_attempts")

# How often the worker looks for peer reviews past their deadline: an answer left without enough reviews reaches
# the teaching team's queue (or is graded by the reviews it has) within this long of the deadline.
PEER_REVIEW_CLOSE_EVERY_SECONDS = 600


@idempotent
@task()
def close_due_peer_reviews() -> int:
    """Decide the answers whose peer review deadline passed; the number of answers graded or sent to the team."""
    result = services.peer_reviews_close_due()
    return result.graded + result.to_staff


schedule.every(PEER_REVIEW_CLOSE_EVERY_SECONDS, close_due_peer_reviews, name="assessment.peer_reviews_close")

# How often the worker removes answer files that no answer names (an upload rolled back or cut short by a crash).
ANSWER_FILES_SWEEP_EVERY_SECONDS = 3600


@idempotent
@task()
def sweep_answer_files() -> int:
    """Delete stray answer files older than an hour; how many were deleted."""
    return services.answer_files_sweep()


schedule.every(ANSWER_FILES_SWEEP_EVERY_SECONDS, sweep_answer_files, name="assessment.sweep_answer_files")
