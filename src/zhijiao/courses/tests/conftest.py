"""Course engine fixtures: media in a temporary folder, a fresh outline cache, a lead teacher and a course."""

from collections.abc import Iterator
from typing import Any

import pytest

from zhijiao.accounts.models import User
from zhijiao.courses.models import Course
from zhijiao.courses.selectors import content as selectors
from zhijiao.courses.selectors import learning

from .factories import make_course


@pytest.fixture(autouse=True)
def course_settings(settings: Any, tmp_path: Any) -> Iterator[None]:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    selectors._outline_cache.clear()
    learning._index_cache.clear()
    yield
    selectors._outline_cache.clear()
    learning._index_cache.clear()


@pytest.fixture
def lead(university_faculty: User, disciplines: None) -> User:
    return university_faculty


@pytest.fixture
def course(lead: User) -> Course:
    return make_course(lead=lead, title="数据结构")
