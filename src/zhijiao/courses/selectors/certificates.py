"""Reads of course certificates: a learner's own certificates (nobody else's), and what the certificate pass works
on (ended runs not yet processed, certificates waiting for their learner's identity)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db.models import QuerySet

from zhijiao.accounts.models import User
from zhijiao.core.actors import Actor, signed_in
from zhijiao.core.errors import NotFound

from ..models import Certificate, Run


def completion_share(value: Decimal) -> str:
    """0.925 → ``92.5%``, 1 → ``100%``."""
    percent = (value * 100).quantize(Decimal("0.1")).normalize()
    return f"{percent:f}%"


def certificates_of(*, actor: Actor | None) -> list[Certificate]:
    """The learner's course certificates, newest first, with what their page shows (one query); each carries its
    completion as ``completion_share`` (``92.5%``)."""
    if not signed_in(actor):
        return []
    found = list(
        Certificate.objects.filter(user=actor)
        .select_related("run__course__university", "credential__revocation")
        .order_by("-run__ends_at", "-id")
    )
    for certificate in found:
        certificate.completion_share = completion_share(certificate.completion)  # type: ignore[attr-defined]
    return found


def access_certificate(*, actor: Actor | None, certificate_id: int) -> Certificate:
    """The learner's own issued certificate; every other id (someone else's, one still waiting) is "not found"."""
    if not signed_in(actor):
        raise NotFound
    certificate = (
        Certificate.objects.filter(
            pk=certificate_id, user=actor, status=Certificate.Status.ISSUED, credential__isnull=False
        )
        .select_related("run__course", "credential__revocation")
        .first()
    )
    if certificate is None or certificate.credential is None:
        raise NotFound
    return certificate


def has_awaiting_certificates(*, user: Actor | None) -> bool:
    return (
        signed_in(user) and Certificate.objects.filter(user=user, status=Certificate.Status.AWAITING_IDENTITY).exists()
    )


def certificate_for_update(*, certificate_id: int) -> Certificate:
    """A certificate with its row locked until the caller's transaction ends, with what issuing it reads."""
    certificate = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("run__course__university", "user__identity")
        .filter(pk=certificate_id)
        .first()
    )
    if certificate is None:
        raise NotFound
    return certificate


def waiting_for_update(*, certificate_ids: list[int]) -> list[Certificate]:
    """These certificates that still wait for their learner's identity, locked until the caller's transaction
    ends, with what issuing them reads (rows another worker holds are skipped: it is issuing them)."""
    if not certificate_ids:
        return []
    return list(
        Certificate.objects.select_for_update(of=("self",), skip_locked=True)
        .select_related("run__course__university", "user__identity")
        .filter(pk__in=certificate_ids, status=Certificate.Status.AWAITING_IDENTITY)
        .order_by("pk")
    )


def run_for_grant(*, run_id: int) -> Run | None:
    """The run's row, locked for this transaction; None when another worker holds it (it is processing the run)."""
    return Run.objects.select_for_update(skip_locked=True).filter(pk=run_id).first()


def run_for_staff(*, run_id: int) -> Run:
    """A run by id for staff tools (the admin, the command), with what granting it reads."""
    run = Run.objects.select_related("course__university").filter(pk=run_id).first()
    if run is None:
        raise NotFound
    return run


def runs_due(*, now: datetime) -> QuerySet[Run]:
    """Ended runs whose certificates were never processed, the longest-ended first."""
    return (
        Run.objects.filter(ends_at__lte=now, certificates_issued_at__isnull=True)
        .select_related("course__university")
        .order_by("ends_at", "pk")
    )


def awaiting_in_run(*, run: Run, user_ids: list[int]) -> list[tuple[int, bool]]:
    """(certificate id, whether its learner has a real-name identity) for these learners' waiting certificates."""
    rows = Certificate.objects.filter(
        run=run, user_id__in=user_ids, status=Certificate.Status.AWAITING_IDENTITY
    ).values_list("pk", "user__identity__id")
    return [(pk, identity_id is not None) for pk, identity_id in rows]


def users_without_identity(*, user_ids: list[int]) -> list[int]:
    if not user_ids:
        return []
    return list(User.objects.filter(pk__in=user_ids, identity__isnull=True).values_list("pk", flat=True))


def awaiting_certificate_ids(*, user_ids: list[int]) -> list[int]:
    return list(
        Certificate.objects.filter(user_id__in=user_ids, status=Certificate.Status.AWAITING_IDENTITY)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def awaiting_with_identity_ids(*, after: int = 0) -> QuerySet[Certificate, int]:
    """Waiting certificates (after id ``after``) whose learners have completed identity since, by a path that did
    not announce it."""
    return (
        Certificate.objects.filter(
            status=Certificate.Status.AWAITING_IDENTITY, user__identity__isnull=False, pk__gt=after
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
