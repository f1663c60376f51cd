"""The teachers' bank pages: add and edit questions of each type without JavaScript, see the history, import and
export; assistants read, people off the team find nothing."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from .. import spreadsheets
from ..models import Question
from .factories import SAMPLES, current, make_question

pytestmark = pytest.mark.django_db

FORMS: dict[str, dict[str, Any]] = {
    "single": {"options": "先进先出\n后进先出\n随机存取", "answer": "B"},
    "multiple": {"options": "栈\n队列\n二叉树", "answer": "AB", "scoring": "share"},
    "truefalse": {"answer": "对"},
    "fill": {"answer": "入栈|push；出栈|pop", "any_order": "on"},
    "short": {"answer": "参考答案", "rubric": "要点一|2\n要点二|3", "grading": "manual"},
    "essay": {"rubric": "观点|5", "grading": "peer"},
    "file": {"formats": ["pdf", "docx"], "grading": "manual"},
}
POINTS = {"short": "5", "essay": "5"}


def url(course, rest: str = "") -> str:
    return f"/courses/{course.pk}/edit/questions/{rest}"


@pytest.mark.parametrize("name", list(SAMPLES))
def test_a_teacher_adds_each_type_with_the_form(client, lead, course, name) -> None:
    client.force_login(lead)
    page = client.get(url(course, f"new/{name}/"))
    assert page.status_code == 200
    form = {"stem": "第一行\n第二行 <不是标签", "points": POINTS.get(name, "2"), "difficulty": "2",
            "tags": "第一章，期中", "knowledge_points": "栈", **FORMS[name]}  # fmt: skip
    response = client.post(url(course, f"new/{name}/"), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    question = Question.objects.get(course=course)
    version = current(question)
    assert version.type == name and version.tags == ["第一章", "期中"] and version.difficulty == 2
    assert version.stem == "<p>第一行</p><p>第二行 &lt;不是标签</p>"


def test_a_wrong_answer_is_shown_next_to_its_field(client, lead, course) -> None:
    client.force_login(lead)
    response = client.post(url(course, "new/single/"), {"stem": "题", "options": "甲\n乙", "answer": "Z", "points": "2",
                                                          "difficulty": "3"})  # fmt: skip
    assert response.status_code == 422
    assert "答案应为选项字母" in response.content.decode()
    assert not Question.objects.exists()


def test_editing_makes_a_version_shown_in_the_history(client, lead, course) -> None:
    question = make_question(actor=lead, course=course, type="fill")
    client.force_login(lead)
    page = client.get(url(course, f"{question.pk}/"))
    assert page.status_code == 200 and "入栈|push" in page.content.decode()
    form = {"stem": "<p>栈的操作</p>", "answer": "入栈；出栈", "points": "4", "difficulty": "3", "note": "去掉英文"}
    assert client.post(url(course, f"{question.pk}/"), form).status_code == 302
    history = client.get(url(course, f"{question.pk}/versions/")).content.decode()
    assert "第 2 版" in history and "第 1 版" in history and "去掉英文" in history


def test_the_bank_lists_filters_and_links_from_the_course_tabs(
    client, lead, course, django_assert_max_num_queries
) -> None:
    for name in SAMPLES:
        make_question(actor=lead, course=course, type=name, tags=["第一章"] if name == "single" else ["第二章"])
    client.force_login(lead)
    assert f'href="{url(course)}"' in client.get(f"/courses/{course.pk}/edit/").content.decode()
    with django_assert_max_num_queries(12):
        page = client.get(url(course))
    assert page.status_code == 200 and page.content.decode().count("第 1 版") == len(SAMPLES)
    filtered = client.get(url(course), {"tag": "第一章"}).content.decode()
    assert "栈的特点是" in filtered and "队列是先进先出" not in filtered


def test_archive_and_restore(client, lead, course) -> None:
    question = make_question(actor=lead, course=course)
    client.force_login(lead)
    client.post(url(course, f"{question.pk}/archive"))
    question.refresh_from_db()
    assert question.is_archived
    client.post(url(course, f"{question.pk}/archive"))
    question.refresh_from_db()
    assert not question.is_archived


def test_import_export_and_template_from_the_page(client, lead, course) -> None:
    client.force_login(lead)
    template = client.get(url(course, "template.xlsx"))
    assert template.status_code == 200
    upload = SimpleUploadedFile("t.xlsx", template.content)
    response = client.post(url(course, "import"), {"format": "xlsx", "file": upload}, follow=True)
    assert "新增 7 道题" in response.content.decode()
    assert client.get(url(course, "export.xlsx")).status_code == 200
    assert client.get(url(course, "export.zip"))["Content-Type"] == "application/zip"
    assert client.get(url(course, "export.csv")).status_code == 404
    bad = client.post(url(course, "import"), {"format": "xlsx", "file": SimpleUploadedFile("x.xlsx", b"x")})
    assert bad.status_code == 422 and "Excel" in bad.content.decode()


def test_an_assistant_reads_but_cannot_write(client, lead, course, assistant) -> None:
    question = make_question(actor=lead, course=course)
    client.force_login(assistant)
    assert client.get(url(course)).status_code == 200
    assert client.get(url(course, f"{question.pk}/")).status_code == 200
    assert client.get(url(course, "new/single/")).status_code == 403
    assert client.post(url(course, f"{question.pk}/"), {"stem": "x", "points": "1"}).status_code == 403
    assert client.post(url(course, f"{question.pk}/archive")).status_code == 403
    upload = SimpleUploadedFile("t.xlsx", spreadsheets.template_workbook())
    assert client.post(url(course, "import"), {"format": "xlsx", "file": upload}).status_code == 403
    assert Question.objects.count() == 1 and question.versions.count() == 1


@pytest.mark.parametrize("who", ["outsider", "student"])
def test_people_off_the_team_find_no_bank_pages(client, request, lead, course, who) -> None:
    question = make_question(actor=lead, course=course)
    client.force_login(request.getfixturevalue(who))
    for path in ("", "new/single/", f"{question.pk}/", f"{question.pk}/versions/", "template.xlsx", "export.xlsx"):
        assert client.get(url(course, path)).status_code == 404, path
    assert client.post(url(course, f"{question.pk}/archive")).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, lead, course) -> None:
    assert client.get(url(course)).status_code == 302
