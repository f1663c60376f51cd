"""Feed imports: who may import jobs, and a person's import batches."""

from __future__ import annotations

from django.db.models import QuerySet

from zhijiao.core.actors import Actor, signed_in
from zhijiao.orgs.selectors import is_platform_admin

from ..models import ImportBatch
from .roles import recruiter_employers, staff_universities


def import_batches(*, actor: Actor) -> QuerySet[ImportBatch]:
    """The import batches a person ran, newest first."""
    if not signed_in(actor):
        return ImportBatch.objects.none()
    return ImportBatch.objects.filter(created_by=actor).order_by("-created_at")


def can_import_jobs(user: Actor | None) -> bool:
    """Platform admins and university employment staff import feeds; recruiters push their own employer's jobs."""
    return is_platform_admin(user) or staff_universities(user).exists() or recruiter_employers(user).exists()
