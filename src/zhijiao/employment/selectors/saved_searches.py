"""A person's saved job searches."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from zhijiao.core.actors import signed_in

from ..models import SavedSearch


def saved_searches_of(*, user: Any) -> QuerySet[SavedSearch]:
    if not signed_in(user):
        return SavedSearch.objects.none()
    return SavedSearch.objects.filter(user=user)
