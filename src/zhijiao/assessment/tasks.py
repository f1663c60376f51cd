"""Background work of assessments; each task only calls a service."""

from django.tasks import task

from zhijiao.core import schedule

from . import services

# How often the worker looks for peer reviews past their deadline: an answer left without enough reviews reaches
# the teaching team's queue (or is graded by the reviews it has) within this long of the deadline.
PEER_REVIEW_CLOSE_EVERY_SECONDS = 600


@task()
def close_due_peer_reviews() -> int:
    """Decide the answers whose peer review deadline passed; the number of answers graded or sent to the team."""
    result = services.peer_reviews_close_due()
    return result.graded + result.to_staff


schedule.every(PEER_REVIEW_CLOSE_EVERY_SECONDS, close_due_peer_reviews, name="assessment.peer_reviews_close")
