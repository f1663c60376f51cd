"""Shared page parts and figures every visitor sees alike, kept for ``CONTENT_CACHE_SECONDS``."""

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache


def content_cached[T](key: str, build: Callable[[], T], seconds: int | None = None) -> T:
    """``build()``'s value, shared through the cache for ``seconds`` (default ``CONTENT_CACHE_SECONDS``; 0 turns
    caching off, as the tests do). Cache only plain data: labels in the visitor's language are added afterwards."""
    seconds = settings.CONTENT_CACHE_SECONDS if seconds is None else seconds
    value = cache.get(key) if seconds else None
    if value is None:
        value = build()
        if seconds:
            cache.set(key, value, seconds)
    return value
