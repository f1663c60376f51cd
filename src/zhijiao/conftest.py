"""Named users, one per role, each a member of a fitting organisation; every test starts in the default language."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import translation

from zhijiao.accounts.models import User
from zhijiao.accounts.tests.factories import PASSWORD, make_user
from zhijiao.core.tests.redis import REDIS_SERVER, OwnRedis
from zhijiao.orgs.models import Organization, Role
from zhijiao.orgs.tests.factories import add_member, make_organization

ROLE_ORG = {
    Role.STUDENT: "school",
    Role.PARENT: "school",
    Role.TEACHER: "school",
    Role.SCHOOL_ADMIN: "school",
    Role.DISTRICT_STAFF: "agency",
    Role.VOCATIONAL_STAFF: "vocational",
    Role.UNIVERSITY_FACULTY: "university",
    Role.EMPLOYMENT_STAFF: "university",
    Role.RECRUITER: "employer",
    Role.EXPERT: "agency",
    Role.HALL_OFFICER: "agency",
    Role.PLATFORM_ADMIN: "agency",
}


@pytest.fixture
def disciplines(db: None) -> None:
    """The official discipline catalogue, which a data migration loads: written back when a transactional test (a
    browser test's live server) flushed it away earlier on this worker. One query when it is there."""
    from zhijiao.courses.disciplines import discipline_sync
    from zhijiao.courses.models import Discipline

    discipline_sync(Discipline)


@pytest.fixture(autouse=True)
def _fresh_course_caches() -> Iterator[None]:
    """Published outlines are cached per process by version id, which never repeats in a real database; a test
    database flushed between tests hands the same ids out again, so each test starts with empty caches."""
    from zhijiao.courses.selectors import content, learning

    content._outline_cache.clear()
    learning._index_cache.clear()
    yield


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """A request in English leaves English active on the thread (LocaleMiddleware activates, nothing deactivates);
    the next test on the same worker would read its messages in English."""
    yield
    translation.deactivate()


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def orgs(db: None) -> dict[str, Organization]:
    return {
        "school": make_organization(Organization.Kind.SCHOOL, "海淀区实验小学"),
        "vocational": make_organization(Organization.Kind.VOCATIONAL, "北京电子科技职业学院"),
        "university": make_organization(Organization.Kind.UNIVERSITY, "北京师范大学"),
        "employer": make_organization(Organization.Kind.EMPLOYER, "北京示例科技有限公司"),
        "agency": make_organization(Organization.Kind.AGENCY, "海淀区教育委员会"),
    }


@pytest.fixture
def users(orgs: dict[str, Organization]) -> dict[str, User]:
    """One user per role; the platform admin is also Django staff."""
    made = {}
    for role, org_key in ROLE_ORG.items():
        user = make_user(display_name=f"{role.label}甲", is_staff=role == Role.PLATFORM_ADMIN)
        add_member(user, orgs[org_key], role)
        made[str(role)] = user
    return made


def _role_fixture(role: str):
    @pytest.fixture
    def fixture(users: dict[str, User]) -> User:
        return users[role]

    return fixture


student = _role_fixture(Role.STUDENT)
parent = _role_fixture(Role.PARENT)
teacher = _role_fixture(Role.TEACHER)
school_admin = _role_fixture(Role.SCHOOL_ADMIN)
district_staff = _role_fixture(Role.DISTRICT_STAFF)
vocational_staff = _role_fixture(Role.VOCATIONAL_STAFF)
university_faculty = _role_fixture(Role.UNIVERSITY_FACULTY)
employment_staff = _role_fixture(Role.EMPLOYMENT_STAFF)
recruiter = _role_fixture(Role.RECRUITER)
expert = _role_fixture(Role.EXPERT)
hall_officer = _role_fixture(Role.HALL_OFFICER)
platform_admin = _role_fixture(Role.PLATFORM_ADMIN)


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[OwnRedis]:
    """A redis-server of the test's own on a free port, to stop, freeze and start (never the shared one)."""
    if REDIS_SERVER is None:
        pytest.skip("needs redis-server installed (to stop and start)")
    server = OwnRedis(tmp_path)
    server.start()
    try:
        yield server
    finally:
        if server.process is not None:
            server.thaw()
        server.stop()
