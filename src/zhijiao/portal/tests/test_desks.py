"""The desks row under the header: each person sees exactly the pages they may work at, and every desk they do not
see refuses them (the navigation and the pages ask the same questions)."""

import re

import pytest
from django.test import Client

from zhijiao.accounts.tests.factories import make_user
from zhijiao.orgs.models import Role
from zhijiao.orgs.tests.factories import add_member
from zhijiao.portal.desks import DESKS

pytestmark = pytest.mark.django_db

# Pages any signed-in person may open (to register as a graduate or an employer, to join a class by its code):
# for, but not refused.
OPEN_TO_ALL = {"employment.graduate", "employment.employer", "k12.classes", "courses.mine"}

EXPECTED = {
    # 我的课程 (open courses) is every signed-in person's: added to each below.
    "nobody": {"employment.graduate", "employment.employer"},
    "graduate": {"employment.graduate"},
    Role.STUDENT: {"k12.classes"},
    Role.PARENT: {"k12.classes"},
    Role.TEACHER: {"k12.classes", "k12.mine", "k12.codes", "courses.teach"},
    Role.SCHOOL_ADMIN: {"k12.classes"},
    Role.DISTRICT_STAFF: {"k12.codes", "k12.collections", "k12.district"},
    Role.VOCATIONAL_STAFF: {"courses.teach"},
    Role.UNIVERSITY_FACULTY: {"courses.teach"},
    Role.EMPLOYMENT_STAFF: {"employment.office", "employment.review"},
    Role.RECRUITER: {"employment.employer"},
    Role.EXPERT: {"reviews.queue"},
    Role.HALL_OFFICER: {"hall.exams", "hall.abroad"},
    Role.PLATFORM_ADMIN: {
        "k12.mine",
        "k12.review",
        "k12.codes",
        "k12.collections",
        "employment.review",
        "hall.exams",
        "hall.records",
        "courses.teach",
    },
}
# Open courses are for everyone who signs in.
for _desks in EXPECTED.values():
    _desks.add("courses.mine")


@pytest.fixture
def person(request, users, orgs):
    who = request.param
    if who == "nobody":
        return make_user(display_name="新用户")
    if who == "graduate":
        user = make_user(display_name="毕业生")
        add_member(user, orgs["university"], Role.STUDENT)
        return user
    return users[str(who)]


def desk_links(page: str) -> set[str]:
    found = re.search(r'<nav class="desk-nav".*?</nav>', page, re.S)
    return set(re.findall(r'href="([^"]+)"', found.group(0))) if found else set()


@pytest.mark.parametrize("person", list(EXPECTED), indirect=True, ids=str)
def test_each_role_sees_its_desks_and_is_refused_at_the_others(client: Client, person, request) -> None:
    expected = EXPECTED[request.node.callspec.params["person"]]
    client.force_login(person)
    by_key = {desk.key: desk.url for desk in DESKS}
    assert desk_links(client.get("/").content.decode()) == {by_key[key] for key in expected}
    for desk in DESKS:
        status = client.get(desk.url).status_code
        if desk.key in expected:
            assert status == 200, (desk.key, status)
        elif desk.key not in OPEN_TO_ALL:
            assert status in (403, 404), (desk.key, status)


def test_visitors_see_no_desks_and_no_employment_desk_tabs(client: Client) -> None:
    assert 'class="desk-nav"' not in client.get("/").content.decode()
    tabs = client.get("/employment/jobs/").content.decode()
    for label in ("我的求职", "单位招聘", "高校就业办"):
        assert label not in tabs


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        (Role.STUDENT, [], ["我的求职", "单位招聘", "高校就业办"]),
        (Role.RECRUITER, ["单位招聘"], ["我的求职", "高校就业办"]),
        (Role.EMPLOYMENT_STAFF, ["高校就业办"], ["我的求职", "单位招聘"]),
    ],
)
def test_employment_tabs_follow_the_same_rules(client: Client, users, role, shown, hidden) -> None:
    client.force_login(users[str(role)])
    page = client.get("/employment/jobs/").content.decode()
    found = re.search(r'<nav class="tabs employment-nav".*?</nav>', page, re.S)
    assert found is not None
    tabs = found.group(0)
    for label in shown:
        assert label in tabs
    for label in hidden:
        assert label not in tabs


def test_the_desks_cost_one_query_for_all_of_them(client: Client, users, django_assert_num_queries) -> None:
    """The memberships are read once per request, whatever the number of desks and role questions."""
    from zhijiao.portal.desks import desks_of

    admin = users[str(Role.PLATFORM_ADMIN)]
    admin.refresh_from_db()
    with django_assert_num_queries(1):
        assert len(desks_of(admin)) == len(EXPECTED[Role.PLATFORM_ADMIN])
        assert len(desks_of(admin)) == len(EXPECTED[Role.PLATFORM_ADMIN])
