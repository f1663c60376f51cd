"""K-12 test fixtures: media in a temporary folder, scans counted at once, a clean cache per test."""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core.cache import cache

from zhijiao.k12.models import Book, Lesson

from .factories import first_lesson, make_book


@pytest.fixture(autouse=True)
def k12_settings(settings: Any, tmp_path: Any) -> Iterator[None]:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.K12_SCAN_FLUSH_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Callable[[], AbstractContextManager[Any]]:
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def book(db: None) -> Book:
    return make_book()


@pytest.fixture
def lesson(book: Book) -> Lesson:
    return first_lesson(book)
