"""Job push: what a graduate was pushed."""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import Graduate, JobPush


def pushes_of(*, graduate: Graduate, limit: int = 50) -> QuerySet[JobPush]:
    return (
        JobPush.objects.filter(graduate=graduate).select_related("job", "job__employer").order_by("-day", "-id")[:limit]
    )
