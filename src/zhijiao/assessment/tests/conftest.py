"""Question bank fixtures: a course with its lead, a teacher and an assistant on its team."""

from typing import Any

import pytest

from zhijiao.accounts.models import User
from zhijiao.accounts.tests.factories import make_user
from zhijiao.courses.models import Course, CourseStaff, TeamRole
from zhijiao.courses.tests.factories import make_course
from zhijiao.orgs.models import Role
from zhijiao.orgs.tests.factories import add_member


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def lead(university_faculty: User) -> User:
    return university_faculty


@pytest.fixture
def course(lead: User) -> Course:
    return make_course(lead=lead, title="数据结构")


@pytest.fixture
def assistant(course: Course, orgs: Any) -> User:
    user = make_user(display_name="助教乙")
    add_member(user, orgs["university"], Role.UNIVERSITY_FACULTY)
    CourseStaff.objects.create(course=course, user=user, role=TeamRole.ASSISTANT)
    return user


@pytest.fixture
def outsider(orgs: Any) -> User:
    """A teacher of the same university who is not on the course's team."""
    user = make_user(display_name="外校教师丙")
    add_member(user, orgs["university"], Role.UNIVERSITY_FACULTY)
    return user
