"""Feed imports: a person's import batches."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ..models import ImportBatch


def import_batches(*, actor: Any) -> QuerySet[ImportBatch]:
    return ImportBatch.objects.filter(created_by=actor).order_by("-created_at")
