"""Teachers build a course's draft through the API: chapters, sections, units and blocks, in order; only the
teaching team may, and a reorder made on a stale view changes nothing."""

from typing import Any

import pytest

from zhijiao.accounts.models import User
from zhijiao.accounts.tests.factories import make_user
from zhijiao.courses.models import Block, Course, Node

pytestmark = pytest.mark.django_db

API = "/api/v1/courses"


def post(client: Any, url: str, data: Any) -> Any:
    return client.post(url, data, content_type="application/json")


def add(client: Any, course: Course, kind: str, title: str, parent: int | None = None) -> int:
    response = post(client, f"{API}/{course.pk}/nodes", {"kind": kind, "title": title, "parent_id": parent})
    assert response.status_code == 201, response.json()
    return int(response.json()["id"])


def text_block(client: Any, course: Course, unit: int, html: str = "<p>内容</p>", title: str = "") -> Any:
    return post(
        client, f"{API}/{course.pk}/nodes/{unit}/blocks", {"type": "richtext", "title": title, "data": {"html": html}}
    )


def test_teacher_creates_a_course_and_leads_its_team(client: Any, lead: User) -> None:
    client.force_login(lead)
    response = post(client, f"{API}/", {"title": "  数据结构与算法 ", "summary": "线性表、树、图"})
    assert response.status_code == 201
    body = response.json()
    assert body["title"] == "数据结构与算法"
    assert body["role"] == "lead" and body["can_edit"] is True
    assert body["published_version"] is None and body["has_unpublished_changes"] is True
    assert [c["id"] for c in client.get(f"{API}/mine").json()] == [body["id"]]


@pytest.mark.parametrize("who", ["student", "anonymous"])
def test_students_and_visitors_cannot_create_courses(client: Any, student: User, who: str) -> None:
    if who == "student":
        client.force_login(student)
    response = post(client, f"{API}/", {"title": "我的课"})
    assert response.status_code in (401, 403)
    assert not Course.objects.exists()


def test_the_draft_tree_reads_back_in_order(client: Any, lead: User, course: Course) -> None:
    client.force_login(lead)
    chapter = add(client, course, "chapter", "第一章 绪论")
    section = add(client, course, "section", "1.1 什么是数据结构", chapter)
    unit = add(client, course, "unit", "基本概念", section)
    direct_unit = add(client, course, "unit", "本章导学", chapter)
    assert text_block(client, course, unit, title="定义").status_code == 201
    video_free = post(
        client,
        f"{API}/{course.pk}/nodes/{unit}/blocks",
        {"type": "link", "title": "参考", "data": {"url": "https://example.org/ds"}},
    )
    assert video_free.status_code == 201
    draft = client.get(f"{API}/{course.pk}/draft").json()
    assert draft["revision"] == 6
    [top] = draft["nodes"]
    assert top["title"] == "第一章 绪论"
    assert [child["id"] for child in top["children"]] == [section, direct_unit]
    assert [b["type"] for b in top["children"][0]["children"][0]["blocks"]] == ["richtext", "link"]


@pytest.mark.parametrize(
    ("kind", "parent_kind", "field"),
    [
        ("chapter", "chapter", "parent_id"),
        ("section", None, "parent_id"),
        ("unit", None, "parent_id"),
        ("section", "section", "parent_id"),
    ],
)
def test_nodes_only_stand_where_they_belong(
    client: Any, lead: User, course: Course, kind: str, parent_kind: str | None, field: str
) -> None:
    client.force_login(lead)
    chapter = add(client, course, "chapter", "第一章")
    parent = {"chapter": chapter, "section": add(client, course, "section", "1.1", chapter), None: None}[parent_kind]
    before = Node.objects.count()
    response = post(client, f"{API}/{course.pk}/nodes", {"kind": kind, "title": "x", "parent_id": parent})
    assert response.status_code == 422
    assert field in response.json()["fields"]
    assert Node.objects.count() == before


def test_blocks_go_only_into_units(client: Any, lead: User, course: Course) -> None:
    client.force_login(lead)
    chapter = add(client, course, "chapter", "第一章")
    response = text_block(client, course, chapter)
    assert response.status_code == 422
    assert "unit_id" in response.json()["fields"]


def test_edit_and_remove(client: Any, lead: User, course: Course) -> None:
    client.force_login(lead)
    chapter = add(client, course, "chapter", "第一章")
    unit = add(client, course, "unit", "单元", chapter)
    block = text_block(client, course, unit).json()["id"]
    renamed = client.patch(
        f"{API}/{course.pk}/nodes/{chapter}", {"title": "第一章 新名"}, content_type="application/json"
    )
    assert renamed.json()["title"] == "第一章 新名"
    edited = client.patch(
        f"{API}/{course.pk}/blocks/{block}", {"data": {"html": "<p>改过</p>"}}, content_type="application/json"
    )
    assert edited.json()["data"] == {"html": "<p>改过</p>"}
    assert client.delete(f"{API}/{course.pk}/blocks/{block}").status_code == 204
    assert client.delete(f"{API}/{course.pk}/nodes/{chapter}").status_code == 204
    assert not Node.objects.filter(course=course).exists() and not Block.objects.exists()


def test_reorder_chapters_and_blocks(client: Any, lead: User, course: Course) -> None:
    client.force_login(lead)
    first, second, third = (add(client, course, "chapter", f"第{n}章") for n in "一二三")
    response = post(
        client, f"{API}/{course.pk}/nodes/order", {"seen": [first, second, third], "order": [third, first, second]}
    )
    assert response.status_code == 200
    assert [n["id"] for n in client.get(f"{API}/{course.pk}/draft").json()["nodes"]] == [third, first, second]
    unit = add(client, course, "unit", "单元", first)
    a, b = (text_block(client, course, unit, f"<p>{n}</p>").json()["id"] for n in "ab")
    response = post(client, f"{API}/{course.pk}/nodes/{unit}/blocks/order", {"seen": [a, b], "order": [b, a]})
    assert response.json()["order"] == [b, a]
    assert list(Block.objects.filter(unit_id=unit).order_by("position").values_list("pk", flat=True)) == [b, a]


