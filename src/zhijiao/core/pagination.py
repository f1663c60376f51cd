"""Limit/offset pagination for API lists: bounded, explicit, and a 422 with field messages on bad values.

In a router::

    @router.get("/articles", response=Page[ArticleOut], operation_id="portal_article_list")
    def article_list(request, page: Query[PageParams]):
        return paginate(selectors.article_list(), page)
"""

from typing import Any

from django.db.models import QuerySet
from ninja import Field, Schema

MAX_LIMIT = 100
DEFAULT_LIMIT = 20
# Deep offsets make the database walk and throw away rows; past this, narrow the query instead.
MAX_OFFSET = 10_000


class PageParams(Schema):
    """Query parameters ``limit`` (1–100, default 20) and ``offset`` (0–10000, default 0)."""

    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="每页条数（1–100）")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="跳过的条数（0–10000）")


class Page[T](Schema):
    """One page of a list: its items, how many there are in all, and where this page starts."""

    items: list[T]
    count: int
    limit: int
    offset: int


def paginate(queryset: QuerySet[Any] | list[Any], page: PageParams) -> dict[str, Any]:
    """Slice a queryset (or list) into a page; two queries for a queryset: the count and the rows."""
    if isinstance(queryset, QuerySet):
        count = queryset.count()
        items = list(queryset[page.offset : page.offset + page.limit]) if page.offset < count else []
    else:
        count = len(queryset)
        items = queryset[page.offset : page.offset + page.limit]
    return {"items": items, "count": count, "limit": page.limit, "offset": page.offset}
