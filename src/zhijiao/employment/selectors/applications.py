"""Applications: a graduate's own, a job's pipeline for those who manage it."""

from __future__ import annotations

from django.db.models import QuerySet

from zhijiao.core.actors import Actor, signed_in
from zhijiao.core.errors import NotFound

from ..models import Application, Job
from .roles import can_manage_job


def applications_of_graduate(*, user: Actor) -> QuerySet[Application]:
    if not signed_in(user):
        return Application.objects.none()
    return (
        Application.objects.filter(graduate=user).select_related("job", "job__employer").order_by("-created_at", "-id")
    )


def applications_for_job(*, actor: Actor, job: Job, status: str | None = None) -> QuerySet[Application]:
    """A job's pipeline, for those who manage the job only."""
    if not can_manage_job(actor, job):
        raise NotFound
    qs = Application.objects.filter(job=job).select_related("graduate", "resume")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def can_view_application(user: Actor, application: Application) -> bool:
    """The graduate who applied, and whoever manages the job; nobody else."""
    if not signed_in(user):
        return False
    return application.graduate_id == user.pk or can_manage_job(user, application.job)


def access_application(*, actor: Actor, application_id: int) -> Application:
    application = (
        Application.objects.select_related("job", "job__employer", "graduate", "resume")
        .prefetch_related("events")
        .filter(pk=application_id)
        .first()
    )
    if application is None or not can_view_application(actor, application):
        raise NotFound
    return application
