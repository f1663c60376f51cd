"""Graduates as themselves and as their university's employment office sees them."""

from __future__ import annotations

from django.db.models import QuerySet

from zhijiao.core.actors import Actor, signed_in
from zhijiao.core.errors import NotFound
from zhijiao.orgs.models import Organization

from ..models import Graduate
from .roles import is_staff_of


def graduate_of(user: Actor) -> Graduate | None:
    if not signed_in(user):
        return None
    return Graduate.objects.select_related("university").filter(user=user).first()


def access_graduate_for_staff(*, actor: Actor, graduate_id: int) -> Graduate:
    graduate = Graduate.objects.select_related("user", "university").filter(pk=graduate_id).first()
    if graduate is None or not is_staff_of(actor, graduate.university_id):
        raise NotFound
    return graduate


def graduates_of_university(*, university: Organization, status: str | None = None) -> QuerySet[Graduate]:
    qs = Graduate.objects.filter(university=university).select_related("user")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("status", "major", "real_name", "id")


def can_import_roster(user: Actor, university: Organization) -> bool:
    """A university's own employment staff import its list of graduates."""
    return is_staff_of(user, university.pk)
