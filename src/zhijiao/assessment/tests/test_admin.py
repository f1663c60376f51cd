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


def test_staff_see_answer_files_read_only_and_find_them_by_the_learners_phone(client, lead) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .. import services
    from ..models import AttemptFile
    from .attempt_factories import make_exam_course, make_learner, make_run

    course, block, _questions = make_exam_course(lead, kind="homework", types=("file",))
    run = make_run(lead, course)
    learner = make_learner(run, display_name="李明轩", phone="13912345678")
    attempt = services.attempt_start(actor=learner, run=run, content_id=str(block.content_id))
    upload = SimpleUploadedFile("实验报告.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    stored = services.answer_upload(actor=learner, attempt_id=attempt.pk, position=1, upload=upload)
    other = make_learner(run, display_name="王小红", phone="13987654321")
    services.attempt_start(actor=other, run=run, content_id=str(block.content_id))
    client.force_login(make_user(is_staff=True, is_superuser=True))
    listing = client.get("/admin/assessment/attemptfile/", {"q": "13912345678"}).content.decode()
    assert "实验报告.pdf" in listing and "李明轩" in listing and "application/pdf" in listing
    assert "实验报告.pdf" not in client.get("/admin/assessment/attemptfile/", {"q": "13987654321"}).content.decode()
    assert "实验报告.pdf" in client.get("/admin/assessment/attemptfile/", {"q": "李明轩"}).content.decode()
    shown = client.get(f"/admin/assessment/attemptfile/{stored.pk}/change/")
    assert shown.status_code == 200 and "实验报告.pdf" in shown.content.decode()
    assert client.get("/admin/assessment/attemptfile/add/").status_code == 403
    assert client.get(f"/admin/assessment/attemptfile/{stored.pk}/delete/").status_code == 403
    client.post(f"/admin/assessment/attemptfile/{stored.pk}/change/", {"original_name": "改名.pdf"})
    assert AttemptFile.objects.get(pk=stored.pk).original_name == "实验报告.pdf"


def test_teachers_have_no_admin_of_answer_files(client, lead) -> None:
    client.force_login(lead)
    assert client.get("/admin/assessment/attemptfile/").status_code == 302
