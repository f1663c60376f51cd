"""Staff screens: questions and their versions are read-only; archiving goes through the service."""

import pytest

from zhijiao.accounts.tests.factories import make_user

from .factories import current, make_question

pytestmark = pytest.mark.django_db


def test_staff_see_questions_and_versions_read_only(client, lead, course) -> None:
    question = make_question(actor=lead, course=course, type="essay")
    version = current(question)
    staff = make_user(is_staff=True, is_superuser=True)
    client.force_login(staff)
    assert "论述哈希表" in client.get("/admin/assessment/question/").content.decode()
    assert client.get(f"/admin/assessment/question/{question.pk}/change/").status_code == 200
    assert client.get("/admin/assessment/questionversion/").status_code == 200
    assert client.get(f"/admin/assessment/questionversion/{version.pk}/change/").status_code == 200
    assert client.get("/admin/assessment/questionversion/add/").status_code == 403
    assert client.get("/admin/assessment/question/add/").status_code == 403
    assert client.get(f"/admin/assessment/questionversion/{version.pk}/delete/").status_code == 403
    client.post(f"/admin/assessment/questionversion/{version.pk}/change/", {"points": "99"})
    version.refresh_from_db()
    assert version.points == 10
    client.post("/admin/assessment/question/", {"action": "archive", "_selected_action": [question.pk]})
    question.refresh_from_db()
    assert question.is_archived


def test_teachers_have_no_admin(client, lead) -> None:
    client.force_login(lead)
    assert client.get("/admin/assessment/question/").status_code == 302
