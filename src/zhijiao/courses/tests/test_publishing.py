"""Publishing freezes the draft as a numbered version: learners read exactly that, whatever the draft does next;
the history says who published what and when; the published outline of a 1,000-block course is cheap to read."""

from typing import Any

import pytest

from zhijiao.accounts.models import User
from zhijiao.courses.models import Course, CourseVersion

from .factories import build_tree

pytestmark = pytest.mark.django_db

API = "/api/v1/courses"


def post(client: Any, url: str, data: Any) -> Any:
    return client.post(url, data, content_type="application/json")


def titles(outline: dict[str, Any]) -> list[str]:
    return [node["title"] for node in outline["nodes"]]


def test_learners_see_the_last_published_version_not_the_draft(
    client: Any, lead: User, course: Course, student: User
) -> None:
    build_tree(course, chapters=2, sections=1, units=1, blocks=1)
    client.force_login(lead)
    first = post(client, f"{API}/{course.pk}/publish", {"note": "首次发布"})
    assert first.status_code == 201
    assert first.json()["number"] == 1 and first.json()["block_count"] == 2
    post(client, f"{API}/{course.pk}/nodes", {"kind": "chapter", "title": "第3章（未发布）"})

    client.force_login(student)
    outline = client.get(f"{API}/{course.pk}/outline").json()
    assert outline["version"] == 1
    assert titles(outline) == ["第1章", "第2章"]
    assert client.get(f"{API}/{course.pk}").json()["has_unpublished_changes"] is True

    client.force_login(lead)
    second = post(
        client, f"{API}/{course.pk}/publish", {"revision": client.get(f"{API}/{course.pk}/draft").json()["revision"]}
    )
    assert second.json()["number"] == 2
    client.logout()
    assert titles(client.get(f"{API}/{course.pk}/outline").json()) == ["第1章", "第2章", "第3章（未发布）"]


def test_history_keeps_every_version_with_who_and_when(client: Any, lead: User, course: Course) -> None:
    build_tree(course, chapters=1, sections=1, units=1, blocks=1)
    client.force_login(lead)
    post(client, f"{API}/{course.pk}/publish", {"note": "第一版"})
    post(client, f"{API}/{course.pk}/nodes", {"kind": "chapter", "title": "新章"})
    post(client, f"{API}/{course.pk}/publish", {"note": "加了一章"})
    history = client.get(f"{API}/{course.pk}/versions").json()
    assert [(v["number"], v["note"], v["published_by"]) for v in history] == [
        (2, "加了一章", str(lead)),
        (1, "第一版", str(lead)),
    ]
    assert all(v["published_at"] for v in history)


def test_publishing_what_the_teacher_did_not_review_is_refused(client: Any, lead: User, course: Course) -> None:
    build_tree(course, chapters=1, sections=1, units=1, blocks=1)
    client.force_login(lead)
    reviewed = client.get(f"{API}/{course.pk}/draft").json()["revision"]
    post(client, f"{API}/{course.pk}/nodes", {"kind": "chapter", "title": "同事刚加的章"})
    response = post(client, f"{API}/{course.pk}/publish", {"revision": reviewed})
    assert response.status_code == 409 and response.json()["code"] == "stale"
    assert not CourseVersion.objects.exists()


def test_nothing_to_publish_and_empty_course(client: Any, lead: User, course: Course) -> None:
    client.force_login(lead)
    post(client, f"{API}/{course.pk}/nodes", {"kind": "chapter", "title": "空章"})
    empty = post(client, f"{API}/{course.pk}/publish", {})
    assert empty.status_code == 409 and empty.json()["code"] == "empty_course"
    build_tree(course, chapters=1, sections=1, units=1, blocks=1)
    assert post(client, f"{API}/{course.pk}/publish", {}).status_code == 201
    again = post(client, f"{API}/{course.pk}/publish", {})
    assert again.status_code == 409 and again.json()["code"] == "nothing_to_publish"


def test_an_unpublished_course_is_not_there_for_learners(client: Any, course: Course, student: User) -> None:
    build_tree(course, chapters=1, sections=1, units=1, blocks=1)
    client.force_login(student)
    assert client.get(f"{API}/{course.pk}").status_code == 404
    assert client.get(f"{API}/{course.pk}/outline").status_code == 404


def test_the_published_outline_of_a_1000_block_course_is_one_query(
    client: Any, lead: User, course: Course, django_assert_max_num_queries: Any
) -> None:
    assert build_tree(course, chapters=10, sections=5, units=4, blocks=5) == 1000
    client.force_login(lead)
    assert post(client, f"{API}/{course.pk}/publish", {}).status_code == 201
    client.logout()
    # +1: the API's request limit, counted in the database without Redis (core.counters)
    with django_assert_max_num_queries(3):  # the course row; the frozen document (only on this process's first read)
        first = client.get(f"{API}/{course.pk}/outline")
    assert first.status_code == 200
    with django_assert_max_num_queries(2):
        again = client.get(f"{API}/{course.pk}/outline")
    assert sum(len(u["blocks"]) for c in again.json()["nodes"] for s in c["children"] for u in s["children"]) == 1000


def test_the_unit_page_of_a_1000_block_course_reads_few_queries(
    client: Any, lead: User, course: Course, student: User, django_assert_max_num_queries: Any
) -> None:
    build_tree(course, chapters=10, sections=5, units=4, blocks=5)
    client.force_login(lead)
    post(client, f"{API}/{course.pk}/publish", {})
    unit = client.get(f"{API}/{course.pk}/outline").json()["nodes"][3]["children"][2]["children"][1]
    client.force_login(student)
    client.get(f"/courses/{course.pk}/units/{unit['content_id']}/")
    # The layout's own: session, user, unread notifications, the person's memberships (the desks row), the
    # session's idle-time refresh (3 with its savepoint). The page's: the course row alone; the outline comes from
    # the process cache.
    with django_assert_max_num_queries(8):
        page = client.get(f"/courses/{course.pk}/units/{unit['content_id']}/")
    assert page.status_code == 200
    assert unit["blocks"][0]["data"]["html"] in page.content.decode()


def test_the_draft_outline_is_three_queries_whatever_its_size(
    lead: User, course: Course, django_assert_num_queries: Any
) -> None:
    from zhijiao.courses.selectors import draft_outline

    build_tree(course, chapters=4, sections=3, units=3, blocks=4)
    with django_assert_num_queries(2):  # nodes, blocks (rich text uses no asset)
        outline = draft_outline(course=course)
    assert len(outline["nodes"]) == 4
