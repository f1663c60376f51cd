"""The teachers' authoring pages: my courses, the about form with the discipline chooser, the outline editor (its
no-JavaScript up/down buttons refuse a stale page), block forms per type with uploads, publishing with a note and
its history, and copies into another course of the teacher's; nobody outside the team opens any of it."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhijiao.accounts.models import User
from zhijiao.accounts.tests.factories import make_user
from zhijiao.courses.models import Asset, Block, Course, CourseVersion, Discipline, Node, NodeKind
from zhijiao.k12.tests.factories import mp4_bytes, pdf_bytes, png_bytes
from zhijiao.orgs.models import Organization, Role
from zhijiao.orgs.tests.factories import add_member, make_organization

from .factories import make_course

pytestmark = pytest.mark.django_db


def node(course: Course, kind: str, title: str, parent: Node | None = None, position: int = 0) -> Node:
    return Node.objects.create(course=course, kind=kind, title=title, parent=parent, position=position)


def messages_of(response: Any) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


def test_a_teacher_creates_a_course_from_my_courses(client: Any, lead: User) -> None:
    client.force_login(lead)
    assert client.get("/courses/teach/").status_code == 200
    response = client.post("/courses/teach/", {"title": "  操作系统 ", "summary": "进程与线程"})
    course = Course.objects.get(title="操作系统")
    assert response.status_code == 302 and response["Location"] == f"/courses/{course.pk}/edit/"
    page = client.get("/courses/teach/")
    assert "操作系统" in page.content.decode()
    assert client.post("/courses/teach/", {"title": ""}).status_code == 422


def test_the_about_form_takes_a_typed_discipline_and_a_checked_cover(
    client: Any, lead: User, course: Course, orgs: Any
) -> None:
    client.force_login(lead)
    page = client.get(f"/courses/{course.pk}/edit/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<optgroup label="08 工学">' in html and "0812 计算机科学与技术" in html
    base = {
        "title": "数据结构",
        "level": "undergraduate",
        "credit_hours": "48",
        "credits": "3",
        "syllabus": "<p>线性表</p><script>alert(1)</script>",
        "tags": "数据结构，算法、C 语言",
        "first_class_year": "2021",
    }
    # Without JavaScript: the name is typed, the server resolves it.
    response = client.post(
        f"/courses/{course.pk}/edit/",
        {
            **base,
            "discipline_q": "计算机科学与技术",
            "cover": SimpleUploadedFile("封面.png", png_bytes()),
            "intro_video": SimpleUploadedFile("导学.mp4", mp4_bytes()),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    course.refresh_from_db()
    assert course.discipline is not None and course.discipline.code == "0812"
    assert course.syllabus == "<p>线性表</p>" and course.tags == ["数据结构", "算法", "C", "语言"]
    assert str(course.cover.name).endswith(".png") and course.first_class_year == 2021


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"discipline": "08"}, "discipline"),  # a 学科门类 is not a choice
        ({"credits": "-1"}, "credits"),
        ({"first_class_year": "1990"}, "first_class_year"),
        ({"cover": "pdf"}, "cover"),
        ({"intro_video": "pdf"}, "intro_video"),
    ],
)
def test_bad_about_input_is_a_field_error(client: Any, lead: User, course: Course, change: Any, field: str) -> None:
    client.force_login(lead)
    data = {"title": "数据结构", "level": "undergraduate", "credit_hours": "48", "credits": "3", **change}
    if change.get("cover"):
        data["cover"] = SimpleUploadedFile("封面.png", pdf_bytes())
    if change.get("intro_video"):
        data["intro_video"] = SimpleUploadedFile("导学.mp4", pdf_bytes())
    response = client.post(f"/courses/{course.pk}/edit/", data)
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert not Asset.objects.exists()


def test_the_outline_editor_adds_renames_moves_and_removes(client: Any, lead: User, course: Course) -> None:
    client.force_login(lead)
    url = f"/courses/{course.pk}/edit"
    client.post(f"{url}/nodes/add", {"kind": "chapter", "title": "第一章 绪论"})
    client.post(f"{url}/nodes/add", {"kind": "chapter", "title": "第二章 线性表"})
    first, second = Node.objects.filter(course=course).order_by("position")
    client.post(f"{url}/nodes/add", {"kind": "unit", "title": "顺序表", "parent": second.pk})
    client.post(f"{url}/nodes/add", {"kind": "section", "title": "1.1 概念", "parent": first.pk})
    page = client.get(f"{url}/outline/")
    assert page.status_code == 200
    assert 'data-order-url="/api/v1/courses/' in page.content.decode()
    client.post(f"{url}/nodes/{first.pk}/rename", {"title": "第一章 概论"})
    first.refresh_from_db()
    assert first.title == "第一章 概论"
    seen = f"{first.pk},{second.pk}"
    client.post(f"{url}/nodes/{second.pk}/move", {"step": "-1", "seen": seen})
    assert list(Node.objects.filter(course=course, parent=None).order_by("position").values_list("pk", flat=True)) == [
        second.pk,
        first.pk,
    ]
    # The same (now stale) page again: nothing moves, and the teacher is told to reload.
    stale = client.post(
        f"{url}/nodes/{second.pk}/move",
        {"step": "1", "seen": seen},
        follow=True,
        HTTP_REFERER=f"http://testserver{url}/outline/",
    )
    assert "课程目录已被修改" in " ".join(messages_of(stale))
    assert list(Node.objects.filter(course=course, parent=None).order_by("position").values_list("pk", flat=True)) == [
        second.pk,
        first.pk,
    ]
    client.post(f"{url}/nodes/{second.pk}/remove")
    assert not Node.objects.filter(pk=second.pk).exists()
    assert not Node.objects.filter(course=course, title="顺序表").exists()


def test_block_forms_per_type_upload_and_sanitise(client: Any, lead: User, course: Course) -> None:
    client.force_login(lead)
    chapter = node(course, NodeKind.CHAPTER, "第一章")
    unit = node(course, NodeKind.UNIT, "顺序表", chapter)
    base = f"/courses/{course.pk}/edit/units/{unit.pk}"
    page = client.get(f"{base}/")
    assert page.status_code == 200
    for name in ("video", "document", "richtext", "image", "link"):
        assert client.get(f"{base}/blocks/new/{name}/").status_code == 200
    assert client.get(f"{base}/blocks/new/nothing/").status_code == 404
    response = client.post(
        f"{base}/blocks/new/richtext/",
        {"title": "导读", "html": '<p onmouseover="x()">读一读</p><a href="javascript:alert(1)">链接</a>'},
    )
    assert response.status_code == 302
    text = Block.objects.get(unit=unit, type="richtext")
    assert "onmouseover" not in text.data["html"] and "javascript:" not in text.data["html"]
    bad_link = client.post(f"{base}/blocks/new/link/", {"url": "javascript:alert(1)"})
    assert bad_link.status_code == 422
    wrong = client.post(f"{base}/blocks/new/video/", {"file": SimpleUploadedFile("第一讲.mp4", pdf_bytes())})
    assert wrong.status_code == 422 and "file" in wrong.context["form"].errors
    assert not Block.objects.filter(type="video").exists()
    video = client.post(
        f"{base}/blocks/new/video/",
        {
            "title": "第一讲",
            "file": SimpleUploadedFile("第一讲.mp4", mp4_bytes()),
            "poster": SimpleUploadedFile("封面.png", png_bytes()),
        },
    )
    assert video.status_code == 302
    block = Block.objects.get(type="video")
    assert set(block.data) == {"file", "poster"}
    # Editing keeps the files unless one is replaced or cleared.
    edit = client.post(f"/courses/{course.pk}/edit/blocks/{block.pk}/", {"title": "第一讲 绪论", "clear_poster": "on"})
    assert edit.status_code == 302
    block.refresh_from_db()
    assert block.title == "第一讲 绪论" and set(block.data) == {"file"}
    seen = f"{text.pk},{block.pk}"
    client.post(f"/courses/{course.pk}/edit/blocks/{block.pk}/move", {"step": "-1", "seen": seen})
    assert list(Block.objects.filter(unit=unit).order_by("position").values_list("pk", flat=True)) == [
        block.pk,
        text.pk,
    ]
    client.post(f"/courses/{course.pk}/edit/blocks/{text.pk}/remove")
    assert list(Block.objects.filter(unit=unit).values_list("pk", flat=True)) == [block.pk]


def test_publishing_with_a_note_keeps_a_history(client: Any, lead: User, course: Course) -> None:
    client.force_login(lead)
    unit = node(course, NodeKind.UNIT, "顺序表", node(course, NodeKind.CHAPTER, "第一章"))
    Block.objects.create(course=course, unit=unit, type="richtext", data={"html": "<p>x</p>"})
    Course.objects.filter(pk=course.pk).update(revision=3)
    stale = client.post(f"/courses/{course.pk}/edit/publish/", {"note": "第一版", "revision": "2"})
    assert stale.status_code == 422 and not CourseVersion.objects.exists()
    response = client.post(f"/courses/{course.pk}/edit/publish/", {"note": "第一版", "revision": "3"})
    assert response.status_code == 302
    history = client.get(f"/courses/{course.pk}/edit/publish/").content.decode()
    assert "第一版" in history and "草稿自上次发布以来没有修改" in history
    assert client.get(f"/courses/{course.pk}/units/{unit.content_id}/").status_code == 200


def test_a_teacher_copies_a_course_a_chapter_and_a_unit_into_their_courses(
    client: Any, lead: User, course: Course
) -> None:
    client.force_login(lead)
    chapter = node(course, NodeKind.CHAPTER, "第一章")
    unit = node(course, NodeKind.UNIT, "顺序表", chapter)
    Block.objects.create(course=course, unit=unit, type="richtext", data={"html": "<p>x</p>"})
    other = make_course(lead=lead, title="算法设计")
    target_chapter = node(other, NodeKind.CHAPTER, "第一章 算法基础")
    page = client.get(f"/courses/{course.pk}/edit/outline/").content.decode()
    assert f'value="{other.pk}"' in page and f'value="{other.pk}:{target_chapter.pk}"' in page
    client.post(f"/courses/{course.pk}/edit/nodes/{chapter.pk}/copy", {"target": str(other.pk)})
    copied = Node.objects.get(course=other, content_id=chapter.content_id)
    assert copied.source_id == chapter.pk and copied.parent_id is None
    third = make_course(lead=lead, title="编译原理")
    third_chapter = node(third, NodeKind.CHAPTER, "第一章")
    client.post(f"/courses/{course.pk}/edit/nodes/{unit.pk}/copy", {"target": f"{third.pk}:{third_chapter.pk}"})
    assert Node.objects.get(course=third, content_id=unit.content_id).parent_id == third_chapter.pk
    Course.objects.filter(pk=course.pk).update(discipline=Discipline.objects.get(code="0812"), credit_hours=32)
    course.refresh_from_db()
    section = node(course, NodeKind.SECTION, "1.1 概念", chapter, position=1)
    target_section = node(third, NodeKind.SECTION, "1.1", third_chapter)
    page = client.get(f"/courses/{course.pk}/edit/outline/").content.decode()
    assert f'value="{third.pk}:{target_section.pk}"' in page  # for the unit
    # A section goes into a chapter only.
    client.post(f"/courses/{course.pk}/edit/nodes/{section.pk}/copy", {"target": f"{third.pk}:{target_section.pk}"})
    assert not Node.objects.filter(course=third, content_id=section.content_id).exists()
    client.post(f"/courses/{course.pk}/edit/nodes/{section.pk}/copy", {"target": f"{third.pk}:{third_chapter.pk}"})
    assert Node.objects.get(course=third, content_id=section.content_id).parent_id == third_chapter.pk
    response = client.post(f"/courses/{course.pk}/edit/copy", {"title": "数据结构（2027）"})
    new = Course.objects.get(title="数据结构（2027）")
    assert response.status_code == 302 and new.source_id == course.pk
    assert new.discipline_id == course.discipline_id and new.credit_hours == 32
    assert Block.objects.filter(course=new).count() == 1


def test_a_unit_cannot_be_copied_into_a_course_the_teacher_does_not_write(
    client: Any, lead: User, course: Course
) -> None:
    client.force_login(lead)
    unit = node(course, NodeKind.UNIT, "顺序表", node(course, NodeKind.CHAPTER, "第一章"))
    stranger = make_user(display_name="别的老师")
    foreign = make_course(lead=stranger, title="别人的课")
    foreign_chapter = node(foreign, NodeKind.CHAPTER, "第一章")
    client.post(f"/courses/{course.pk}/edit/nodes/{unit.pk}/copy", {"target": f"{foreign.pk}:{foreign_chapter.pk}"})
    assert not Node.objects.filter(course=foreign, content_id=unit.content_id).exists()


@pytest.fixture
def other_teacher(db: None) -> User:
    user = make_user(display_name="另一位老师")
    add_member(user, make_organization(Organization.Kind.UNIVERSITY, "复旦大学"), Role.UNIVERSITY_FACULTY)
    return user


def _protected(course: Course, chapter: Node, unit: Node, block: Block) -> list[tuple[str, str, dict[str, Any]]]:
    c = f"/courses/{course.pk}/edit"
    return [
        ("get", f"{c}/", {}),
        ("post", f"{c}/", {"title": "改名", "level": "undergraduate", "credit_hours": "1", "credits": "1"}),
        ("get", f"{c}/outline/", {}),
        ("post", f"{c}/nodes/add", {"kind": "chapter", "title": "偷加的章"}),
        ("post", f"{c}/nodes/{chapter.pk}/rename", {"title": "改名"}),
        ("post", f"{c}/nodes/{chapter.pk}/move", {"step": "1", "seen": str(chapter.pk)}),
        ("post", f"{c}/nodes/{chapter.pk}/copy", {"target": "1"}),
        ("post", f"{c}/nodes/{chapter.pk}/remove", {}),
        ("get", f"{c}/units/{unit.pk}/", {}),
        ("post", f"{c}/units/{unit.pk}/blocks/new/richtext/", {"html": "<p>x</p>"}),
        ("post", f"{c}/blocks/{block.pk}/", {"html": "<p>改</p>"}),
        ("post", f"{c}/blocks/{block.pk}/move", {"step": "1", "seen": str(block.pk)}),
        ("post", f"{c}/blocks/{block.pk}/remove", {}),
        ("get", f"{c}/publish/", {}),
        ("post", f"{c}/publish/", {"revision": "0"}),
        ("post", f"{c}/copy", {}),
    ]


@pytest.mark.parametrize("who", ["other_teacher", "student", "assistant", "anonymous"])
def test_nobody_outside_the_editing_team_opens_or_changes_the_editor(
    client: Any, course: Course, who: str, other_teacher: User, student: User
) -> None:
    from zhijiao.courses.models import CourseStaff, TeamRole

    chapter = node(course, NodeKind.CHAPTER, "第一章")
    unit = node(course, NodeKind.UNIT, "顺序表", chapter)
    block = Block.objects.create(course=course, unit=unit, type="richtext", data={"html": "<p>x</p>"})
    if who == "other_teacher":
        client.force_login(other_teacher)
    elif who == "student":
        client.force_login(student)
    elif who == "assistant":
        assistant = make_user(display_name="助教")
        CourseStaff.objects.create(course=course, user=assistant, role=TeamRole.ASSISTANT)
        client.force_login(assistant)
    for method, url, data in _protected(course, chapter, unit, block):
        response = getattr(client, method)(url, data)
        expected = (302,) if who == "anonymous" else (404,)
        assert response.status_code in expected, (url, response.status_code)
        if who == "anonymous":
            assert "/login" in response["Location"] or "accounts" in response["Location"]
    course.refresh_from_db()
    assert course.title == "数据结构" and course.revision == 0
    assert Node.objects.filter(course=course).count() == 2
    assert Block.objects.get(pk=block.pk).data == {"html": "<p>x</p>"}
    assert not CourseVersion.objects.exists() and Course.objects.count() == 1


def test_a_student_cannot_open_my_courses(client: Any, student: User) -> None:
    client.force_login(student)
    assert client.get("/courses/teach/").status_code == 403
    assert client.post("/courses/teach/", {"title": "我的课"}).status_code == 403
    assert not Course.objects.exists()


def test_the_outline_editor_reads_a_big_course_in_few_queries(
    client: Any, lead: User, course: Course, django_assert_max_num_queries: Any
) -> None:
    from .factories import build_tree

    build_tree(course, chapters=5, sections=3, units=4, blocks=3)
    client.force_login(lead)
    with django_assert_max_num_queries(14):
        assert client.get(f"/courses/{course.pk}/edit/outline/").status_code == 200


def test_the_authoring_pages_read_in_english(client: Any, lead: User) -> None:
    import re

    course = make_course(lead=lead, title="Data Structures")
    chapter = node(course, NodeKind.CHAPTER, "Chapter 1")
    unit = node(course, NodeKind.UNIT, "Arrays", chapter)
    block = Block.objects.create(course=course, unit=unit, type="link", data={"url": "https://example.org/"})
    other = make_course(lead=lead, title="Algorithms")
    node(other, NodeKind.CHAPTER, "Basics")
    client.force_login(lead)
    pages = [
        "/courses/teach/",
        f"/courses/{course.pk}/edit/",
        f"/courses/{course.pk}/edit/outline/",
        f"/courses/{course.pk}/edit/units/{unit.pk}/",
        f"/courses/{course.pk}/edit/units/{unit.pk}/blocks/new/video/",
        f"/courses/{course.pk}/edit/blocks/{block.pk}/",
        f"/courses/{course.pk}/edit/publish/",
    ]
    for url in pages:
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        html = html[html.index("<main") : html.index("</main>")]  # the site's header names itself and the user
        # The discipline catalogue's names are data (the official Chinese names), not interface text.
        html = re.sub(r"<select[^>]*data-chooser-fallback.*?</select>", "", html, flags=re.S)
        text = re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)[^>]*>.*?</\1>", "", html, flags=re.S))
        chinese = re.findall(r"[\u4e00-\u9fff][^<>\n]{0,20}", text)
        assert not chinese, (url, chinese[:5])


def test_the_discipline_chooser_finds_first_level_disciplines_by_name_code_or_category(client: Any) -> None:
    by_name = client.get("/choose/disciplines/", {"q": "计算机"}).content.decode()
    assert "0812 计算机科学与技术" in by_name
    by_code = client.get("/choose/disciplines/", {"q": "0812"}).content.decode()
    assert "0812 计算机科学与技术" in by_code
    by_category = client.get("/choose/disciplines/", {"q": "工学"}).content.decode()
    assert "0801 力学" in by_category and "0101 哲学" not in by_category


def test_the_unit_editor_reads_in_few_queries(
    client: Any, lead: User, course: Course, django_assert_max_num_queries: Any
) -> None:
    from .factories import build_tree

    build_tree(course, chapters=3, sections=2, units=2, blocks=20)
    unit = Node.objects.filter(course=course, kind=NodeKind.UNIT).first()
    assert unit is not None
    client.force_login(lead)
    with django_assert_max_num_queries(13):
        assert client.get(f"/courses/{course.pk}/edit/units/{unit.pk}/").status_code == 200


def test_a_block_type_from_another_app_brings_its_own_form_fields(client: Any, lead: User, course: Course) -> None:
    """The 课堂讨论 block (registered by the discussion app) asks for its prompt on the same block form; editing
    shows the stored prompt again."""
    client.force_login(lead)
    chapter = node(course, NodeKind.CHAPTER, "第一章")
    unit = node(course, NodeKind.UNIT, "顺序表", chapter)
    form = client.get(f"/courses/{course.pk}/edit/units/{unit.pk}/blocks/new/discussion/")
    assert 'name="prompt"' in form.content.decode()
    empty = client.post(f"/courses/{course.pk}/edit/units/{unit.pk}/blocks/new/discussion/", {"title": "讨论"})
    assert empty.status_code == 422 and "prompt" in empty.context["form"].errors
    created = client.post(
        f"/courses/{course.pk}/edit/units/{unit.pk}/blocks/new/discussion/",
        {"title": "课堂讨论", "prompt": "顺序表和链表各适合什么场景？"},
    )
    assert created.status_code == 302
    block = Block.objects.get(unit=unit, type="discussion")
    assert block.data == {"prompt": "顺序表和链表各适合什么场景？", "min_posts": 1}
    edit = client.get(f"/courses/{course.pk}/edit/blocks/{block.pk}/")
    assert "顺序表和链表各适合什么场景？" in edit.content.decode()
