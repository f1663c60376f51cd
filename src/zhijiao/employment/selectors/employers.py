"""Employers: the review queue and whether an employer may publish."""

from __future__ import annotations

from django.db.models import QuerySet

from zhijiao.core.actors import Actor
from zhijiao.core.errors import NotFound
from zhijiao.orgs.models import Organization

from ..models import EmployerProfile
from .roles import is_employer_reviewer


def employer_can_publish(employer: Organization) -> bool:
    """Only verified (and not suspended) employers publish jobs."""
    profile = EmployerProfile.objects.filter(organization=employer).only("status").first()
    return profile is not None and profile.status == EmployerProfile.Status.VERIFIED


def employer_review_queue(*, status: str | None = EmployerProfile.Status.PENDING) -> QuerySet[EmployerProfile]:
    qs = EmployerProfile.objects.select_related("organization", "organization__region", "reviewed_by")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-needs_manual_review", "created_at", "id")


def access_employer_profile_for_review(*, actor: Actor, profile_id: int) -> EmployerProfile:
    if not is_employer_reviewer(actor):
        raise NotFound
    profile = employer_review_queue(status=None).filter(pk=profile_id).first()
    if profile is None:
        raise NotFound
    return profile


def employer_profile_of(*, organization: Organization) -> EmployerProfile | None:
    return EmployerProfile.objects.filter(organization=organization).first()
