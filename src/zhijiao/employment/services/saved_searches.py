"""Saved job searches: a person keeps a search to run again."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from zhijiao.accounts.models import User
from zhijiao.core.errors import DomainError, NotFound

from ..models import SavedSearch


@transaction.atomic
def saved_search_create(*, user: User, name: str, query: str) -> SavedSearch:
    """Keep a job search to run again."""
    if SavedSearch.objects.filter(user=user).count() >= 50:
        raise DomainError("too_many", _("最多保存 50 个搜索"))
    existing = SavedSearch.objects.filter(user=user, query=query[:500]).first()
    if existing is not None:
        return existing
    saved = SavedSearch(user=user, name=(name.strip() or query or _("全部岗位"))[:60], query=query[:500])
    saved.full_clean()
    saved.save()
    return saved


@transaction.atomic
def saved_search_delete(*, user: User, saved_id: int) -> None:
    deleted, _rows = SavedSearch.objects.filter(user=user, pk=saved_id).delete()
    if not deleted:
        raise NotFound
