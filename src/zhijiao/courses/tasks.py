"""Background work of the course engine; each task only calls a service."""

from typing import Any

from django.tasks import task

from zhijiao.core import schedule
from zhijiao.core.workers import idempotent

from . import selectors, services

# How often the worker's scheduler looks for ended runs: a learner gets their certificate within this long of the
# run's end (and of completing identity, should the signal's task be lost).
CERTIFICATES_EVERY_SECONDS = 600


@idempotent
@task()
def grant_due_certificates() -> int:
    """Certificates for every run that has ended since the last pass; the number of credentials issued."""
    return services.certificates_grant_due().issued


@idempotent
@task()
def issue_awaiting_certificates(user_id: int) -> int:
    """A learner completed real-name identity: issue the certificates that waited for it."""
    return services.certificates_issue_awaiting(user_id=user_id)


def on_identity_verified(sender: Any, *, user: Any, **kwargs: Any) -> None:
    """``accounts.services.identity_verified``: hand the learner their waiting certificates (in the background, so
    the identity page answers at once)."""
    if selectors.has_awaiting_certificates(user=user):
        issue_awaiting_certificates.enqueue(user_id=user.pk)


schedule.every(CERTIFICATES_EVERY_SECONDS, grant_due_certificates, name="courses.certificates")


@task()
def regrade_run(regrade_id: int) -> int:
    """Recompute every grade of a run (a regrade request); the number of grades written."""
    return services.regrade_perform(regrade_id=regrade_id)
