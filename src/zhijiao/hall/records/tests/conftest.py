"""Fixtures of the records tests: a university with its registrar, a graduate whose identity matches their
records, and a hall officer (from the root conftest). The people and the clean rate limits are the credentials
kernel's fixtures, imported so that both suites share one definition."""

from typing import Any

import pytest

from zhijiao.credentials.tests.conftest import _fresh_rate_limits, holder, holder_user, registrar, university
from zhijiao.hall.records.models import AcademicRecord
from zhijiao.orgs.models import Organization

from .factories import make_record

__all__ = ["_fresh_rate_limits", "holder", "holder_user", "record", "registrar", "university"]


@pytest.fixture
def record(holder: tuple[Any, str], university: Organization) -> AcademicRecord:
    return make_record(university, name="陈思远", id_number=holder[1])
