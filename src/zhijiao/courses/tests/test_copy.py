"""Copying a course, a chapter or a unit: the copy keeps each node's and block's content_id and records its origin,
source and source version; copying twice into one course is refused; a 500-block course copies in a few bulk
inserts (query count pinned)."""

import time
from typing import Any

import pytest

from zhijiao.accounts.models import User
from zhijiao.accounts.tests.factories import make_user
from zhijiao.courses.models import Block, Course, Node
from zhijiao.orgs.models import Role
from zhijiao.orgs.tests.factories import add_member

from .factories import build_tree, make_course

pytestmark = pytest.mark.django_db

API = "/api/v1/courses"


def post(client: Any, url: str, data: Any) -> Any:
    return client.post(url, data, content_type="application/json")


def _rows(course: Course) -> list[Any]:
    return [*Node.objects.filter(course=course), *Block.objects.filter(course=course)]


def lineage(course: Course) -> dict[str, tuple[Any, ...]]:
    return {str(row.content_id): (row.origin_id, row.source_id, row.source_version, row.title) for row in _rows(course)}


def test_copying_a_course_keeps_content_ids_and_records_lineage(client: Any, lead: User, course: Course) -> None:
    build_tree(course, chapters=2, sections=2, units=2, blocks=2)
    client.force_login(lead)
    response = post(client, f"{API}/{course.pk}/copy", {"title": "数据结构（2027 春）"})
    assert response.status_code == 201
    copy = Course.objects.get(pk=response.json()["id"])
    assert copy.title == "数据结构（2027 春）" and copy.source_id == course.pk and copy.origin_id == course.pk
    assert response.json()["role"] == "lead"
    original = {str(row.content_id): row for row in _rows(course)}
    copied = lineage(copy)
    assert copied.keys() == original.keys()
    for content_id, (origin, source, version, title) in copied.items():
        assert origin == source == original[content_id].pk
        assert version is None  # copied from the draft: no frozen base
        assert title == original[content_id].title
    # The same shape, in the same order.
    draft = client.get(f"{API}/{course.pk}/draft").json()
    again = client.get(f"{API}/{copy.pk}/draft").json()

    def strip(nodes: list[dict[str, Any]]) -> list[Any]:
        return [
            (n["content_id"], n["title"], strip(n["children"]), [b["content_id"] for b in n["blocks"]]) for n in nodes
        ]

    assert strip(draft["nodes"]) == strip(again["nodes"])


def test_a_copy_of_a_copy_keeps_the_first_origin(client: Any, lead: User, course: Course) -> None:
    build_tree(course, chapters=1, sections=1, units=1, blocks=1)
    client.force_login(lead)
    first = post(client, f"{API}/{course.pk}/copy", {}).json()["id"]
    second = post(client, f"{API}/{first}/copy", {}).json()["id"]
    block_0 = Block.objects.get(course=course)
    block_1 = Block.objects.get(course_id=first)
    block_2 = Block.objects.get(course_id=second)
    assert block_2.content_id == block_0.content_id
    assert (block_2.origin_id, block_2.source_id) == (block_0.pk, block_1.pk)
    assert Course.objects.get(pk=second).origin_id == course.pk


def test_others_copy_the_published_version_and_it_is_recorded(
    client: Any, lead: User, course: Course, orgs: Any
) -> None:
    build_tree(course, chapters=1, sections=1, units=1, blocks=1)
    client.force_login(lead)
    post(client, f"{API}/{course.pk}/publish", {})
    post(client, f"{API}/{course.pk}/nodes", {"kind": "chapter", "title": "草稿里的新章"})
    post(client, f"{API}/{course.pk}/publish", {})
    post(client, f"{API}/{course.pk}/nodes", {"kind": "chapter", "title": "还没发布的章"})
    colleague = make_user(display_name="职校教师")
    add_member(colleague, orgs["vocational"], Role.TEACHER)
    client.force_login(colleague)
    response = post(client, f"{API}/{course.pk}/copy", {"title": "校本课程"})
    assert response.status_code == 201
    copy = Course.objects.get(pk=response.json()["id"])
    assert copy.source_version == 2
    assert sorted(Node.objects.filter(course=copy, kind="chapter").values_list("title", flat=True)) == [
        "第1章",
        "草稿里的新章",
    ]
    assert set(Block.objects.filter(course=copy).values_list("source_version", flat=True)) == {2}


