"""Fixtures of the search tests: content made through the services, indexed after each commit.

The same tests run on SQLite (FTS5) and, with DATABASE_URL pointing at PostgreSQL, on the tsvector backend.
"""

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Callable[[], AbstractContextManager[Any]]:
    """``with committed(): service(...)`` runs the after-commit work (the index task) when the block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
