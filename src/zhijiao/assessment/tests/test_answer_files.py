"""File questions (文件题): a learner uploads their answer through the attempt page (without JavaScript) or the
API; the file is checked by its content and kept private; its learner, the run's teaching team and an assigned
peer reviewer download it, nobody else."""

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhijiao.accounts.tests.factories import make_user

from .. import services
from ..models import AttemptFile, AttemptItem, PeerReview
from .attempt_factories import make_exam_course, make_learner, make_run

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"


def pdf(name: str = "实验报告.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@pytest.fixture
def exam(lead: Any) -> Any:
    return make_exam_course(lead, types=("file", "essay"))


@pytest.fixture
def run(lead: Any, exam: Any) -> Any:
    return make_run(lead, exam[0])


@pytest.fixture
def learner(run: Any) -> Any:
    return make_learner(run, display_name="李明轩")


@pytest.fixture
def attempt(run: Any, exam: Any, learner: Any) -> Any:
    return services.attempt_start(actor=learner, run=run, content_id=str(exam[1].content_id))


def _position(attempt: Any) -> int:
    return AttemptItem.objects.get(attempt=attempt, version__type="file").position


def test_a_learner_uploads_through_the_page_without_javascript_and_sees_the_file(client, attempt, learner):
    position = _position(attempt)
    client.force_login(learner)
    page = client.get(f"/assessment/attempts/{attempt.pk}/").content.decode()
    assert 'enctype="multipart/form-data"' in page and f'name="q{position}-file"' in page
    saved = client.post(
        f"/assessment/attempts/{attempt.pk}/",
        {f"q{position}-present": "1", f"q{position}-file": pdf(), "action": "save"},
    )
    assert saved.status_code == 302
    stored = AttemptFile.objects.get(attempt=attempt)
    assert stored.original_name == "实验报告.pdf" and stored.size == len(PDF_BYTES) and stored.uploaded_by == learner
    page = client.get(f"/assessment/attempts/{attempt.pk}/").content.decode()
    assert "实验报告.pdf" in page and f"/assessment/files/{stored.pk}/" in page
    # Saving the form again without choosing a file keeps the uploaded answer.
    client.post(f"/assessment/attempts/{attempt.pk}/", {f"q{position}-present": "1", "action": "submit"})
    item = AttemptItem.objects.get(attempt=attempt, position=position)
    assert item.response == stored.pk and item.status == "staff"
    result = client.get(f"/assessment/attempts/{attempt.pk}/result/").content.decode()
    assert "实验报告.pdf" in result and f"/assessment/files/{stored.pk}/" in result
    download = client.get(f"/assessment/files/{stored.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content if download.streaming else [download.content]) == PDF_BYTES
    assert download["Content-Disposition"].startswith("attachment")


def test_a_wrong_format_is_refused_and_nothing_is_stored(client, attempt, learner, settings):
    position = _position(attempt)
    client.force_login(learner)
    picture = SimpleUploadedFile("报告.png", PNG_BYTES, content_type="image/png")
    refused = client.post(
        f"/assessment/attempts/{attempt.pk}/",
        {f"q{position}-present": "1", f"q{position}-file": picture, "action": "save"},
    )
    assert refused.status_code == 422
    assert "不是允许的类型" in refused.content.decode()
    assert not AttemptFile.objects.exists()
    lying = SimpleUploadedFile("报告.docx", PDF_BYTES, content_type="application/pdf")
    api = client.post(f"/api/v1/assessment/attempts/{attempt.pk}/answers/{position}/file", {"file": lying})
    assert api.status_code == 422
    assert not AttemptFile.objects.exists()


def test_the_api_uploads_and_the_attempt_lists_the_file(client, attempt, learner):
    position = _position(attempt)
    client.force_login(learner)
    saved = client.post(f"/api/v1/assessment/attempts/{attempt.pk}/answers/{position}/file", {"file": pdf()})
    assert saved.status_code == 200, saved.content
    body = saved.json()
    stored = AttemptFile.objects.get(attempt=attempt)
    assert body["file"] == {
        "id": stored.pk,
        "name": "实验报告.pdf",
        "size": len(PDF_BYTES),
        "url": f"/assessment/files/{stored.pk}/",
    }
    shown = client.get(f"/api/v1/assessment/attempts/{attempt.pk}").json()
    item = next(i for i in shown["items"] if i["position"] == position)
    assert item["response"] == stored.pk and item["file"]["name"] == "实验报告.pdf"
    # A text answer cannot go to a file question, nor a file id of another question.
    other = next(i for i in shown["items"] if i["position"] != position)["position"]
    refused = client.post(f"/api/v1/assessment/attempts/{attempt.pk}/answers/{other}/file", {"file": pdf()})
    assert refused.status_code == 422
    forged = client.put(
        f"/api/v1/assessment/attempts/{attempt.pk}/answers/{position}",
        {"response": stored.pk + 1000},
        content_type="application/json",
    )
    assert forged.status_code == 422


def test_another_learner_cannot_upload_to_the_attempt(client, attempt, run):
    position = _position(attempt)
    client.force_login(make_learner(run))
    page = client.post(
        f"/assessment/attempts/{attempt.pk}/",
        {f"q{position}-present": "1", f"q{position}-file": pdf(), "action": "save"},
    )
    assert page.status_code == 404
    api = client.post(f"/api/v1/assessment/attempts/{attempt.pk}/answers/{position}/file", {"file": pdf()})
    assert api.status_code == 404
    assert not AttemptFile.objects.exists()


def test_a_submitted_attempt_refuses_uploads(client, attempt, learner):
    position = _position(attempt)
    services.attempt_submit(actor=learner, attempt_id=attempt.pk)
    client.force_login(learner)
    api = client.post(f"/api/v1/assessment/attempts/{attempt.pk}/answers/{position}/file", {"file": pdf()})
    assert api.status_code == 409
    page = client.post(f"/assessment/attempts/{attempt.pk}/answers/{position}/file", {"file": pdf()})
    assert page.status_code == 409
    assert not AttemptFile.objects.exists()


def test_the_teacher_and_an_assigned_peer_download_it_and_nobody_else(client, attempt, learner, lead, run):
    position = _position(attempt)
    services.answer_upload(actor=learner, attempt_id=attempt.pk, position=position, upload=pdf("李明轩-报告.pdf"))
    services.attempt_submit(actor=learner, attempt_id=attempt.pk)
    stored = AttemptFile.objects.get(attempt=attempt)
    item = AttemptItem.objects.get(attempt=attempt, position=position)
    url = f"/assessment/files/{stored.pk}/"

    client.force_login(lead)
    marking = client.get(f"/courses/{run.course_id}/runs/{run.pk}/marking/{item.pk}/").content.decode()
    assert "李明轩-报告.pdf" in marking and url in marking
    assert client.get(url).status_code == 200
    graded = client.get(f"/api/v1/assessment/grading/items/{item.pk}").json()
    assert graded["file"]["name"] == "李明轩-报告.pdf" and graded["file"]["url"] == url

    reviewer = make_learner(run)
    review = PeerReview.objects.create(item=item, reviewer=reviewer, due_at=timezone.now() + timedelta(days=7))
    client.force_login(reviewer)
    shown = client.get(f"/courses/{run.course_id}/runs/{run.pk}/peer/reviews/{review.pk}/").content.decode()
    assert url in shown and "李明轩" not in shown
    mine = client.get("/api/v1/assessment/peer-reviews").json()
    assert mine[0]["file"]["url"] == url and "李明轩" not in mine[0]["file"]["name"]
    download = client.get(url)
    assert download.status_code == 200
    assert "李明轩" not in download["Content-Disposition"]  # peer review is blind

    for someone in (make_learner(run), make_user()):
        client.force_login(someone)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code in (302, 404)


def test_a_question_taking_zip_and_txt_takes_those_by_content(client, lead, monkeypatch):
    import io
    import zipfile

    from .factories import SAMPLES

    monkeypatch.setitem(SAMPLES, "file", {**SAMPLES["file"], "data": {"formats": ["zip", "txt"], "grading": "manual"}})
    _course, block, _questions = make_exam_course(lead, types=("file",))
    run = make_run(lead, _course)
    learner = make_learner(run)
    attempt = services.attempt_start(actor=learner, run=run, content_id=str(block.content_id))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("main.py", "print('栈')")
    client.force_login(learner)
    url = f"/api/v1/assessment/attempts/{attempt.pk}/answers/1/file"
    assert client.post(url, {"file": SimpleUploadedFile("代码.zip", buffer.getvalue())}).status_code == 200
    assert [f.mime for f in AttemptFile.objects.all()] == ["application/zip"]
    notes = SimpleUploadedFile("笔记.txt", "栈是后进先出的线性表。\n".encode())
    assert client.post(url, {"file": notes}).status_code == 200
    assert client.post(url, {"file": pdf()}).status_code == 422
    assert [f.mime for f in AttemptFile.objects.all()] == ["text/plain"]  # the text replaced the archive


def test_an_upload_past_the_deadline_is_refused_and_the_attempt_submitted(client, attempt, learner):
    from ..models import Attempt

    Attempt.objects.filter(pk=attempt.pk).update(deadline_at=timezone.now() - timedelta(seconds=1))
    client.force_login(learner)
    url = f"/api/v1/assessment/attempts/{attempt.pk}/answers/{_position(attempt)}/file"
    refused = client.post(url, {"file": pdf()})
    assert refused.status_code == 409 and refused.json()["code"] == "time_up"
    assert not AttemptFile.objects.exists()
    assert Attempt.objects.get(pk=attempt.pk).status != "in_progress"


def _stored_names() -> set[str]:
    """The answer files on disk, by their stored names."""
    from zhijiao.core.uploads import private_root

    root = private_root() / "assessment"
    return (
        {str(path.relative_to(private_root())) for path in root.rglob("*") if path.is_file()}
        if root.exists()
        else set()
    )


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_second_upload_replaces_the_first_and_leaves_no_file_behind(
    client, attempt, learner, django_capture_on_commit_callbacks
):
    position = _position(attempt)
    client.force_login(learner)
    url = f"/api/v1/assessment/attempts/{attempt.pk}/answers/{position}/file"
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, {"file": pdf("初稿.pdf")}).json()["file"]
    old = AttemptFile.objects.get(pk=first["id"])
    assert _stored_names() == {old.file.name}
    second_bytes = PDF_BYTES.replace(b"%%EOF", b"% final\n%%EOF")
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(
            url, {"file": SimpleUploadedFile("定稿.pdf", second_bytes, content_type="application/pdf")}
        ).json()["file"]
    new = AttemptFile.objects.get(pk=second["id"])
    # The earlier file is gone from storage and from the attempt; its address answers 404, the new one downloads.
    assert _stored_names() == {new.file.name}
    assert list(AttemptFile.objects.filter(attempt=attempt)) == [new]
    assert client.get(first["url"]).status_code == 404
    download = client.get(second["url"])
    assert download.status_code == 200 and _body(download) == second_bytes
    shown = client.get(f"/api/v1/assessment/attempts/{attempt.pk}").json()
    assert next(i for i in shown["items"] if i["position"] == position)["file"]["name"] == "定稿.pdf"


def test_a_replaced_file_stays_when_the_upload_is_rolled_back(attempt, learner, django_capture_on_commit_callbacks):
    from django.db import transaction

    position = _position(attempt)
    with django_capture_on_commit_callbacks(execute=True):
        kept = services.answer_upload(actor=learner, attempt_id=attempt.pk, position=position, upload=pdf())
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        services.answer_upload(actor=learner, attempt_id=attempt.pk, position=position, upload=pdf("二稿.pdf"))
        raise RuntimeError
    assert kept.file.name in _stored_names()
    assert list(AttemptFile.objects.filter(attempt=attempt)) == [kept]


def test_answer_files_leave_storage_with_their_learner(attempt, learner, django_capture_on_commit_callbacks):
    services.answer_upload(actor=learner, attempt_id=attempt.pk, position=_position(attempt), upload=pdf())
    assert _stored_names()
    with django_capture_on_commit_callbacks(execute=True):
        learner.delete()
    assert not AttemptFile.objects.exists()
    assert _stored_names() == set()


def test_the_size_limit_is_a_setting_shown_on_the_page_and_an_oversize_file_changes_nothing(
    client, attempt, learner, settings
):
    settings.ASSESSMENT_FILE_MAX_BYTES = 2048
    position = _position(attempt)
    client.force_login(learner)
    page = client.get(f"/assessment/attempts/{attempt.pk}/").content.decode()
    assert "不超过 2 KB" in page
    url = f"/api/v1/assessment/attempts/{attempt.pk}/answers/{position}/file"
    kept = client.post(url, {"file": pdf("初稿.pdf")}).json()["file"]
    big = PDF_BYTES + b"%" + b"x" * 4096 + b"\n"
    refused = client.post(url, {"file": SimpleUploadedFile("大文件.pdf", big, content_type="application/pdf")})
    assert refused.status_code == 422
    assert "文件太大（4 KB），最大 2 KB" in refused.json()["fields"]["file"][0]
    on_page = client.post(
        f"/assessment/attempts/{attempt.pk}/",
        {f"q{position}-present": "1", f"q{position}-file": SimpleUploadedFile("大文件.pdf", big), "action": "save"},
    )
    assert on_page.status_code == 422 and "最大 2 KB" in on_page.content.decode()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.post(url, {"file": SimpleUploadedFile("大文件.pdf", big, content_type="application/pdf")})
    assert english.status_code == 422
    assert "the limit is 2 KB" in english.json()["fields"]["file"][0]
    # Nothing changed: the earlier upload is still the answer and the only file.
    assert list(AttemptFile.objects.filter(attempt=attempt).values_list("pk", flat=True)) == [kept["id"]]
    shown = client.get(f"/api/v1/assessment/attempts/{attempt.pk}").json()
    assert next(i for i in shown["items"] if i["position"] == position)["response"] == kept["id"]


def test_a_file_answer_cleared_through_the_api_leaves_with_its_file(
    client, attempt, learner, django_capture_on_commit_callbacks
):
    position = _position(attempt)
    client.force_login(learner)
    url = f"/api/v1/assessment/attempts/{attempt.pk}/answers/{position}"
    with django_capture_on_commit_callbacks(execute=True):
        uploaded = client.post(f"{url}/file", {"file": pdf()}).json()["file"]
    assert len(_stored_names()) == 1
    with django_capture_on_commit_callbacks(execute=True):
        cleared = client.put(url, {"response": None}, content_type="application/json")
    assert cleared.status_code == 200
    assert not AttemptFile.objects.exists() and _stored_names() == set()
    assert client.get(uploaded["url"]).status_code == 404
    shown = client.get(f"/api/v1/assessment/attempts/{attempt.pk}").json()
    assert next(i for i in shown["items"] if i["position"] == position)["response"] is None


def test_an_upload_that_fails_inside_its_transaction_leaves_no_file(attempt, learner, monkeypatch):
    position = _position(attempt)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("database went away")

    monkeypatch.setattr("zhijiao.assessment.services.attempts.AttemptStep.objects.create", broken)
    with pytest.raises(RuntimeError):
        services.answer_upload(actor=learner, attempt_id=attempt.pk, position=position, upload=pdf())
    assert not AttemptFile.objects.exists() and _stored_names() == set()


def test_files_of_uploads_rolled_back_by_a_caller_are_swept_once_old(attempt, learner):
    import os
    import time

    from django.db import transaction

    from zhijiao.core.uploads import private_root

    position = _position(attempt)
    kept = services.answer_upload(actor=learner, attempt_id=attempt.pk, position=position, upload=pdf())
    with pytest.raises(RuntimeError), transaction.atomic():
        services.answer_upload(actor=learner, attempt_id=attempt.pk, position=position, upload=pdf("二稿.pdf"))
        raise RuntimeError
    stray = _stored_names() - {kept.file.name}
    assert len(stray) == 1
    # A young stray may be an upload still being committed: it stays until it is an hour old.
    assert services.answer_files_sweep() == 0 and len(_stored_names()) == 2
    two_hours_ago = time.time() - 7200
    for name in _stored_names():
        os.utime(private_root() / name, (two_hours_ago, two_hours_ago))
    assert services.answer_files_sweep() == 1
    assert _stored_names() == {kept.file.name}
    assert AttemptFile.objects.get().file.name == kept.file.name
