"""A person's saved job searches."""

from __future__ import annotations

from django.db.models import QuerySet

from zhijiao.core.actors import Actor, signed_in

from ..models import SavedSearch


def saved_searches_of(*, user: Actor) -> QuerySet[SavedSearch]:
    if not signed_in(user):
        return SavedSearch.objects.none()
    return SavedSearch.objects.filter(user=user)