def test_a_reorder_made_on_a_stale_view_changes_nothing(client: Any, lead: User, course: Course) -> None:
    client.force_login(lead)
    first, second = add(client, course, "chapter", "第一章"), add(client, course, "chapter", "第二章")
    seen = [first, second]
    third = add(client, course, "chapter", "第三章")  # a colleague adds a chapter meanwhile
    response = post(client, f"{API}/{course.pk}/nodes/order", {"seen": seen, "order": [second, first]})
    assert response.status_code == 409
    assert response.json()["code"] == "stale"
    assert "刷新" in response.json()["message"]
    assert [n["id"] for n in client.get(f"{API}/{course.pk}/draft").json()["nodes"]] == [first, second, third]


def test_a_reorder_that_drops_or_repeats_an_item_is_refused(client: Any, lead: User, course: Course) -> None:
    client.force_login(lead)
    first, second = add(client, course, "chapter", "第一章"), add(client, course, "chapter", "第二章")
    for order in ([first], [first, first], [first, second, 999]):
        response = post(client, f"{API}/{course.pk}/nodes/order", {"seen": [first, second], "order": order})
        assert response.status_code == 422
        assert "order" in response.json()["fields"]
    assert [n["id"] for n in client.get(f"{API}/{course.pk}/draft").json()["nodes"]] == [first, second]


def test_english_stale_message(client: Any, lead: User, course: Course) -> None:
    client.force_login(lead)
    first, second = add(client, course, "chapter", "第一章"), add(client, course, "chapter", "第二章")
    response = client.post(
        f"{API}/{course.pk}/nodes/order",
        {"seen": [second, first], "order": [first, second]},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 409
    assert "reload" in response.json()["message"].lower()


@pytest.fixture
def other_teacher(orgs: Any) -> User:
    from zhijiao.orgs.models import Role
    from zhijiao.orgs.tests.factories import add_member

    user = make_user(display_name="另一位教师")
    add_member(user, orgs["university"], Role.UNIVERSITY_FACULTY)
    return user


@pytest.mark.parametrize("who", ["other_teacher", "student", "anonymous"])
def test_only_the_teaching_team_edits(client: Any, lead: User, course: Course, who: str, request: Any) -> None:
    client.force_login(lead)
    chapter = add(client, course, "chapter", "第一章")
    unit = add(client, course, "unit", "单元", chapter)
    block = text_block(client, course, unit).json()["id"]
    client.logout()
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    attempts = [
        post(client, f"{API}/{course.pk}/nodes", {"kind": "chapter", "title": "入侵"}),
        client.patch(f"{API}/{course.pk}/nodes/{chapter}", {"title": "改名"}, content_type="application/json"),
        client.delete(f"{API}/{course.pk}/nodes/{chapter}"),
        post(client, f"{API}/{course.pk}/nodes/order", {"seen": [chapter], "order": [chapter]}),
        text_block(client, course, unit),
        client.patch(f"{API}/{course.pk}/blocks/{block}", {"title": "x"}, content_type="application/json"),
        client.delete(f"{API}/{course.pk}/blocks/{block}"),
        post(client, f"{API}/{course.pk}/publish", {}),
        client.get(f"{API}/{course.pk}/draft"),
    ]
    # An unpublished course is not there for them at all (404); a visitor is asked to sign in (401).
    assert {r.status_code for r in attempts} == ({401} if who == "anonymous" else {404})
    assert Node.objects.filter(course=course).count() == 2 and Block.objects.filter(pk=block, title="").exists()


def test_once_published_others_may_read_but_not_edit(
    client: Any, lead: User, course: Course, other_teacher: User
) -> None:
    client.force_login(lead)
    chapter = add(client, course, "chapter", "第一章")
    unit = add(client, course, "unit", "单元", chapter)
    text_block(client, course, unit)
    assert post(client, f"{API}/{course.pk}/publish", {}).status_code == 201
    client.force_login(other_teacher)
    assert client.get(f"{API}/{course.pk}/outline").status_code == 200
    response = post(client, f"{API}/{course.pk}/nodes", {"kind": "chapter", "title": "入侵"})
    assert response.status_code == 403
    assert client.get(f"{API}/{course.pk}/draft").status_code == 404


def test_the_lead_adds_a_teacher_who_may_then_edit(
    client: Any, lead: User, course: Course, other_teacher: User
) -> None:
    client.force_login(lead)
    assert post(client, f"{API}/{course.pk}/team", {"user_id": other_teacher.pk, "role": "teacher"}).status_code == 200
    client.force_login(other_teacher)
    assert post(client, f"{API}/{course.pk}/nodes", {"kind": "chapter", "title": "第二章"}).status_code == 201
    # A teacher is not the lead: they cannot change the team.
    response = post(client, f"{API}/{course.pk}/team", {"user_id": other_teacher.pk, "role": "lead"})
    assert response.status_code == 403


def test_an_assistant_reads_the_draft_but_does_not_edit(client: Any, lead: User, course: Course, student: User) -> None:
    client.force_login(lead)
    post(client, f"{API}/{course.pk}/team", {"user_id": student.pk, "role": "assistant"})
    client.force_login(student)
    assert client.get(f"{API}/{course.pk}/draft").status_code == 200
    assert post(client, f"{API}/{course.pk}/nodes", {"kind": "chapter", "title": "x"}).status_code == 403
