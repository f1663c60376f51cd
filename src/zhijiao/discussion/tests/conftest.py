"""Forum fixtures: a published course with a 课堂讨论 block, a run with a learner, a classmate and an assistant,
another run of the same course with its own learner, and someone in neither."""

from typing import Any

import pytest
from django.core.cache import cache

from zhijiao.accounts.models import User
from zhijiao.accounts.tests.factories import make_user
from zhijiao.courses.models import Course, Run

from .factories import make_assistant, make_learner, make_published_course, make_run


@pytest.fixture(autouse=True)
def _clean_cache(settings: Any) -> None:
    cache.clear()
    settings.DISCUSSION_POST_RATE = "1000/min"


@pytest.fixture
def lead(university_faculty: User, disciplines: None) -> User:
    return university_faculty


@pytest.fixture
def course(lead: User) -> Course:
    return make_published_course(lead)


@pytest.fixture
def run(lead: User, course: Course) -> Run:
    return make_run(lead, course)


@pytest.fixture
def other_run(lead: User, course: Course) -> Run:
    return make_run(lead, course, title="2026 春季学期")


@pytest.fixture
def learner(run: Run) -> User:
    return make_learner(run, display_name="李明轩")


@pytest.fixture
def classmate(run: Run) -> User:
    return make_learner(run, display_name="王芳")


@pytest.fixture
def assistant(run: Run) -> User:
    return make_assistant(run, display_name="张助教")


@pytest.fixture
def stranger(other_run: Run) -> User:
    """A learner of the other run of the same course."""
    return make_learner(other_run, display_name="赵磊")


@pytest.fixture
def outsider(db: None) -> User:
    return make_user(display_name="路人甲")
