"""The bank's API: each operation for the team, and refused for everyone else."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from .. import spreadsheets
from ..models import Question
from .factories import make_question

pytestmark = pytest.mark.django_db
API = "/api/v1/assessment"


def _new(**over):
    return {
        "type": "multiple",
        "stem": "<p>下列哪些是排序算法？</p>",
        "data": {"options": ["快速排序", "二分查找", "归并排序"], "answer": [0, 2], "scoring": "net"},
        "points": "4",
        "tags": ["第九章"],
        "knowledge_points": ["排序"],
        "difficulty": 2,
        **over,
    }


def test_a_teacher_writes_reads_and_versions_a_question(client, lead, course) -> None:
    client.force_login(lead)
    created = client.post(f"{API}/courses/{course.pk}/questions", _new(), content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["version"]["number"] == 1 and body["version"]["data"]["scoring"] == "net"
    qid = body["id"]
    revised = client.post(
        f"{API}/courses/{course.pk}/questions/{qid}/versions",
        _new(points="5", note="改分值"),
        content_type="application/json",
    )
    assert revised.status_code == 201 and revised.json()["number"] == 2
    got = client.get(f"{API}/courses/{course.pk}/questions/{qid}").json()
    assert got["version"]["points"] == "5.00"
    history = client.get(f"{API}/courses/{course.pk}/questions/{qid}/versions").json()
    assert [v["number"] for v in history] == [2, 1] and history[1]["points"] == "4.00"
    listed = client.get(f"{API}/courses/{course.pk}/questions", {"tag": "第九章", "difficulty": 2}).json()
    assert listed["count"] == 1
    archived = client.post(f"{API}/courses/{course.pk}/questions/{qid}/archive").json()
    assert archived["archived"] is True
    assert client.get(f"{API}/courses/{course.pk}/questions").json()["count"] == 0
    assert client.post(f"{API}/courses/{course.pk}/questions/{qid}/restore").json()["archived"] is False


def test_bad_questions_get_field_errors(client, lead, course) -> None:
    client.force_login(lead)
    response = client.post(
        f"{API}/courses/{course.pk}/questions",
        _new(data={"options": ["甲"], "answer": [0]}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "options" in response.json()["fields"]
    unknown = client.post(
        f"{API}/courses/{course.pk}/questions", _new(type="matching"), content_type="application/json"
    )
    assert unknown.status_code == 422 and "type" in unknown.json()["fields"]


def test_the_list_takes_few_queries(client, lead, course, django_assert_max_num_queries) -> None:
    for _ in range(15):
        make_question(actor=lead, course=course)
    client.force_login(lead)
    # +1: the API's request limit, counted in the database without Redis (core.counters)
    with django_assert_max_num_queries(10):
        response = client.get(f"{API}/courses/{course.pk}/questions", {"limit": 50})
    assert response.json()["count"] == 15


def test_draw_is_repeatable(client, lead, course) -> None:
    for index in range(6):
        make_question(actor=lead, course=course, tags=["期末"], difficulty=index % 2 + 1)
    client.force_login(lead)
    url = f"{API}/courses/{course.pk}/questions/draw"
    first = client.post(url, {"count": 3, "seed": "run-7", "tag": "期末"}, content_type="application/json")
    again = client.post(url, {"count": 3, "seed": "run-7", "tag": "期末"}, content_type="application/json")
    assert first.status_code == 200 and [q["id"] for q in first.json()] == [q["id"] for q in again.json()]
    short = client.post(url, {"count": 9, "seed": "x", "tag": "期末"}, content_type="application/json")
    assert short.status_code == 422 and short.json()["code"] == "not_enough_questions"


def test_import_and_export(client, lead, course) -> None:
    client.force_login(lead)
    upload = SimpleUploadedFile("题库.xlsx", spreadsheets.template_workbook())
    imported = client.post(f"{API}/courses/{course.pk}/questions/import", {"format": "xlsx", "file": upload})
    assert imported.status_code == 200 and imported.json() == {"created": 7, "revised": 0}
    xlsx = client.get(f"{API}/courses/{course.pk}/questions/export", {"format": "xlsx"})
    assert xlsx.status_code == 200
    rows = list(load_workbook(io.BytesIO(xlsx.content))["题目"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 7
    package = client.get(f"{API}/courses/{course.pk}/questions/export", {"format": "qti"})
    assert package.status_code == 200 and package["Content-Type"] == "application/zip"
    bad = SimpleUploadedFile("x.xlsx", b"nope")
    refused = client.post(f"{API}/courses/{course.pk}/questions/import", {"format": "xlsx", "file": bad})
    assert refused.status_code == 422 and "file" in refused.json()["fields"]


def test_an_assistant_reads_but_is_refused_every_write(client, lead, course, assistant) -> None:
    question = make_question(actor=lead, course=course)
    client.force_login(assistant)
    base = f"{API}/courses/{course.pk}/questions"
    assert client.get(base).status_code == 200
    assert client.get(f"{base}/{question.pk}").status_code == 200
    assert client.post(base, _new(), content_type="application/json").status_code == 403
    assert client.post(f"{base}/{question.pk}/versions", _new(), content_type="application/json").status_code == 403
    assert client.post(f"{base}/{question.pk}/archive").status_code == 403
    assert client.post(f"{base}/{question.pk}/restore").status_code == 403
    upload = SimpleUploadedFile("t.xlsx", spreadsheets.template_workbook())
    assert client.post(f"{base}/import", {"format": "xlsx", "file": upload}).status_code == 403
    assert Question.objects.count() == 1


@pytest.mark.parametrize("who", ["outsider", "student", "platform_admin_is_allowed"])
def test_people_off_the_team_find_nothing(client, request, lead, course, who) -> None:
    question = make_question(actor=lead, course=course)
    if who == "platform_admin_is_allowed":
        client.force_login(request.getfixturevalue("platform_admin"))
        assert client.get(f"{API}/courses/{course.pk}/questions").status_code == 200
        return
    client.force_login(request.getfixturevalue(who))
    base = f"{API}/courses/{course.pk}/questions"
    for response in (
        client.get(base),
        client.get(f"{base}/{question.pk}"),
        client.get(f"{base}/{question.pk}/versions"),
        client.get(f"{base}/export"),
        client.post(base, _new(), content_type="application/json"),
        client.post(f"{base}/{question.pk}/versions", _new(), content_type="application/json"),
        client.post(f"{base}/{question.pk}/archive"),
        client.post(f"{base}/draw", {"count": 1, "seed": "1"}, content_type="application/json"),
    ):
        assert response.status_code == 404


def test_signed_out_visitors_are_asked_to_sign_in(client, lead, course) -> None:
    assert client.get(f"{API}/courses/{course.pk}/questions").status_code == 401


def test_imports_are_rate_limited(client, lead, course, monkeypatch) -> None:
    from django.core.cache import cache

    from .. import api

    cache.clear()
    monkeypatch.setattr(api, "IMPORTS_PER_HOUR", 1)
    client.force_login(lead)
    url = f"{API}/courses/{course.pk}/questions/import"
    first = client.post(url, {"format": "xlsx", "file": SimpleUploadedFile("t.xlsx", spreadsheets.template_workbook())})
    second = client.post(
        url, {"format": "xlsx", "file": SimpleUploadedFile("t.xlsx", spreadsheets.template_workbook())}
    )
    assert first.status_code == 200 and second.status_code == 429
    assert Question.objects.count() == 7
    cache.clear()