def test_copy_a_chapter_and_a_unit_into_another_course(client: Any, lead: User, course: Course) -> None:
    build_tree(course, chapters=2, sections=2, units=2, blocks=1)
    target = make_course(lead=lead, title="算法设计")
    client.force_login(lead)
    existing = post(client, f"{API}/{target.pk}/nodes", {"kind": "chapter", "title": "已有的章"}).json()["id"]
    chapter = Node.objects.get(course=course, title="第2章")
    response = post(
        client, f"{API}/{target.pk}/nodes/copy", {"source_course_id": course.pk, "content_id": str(chapter.content_id)}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["content_id"] == str(chapter.content_id) and body["source_id"] == chapter.pk and body["position"] == 1
    assert Node.objects.filter(course=target).count() == 1 + 1 + 2 + 4
    assert Block.objects.filter(course=target).count() == 4
    unit = Node.objects.get(course=course, title="第1章第1节单元1")
    response = post(
        client,
        f"{API}/{target.pk}/nodes/copy",
        {"source_course_id": course.pk, "content_id": str(unit.content_id), "parent_id": existing},
    )
    assert response.status_code == 201 and response.json()["parent_id"] == existing
    assert [n["title"] for n in client.get(f"{API}/{target.pk}/draft").json()["nodes"]] == ["已有的章", "第2章"]


def test_copying_the_same_content_twice_into_one_course_is_refused(client: Any, lead: User, course: Course) -> None:
    build_tree(course, chapters=1, sections=1, units=1, blocks=1)
    target = make_course(lead=lead)
    client.force_login(lead)
    chapter = Node.objects.get(course=course, kind="chapter")
    data = {"source_course_id": course.pk, "content_id": str(chapter.content_id)}
    assert post(client, f"{API}/{target.pk}/nodes/copy", data).status_code == 201
    before = Node.objects.filter(course=target).count()
    again = post(client, f"{API}/{target.pk}/nodes/copy", data)
    assert again.status_code == 409 and again.json()["code"] == "already_copied"
    assert Node.objects.filter(course=target).count() == before


def test_a_unit_copied_to_the_top_is_refused(client: Any, lead: User, course: Course) -> None:
    build_tree(course, chapters=1, sections=1, units=1, blocks=1)
    target = make_course(lead=lead)
    client.force_login(lead)
    unit = Node.objects.get(course=course, kind="unit")
    response = post(
        client, f"{API}/{target.pk}/nodes/copy", {"source_course_id": course.pk, "content_id": str(unit.content_id)}
    )
    assert response.status_code == 422 and "parent_id" in response.json()["fields"]
    assert not Node.objects.filter(course=target).exists()


@pytest.mark.parametrize("who", ["other_teacher", "student", "anonymous"])
def test_nobody_copies_into_a_course_that_is_not_theirs(
    client: Any, lead: User, course: Course, orgs: Any, student: User, who: str
) -> None:
    build_tree(course, chapters=1, sections=1, units=1, blocks=1)
    client.force_login(lead)
    post(client, f"{API}/{course.pk}/publish", {})
    other = make_user()
    add_member(other, orgs["university"], Role.UNIVERSITY_FACULTY)
    their_course = make_course(lead=other)
    client.logout()
    if who == "other_teacher":
        client.force_login(other)
    elif who == "student":
        client.force_login(student)
    chapter = Node.objects.get(course=course, kind="chapter")
    # Into the lead's course: the published course is visible, so the refusal is a 403 (401 for a visitor).
    into_lead = post(
        client,
        f"{API}/{course.pk}/nodes/copy",
        {"source_course_id": their_course.pk, "content_id": str(chapter.content_id)},
    )
    assert into_lead.status_code in {"other_teacher": (403, 404), "student": (403, 404), "anonymous": (401,)}[who]
    whole = post(client, f"{API}/{course.pk}/copy", {})
    assert whole.status_code == {"other_teacher": 201, "student": 403, "anonymous": 401}[who]
    assert Node.objects.filter(course=course).count() == 3


def test_copying_a_500_block_course_is_a_few_bulk_inserts(
    client: Any, lead: User, course: Course, django_assert_max_num_queries: Any
) -> None:
    assert build_tree(course, chapters=10, sections=5, units=5, blocks=2) == 500
    client.force_login(lead)
    started = time.perf_counter()
    with django_assert_max_num_queries(30):
        response = post(client, f"{API}/{course.pk}/copy", {})
    elapsed = time.perf_counter() - started
    assert response.status_code == 201
    assert Block.objects.filter(course_id=response.json()["id"]).count() == 500
    assert Node.objects.filter(course_id=response.json()["id"]).count() == 10 + 50 + 250
    print(f"copied 500 blocks in {elapsed:.2f}s")
