"""Fixtures of the study-abroad tests: private files in a temporary directory, an applicant with a real-name
identity, a second applicant, and the hall officer from the project's named users."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest

from .factories import make_applicant


@pytest.fixture(autouse=True)
def private_files(settings: Any, tmp_path: Path) -> Path:
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    return tmp_path / "private"


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Callable[[], AbstractContextManager[Any]]:
    """``with committed(): service(...)`` runs the after-commit work (notifications) when the block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def applicant(db: None) -> Any:
    return make_applicant("陈思远")


@pytest.fixture
def other_applicant(db: None) -> Any:
    return make_applicant("李华")


@pytest.fixture
def officer(hall_officer: Any) -> Any:
    return hall_officer
