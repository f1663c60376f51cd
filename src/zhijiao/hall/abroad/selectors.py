"""Reads of the study-abroad services and their access checks, each question answered by one function.

``access_<entity>(actor=…, …)`` answers "not found" for both missing and forbidden: an applicant never learns that
somebody else's application exists, and officers never see drafts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TypeGuard

from django.db.models import Count, QuerySet
from django.utils import timezone

from zhijiao.accounts.models import User
from zhijiao.core.actors import Actor, signed_in
from zhijiao.core.errors import NotFound
from zhijiao.credentials.models import Credential
from zhijiao.credentials.selectors import credential_by_source
from zhijiao.orgs.models import Role
from zhijiao.orgs.selectors import has_role

from . import workflow
from .models import Application, Document, Status, StatusChange


def is_abroad_officer(user: Actor) -> TypeGuard[User]:
    """Service-hall officers (and superusers) review study-abroad applications."""
    return signed_in(user) and (user.is_superuser or has_role(user, Role.HALL_OFFICER))


# --- Applicants ------------------------------------------------------------------------------------------------


def applications_of(user: Actor) -> QuerySet[Application]:
    """A person's own study-abroad applications, newest first (for "my services")."""
    if not signed_in(user):
        return Application.objects.none()
    return (
        Application.objects.filter(applicant=user)
        .annotate(document_count=Count("documents"))
        .order_by("-created_at", "-id")
    )


def access_own_application(*, actor: Actor, application_id: int) -> Application:
    """An application its applicant may change or submit; anyone else's is "not found"."""
    if not signed_in(actor):
        raise NotFound
    application = Application.objects.filter(pk=application_id, applicant=actor).first()
    if application is None:
        raise NotFound
    return application


def can_view(actor: Actor, application: Application) -> bool:
    """The applicant sees their application; officers see every submitted one (never another's draft)."""
    if not signed_in(actor):
        return False
    if application.applicant_id == actor.pk:
        return True
    return application.status != Status.DRAFT and is_abroad_officer(actor)


def access_application(*, actor: Actor, application_id: int) -> Application:
    """An application for reading (its applicant or an officer), with its documents and history loaded."""
    application = (
        Application.objects.select_related("applicant__identity", "decided_by")
        .prefetch_related("documents", "history__actor")
        .filter(pk=application_id)
        .first()
    )
    if application is None or not can_view(actor, application):
        raise NotFound
    return application


def access_application_for_review(*, actor: Actor, application_id: int) -> Application:
    """A submitted application an officer decides on."""
    if not is_abroad_officer(actor):
        raise NotFound
    application = Application.objects.exclude(status=Status.DRAFT).filter(pk=application_id).first()
    if application is None:
        raise NotFound
    return application


def access_document(*, actor: Actor, application_id: int, document_id: int) -> Document:
    """A document for download: only its applicant and officers (for a submitted application)."""
    document = (
        Document.objects.select_related("application").filter(pk=document_id, application_id=application_id).first()
    )
    if document is None or not can_view(actor, document.application):
        raise NotFound
    return document


def history_of(application: Application) -> list[StatusChange]:
    return list(application.history.all())


# --- Officers ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueFilter:
    service: str = ""
    status: str = ""  # "" = waiting for an officer; "all" = every submitted status
    submitted_from: date | None = None
    submitted_to: date | None = None
    q: str = ""


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def officer_queue(*, actor: Actor, filters: QueueFilter | None = None) -> QuerySet[Application]:
    """Applications for officers, oldest submission first, filtered; nobody else sees any."""
    if not is_abroad_officer(actor):
        raise NotFound
    filters = filters or QueueFilter()
    qs = Application.objects.exclude(status=Status.DRAFT).annotate(document_count=Count("documents"))
    if filters.service:
        qs = qs.filter(service=filters.service)
    if filters.status == "all":
        pass
    elif filters.status:
        qs = qs.filter(status=filters.status)
    else:
        qs = qs.filter(status__in=workflow.WAITING)
    if filters.submitted_from:
        qs = qs.filter(submitted_at__gte=_day_start(filters.submitted_from))
    if filters.submitted_to:
        qs = qs.filter(submitted_at__lt=_day_start(filters.submitted_to + timedelta(days=1)))
    if filters.q.strip():
        qs = qs.filter(applicant_name__icontains=filters.q.strip())
    return qs.order_by("submitted_at", "id")


def queue_counts(*, actor: Actor) -> dict[str, int]:
    """How many applications of each service wait for an officer."""
    if not is_abroad_officer(actor):
        raise NotFound
    rows = (
        Application.objects.filter(status__in=workflow.WAITING)
        .values_list("service")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {service: n for service, n in rows}


def credential_of(application: Application) -> Credential | None:
    """The certificate issued for an authenticated degree, or None."""
    if application.service != Application.Service.DEGREE or application.status != Status.AUTHENTICATED:
        return None
    return credential_by_source(source_key=source_key(application))


def source_key(application: Application) -> str:
    return f"abroad.application:{application.pk}"
