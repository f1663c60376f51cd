"""Fixtures of the credentials kernel's tests: a university with its registrar, a holder with a real-name identity,
and a hall officer (from the root conftest)."""

from typing import Any

import pytest

from zhijiao.orgs.models import Organization

from .factories import make_holder, make_registrar


@pytest.fixture
def university(orgs: dict[str, Organization]) -> Organization:
    return orgs["university"]


@pytest.fixture
def registrar(university: Organization) -> Any:
    return make_registrar(university)


@pytest.fixture
def holder(db: None) -> tuple[Any, str]:
    return make_holder("陈思远")


@pytest.fixture
def holder_user(holder: tuple[Any, str]) -> Any:
    return holder[0]


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """Verification is rate-limited per address in the cache; every test starts with a clean count."""
    from django.core.cache import cache

    cache.clear()
