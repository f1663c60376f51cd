"""Three-party agreements: the parties a person acts for, their agreements, the public check by code."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from zhijiao.core.actors import Actor, signed_in
from zhijiao.core.errors import NotFound
from zhijiao.credentials.codes import normalize_code
from zhijiao.orgs.selectors import is_platform_admin

from ..models import Agreement
from .roles import is_recruiter_of, is_staff_of, recruiter_employers, staff_universities


def agreement_parties_of(user: Actor, agreement: Agreement) -> set[str]:
    """Which parties of an agreement a person may act for."""
    parties: set[str] = set()
    if not signed_in(user):
        return parties
    if agreement.graduate_id == user.pk:
        parties.add(Agreement.Party.GRADUATE)
    if is_recruiter_of(user, agreement.employer_id):
        parties.add(Agreement.Party.EMPLOYER)
    if is_staff_of(user, agreement.university_id):
        parties.add(Agreement.Party.UNIVERSITY)
    return parties


def access_agreement(*, actor: Actor, agreement_id: int) -> Agreement:
    agreement = (
        Agreement.objects.select_related("employer", "university", "graduate", "application__job")
        .prefetch_related("signatures")
        .filter(pk=agreement_id)
        .first()
    )
    if agreement is None or not (agreement_parties_of(actor, agreement) or is_platform_admin(actor)):
        raise NotFound
    return agreement


def agreements_of(*, actor: Actor) -> QuerySet[Agreement]:
    if not signed_in(actor):
        return Agreement.objects.none()
    employers = recruiter_employers(actor).values("pk")
    universities = staff_universities(actor).values("pk")
    return (
        Agreement.objects.filter(Q(graduate=actor) | Q(employer_id__in=employers) | Q(university_id__in=universities))
        .select_related("employer", "university", "graduate")
        .order_by("-created_at")
    )


def access_agreement_by_code(*, code: str) -> Agreement:
    """The public verification of an agreement by its code (typed with or without dashes, spaces or lower case);
    a wrong code, and anything that cannot be a code, is "not found"."""
    value = normalize_code(code)
    agreement = (
        Agreement.objects.select_related("employer", "university", "graduate")
        .prefetch_related("signatures")
        .filter(code=value)
        .first()
        if value
        else None
    )
    if agreement is None:
        raise NotFound
    return agreement
