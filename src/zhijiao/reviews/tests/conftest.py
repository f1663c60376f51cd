"""Fixtures of the review tests: private files in a temporary directory, a call, two experts of the field in
other universities, an applicant, and the platform admin as review staff."""

from pathlib import Path
from typing import Any

import pytest

from zhijiao.orgs.models import Organization
from zhijiao.orgs.tests.factories import make_organization

from .factories import make_applicant, make_call, make_expert


@pytest.fixture(autouse=True)
def private_files(settings: Any, tmp_path: Path) -> Path:
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    return tmp_path / "private"


@pytest.fixture
def staff(platform_admin: Any) -> Any:
    return platform_admin


@pytest.fixture
def call(db: None) -> Any:
    return make_call()


@pytest.fixture
def applicant_org(db: None) -> Organization:
    return make_organization(Organization.Kind.UNIVERSITY, "华东示范大学")


@pytest.fixture
def applicant(applicant_org: Organization) -> Any:
    return make_applicant(applicant_org, display_name="张申报")


@pytest.fixture
def experts(db: None) -> list[Any]:
    return [
        make_expert(make_organization(Organization.Kind.UNIVERSITY, f"专家大学{n}"), display_name=f"专家{n}")
        for n in range(3)
    ]
