"""Fixtures of the employment tests: a verified employer with its recruiter, a confirmed graduate of the
conftest's university with a resume, an open job, and the university's employment staff."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest

from zhijiao.employment.models import Graduate, Job, Resume
from zhijiao.orgs.models import Organization

from .factories import make_graduate, make_job, make_regions, make_resume, verify_employer


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Callable[[], AbstractContextManager[Any]]:
    """``with committed(): service(...)`` runs the after-commit work (indexing, emails) when the block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def regions(db: None) -> dict[str, Any]:
    return make_regions()


@pytest.fixture
def employer(orgs: dict[str, Organization], regions: dict[str, Any]) -> Organization:
    verify_employer(orgs["employer"])
    return orgs["employer"]


@pytest.fixture
def university(orgs: dict[str, Organization]) -> Organization:
    return orgs["university"]


@pytest.fixture
def graduate(users: dict[str, Any], university: Organization, regions: dict[str, Any]) -> Graduate:
    """A confirmed graduate of the university whose employment staff is the ``employment_staff`` fixture."""
    from zhijiao.accounts.tests.factories import make_user

    return make_graduate(make_user(display_name="李同学"), university)


@pytest.fixture
def graduate_user(graduate: Graduate) -> Any:
    return graduate.user


@pytest.fixture
def resume(graduate_user: Any) -> Resume:
    return make_resume(graduate_user)


@pytest.fixture
def job(recruiter: Any, employer: Organization, committed: Any) -> Job:
    with committed():
        return make_job(recruiter, employer)
