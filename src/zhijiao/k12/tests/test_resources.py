"""Uploads (type by content, size limits), the review workflow and who may do what."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhijiao.core.models import AuditLog
from zhijiao.k12.models import Lesson, Resource

from .factories import make_resource, mp4_bytes, pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db


def _upload(client: Any, **fields: Any) -> Any:
    data = {"kind": "video", "title": "有理数讲解", "licence": "platform", **fields}
    return client.post("/k12/upload/", data)


def test_teacher_uploads_a_video_checked_by_content(client: Any, teacher: Any, lesson: Lesson) -> None:
    client.force_login(teacher)
    response = _upload(
        client,
        lesson=lesson.pk,
        file=SimpleUploadedFile("lesson.mp4", mp4_bytes(), content_type="application/octet-stream"),
        poster=SimpleUploadedFile("poster.png", png_bytes(), content_type="image/png"),
    )
    assert response.status_code == 302
    made = Resource.objects.get()
    assert made.status == Resource.Status.DRAFT
    assert made.mime_type == "video/mp4"
    assert made.duration_seconds == 4
    assert made.size_bytes == len(mp4_bytes())
    assert made.lesson == lesson and made.book == lesson.unit.book
    assert made.file.storage.exists(str(made.file.name))


@pytest.mark.parametrize(
    ("kind", "name", "payload", "message"),
    [
        ("video", "notes.mp4", "pdf", "不是允许的类型"),  # a PDF calling itself a video
        ("document", "lesson.pdf", "mp4", "不是允许的类型"),  # a video calling itself a PDF
        ("document", "handout.mp4", "pdf", "扩展名"),  # real PDF, lying extension
        ("ebook", "book.epub", "zip", "不是允许的类型"),  # any ZIP is not an EPUB
        ("video", "empty.mp4", "empty", "空文件"),
        ("document", "virus.pdf", "exe", "不是允许的类型"),
    ],
)
def test_wrong_type_or_lying_extension_is_refused_with_a_clear_message(
    client: Any, teacher: Any, kind: str, name: str, payload: str, message: str
) -> None:
    import io
    import zipfile

    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("a.txt", "hello")
    data = {
        "pdf": pdf_bytes(),
        "mp4": mp4_bytes(),
        "zip": archive.getvalue(),
        "empty": b"",
        "exe": b"MZ\x90\x00" + b"\x00" * 200,
    }[payload]
    client.force_login(teacher)
    response = _upload(client, kind=kind, file=SimpleUploadedFile(name, data))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Resource.objects.exists()


def test_oversized_upload_is_refused(client: Any, teacher: Any, settings: Any) -> None:
    settings.K12_UPLOAD_LIMITS = {"video": 1024}
    client.force_login(teacher)
    response = _upload(client, file=SimpleUploadedFile("big.mp4", mp4_bytes()))
    assert response.status_code == 422
    assert "文件太大" in response.content.decode()


def test_api_upload_answers_field_errors(client: Any, teacher: Any) -> None:
    client.force_login(teacher)
    response = client.post(
        "/api/v1/k12/resources",
        {"kind": "document", "title": "学案", "file": SimpleUploadedFile("x.pdf", mp4_bytes())},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid" and "file" in body["fields"]
    good = client.post(
        "/api/v1/k12/resources",
        {"kind": "document", "title": "学案", "file": SimpleUploadedFile("x.pdf", pdf_bytes())},
    )
    assert good.status_code == 201 and good.json()["status"] == "draft"


@pytest.mark.parametrize("role", ["student", "parent", "district_staff", "recruiter"])
def test_roles_that_may_not_upload_are_refused(client: Any, users: dict[str, Any], role: str) -> None:
    client.force_login(users[role])
    assert client.get("/k12/upload/").status_code == 403
    response = client.post("/api/v1/k12/resources", {"kind": "link", "title": "x", "url": "https://example.org/"})
    assert response.status_code == 403


def test_review_workflow_with_reasons(client: Any, teacher: Any, platform_admin: Any, lesson: Lesson) -> None:
    draft = make_resource(lesson=lesson, status=Resource.Status.DRAFT, owner=teacher)
    client.force_login(teacher)
    assert client.post(f"/k12/resources/{draft.pk}/submit").status_code == 302
    draft.refresh_from_db()
    assert draft.status == Resource.Status.REVIEW
    client.force_login(platform_admin)
    empty = client.post(f"/api/v1/k12/resources/{draft.pk}/reject", {"reason": ""}, content_type="application/json")
    assert empty.status_code == 422
    rejected = client.post(
        f"/api/v1/k12/resources/{draft.pk}/reject", {"reason": "画面不清晰"}, content_type="application/json"
    )
    assert rejected.json()["status"] == "draft"
    draft.refresh_from_db()
    assert draft.review_note == "画面不清晰"
    client.force_login(teacher)
    assert "画面不清晰" in client.get("/k12/mine/").content.decode()
    client.post(f"/api/v1/k12/resources/{draft.pk}/submit", content_type="application/json")
    client.force_login(platform_admin)
    published = client.post(f"/api/v1/k12/resources/{draft.pk}/publish", content_type="application/json")
    assert published.json()["status"] == "published"
    withdrawn = client.post(
        f"/api/v1/k12/resources/{draft.pk}/withdraw", {"reason": "版权到期"}, content_type="application/json"
    )
    assert withdrawn.json()["status"] == "withdrawn"
    again = client.post(
        f"/api/v1/k12/resources/{draft.pk}/withdraw", {"reason": "再撤回"}, content_type="application/json"
    )
    assert again.status_code == 409 and again.json()["code"] == "invalid_status"
    actions = list(AuditLog.objects.filter(object_id=str(draft.pk)).values_list("action", flat=True))
    assert {"k12.resource.submit", "k12.resource.reject", "k12.resource.publish", "k12.resource.withdraw"} <= set(
        actions
    )


@pytest.mark.parametrize("role", ["teacher", "student", "district_staff", "school_admin"])
def test_only_staff_review(client: Any, users: dict[str, Any], role: str, lesson: Lesson) -> None:
    pending = make_resource(lesson=lesson, status=Resource.Status.REVIEW, owner=users["teacher"])
    client.force_login(users[role])
    assert client.get("/k12/review/").status_code == 403
    response = client.post(f"/api/v1/k12/resources/{pending.pk}/publish", content_type="application/json")
    assert response.status_code in (403, 404)
    pending.refresh_from_db()
    assert pending.status == Resource.Status.REVIEW


def test_staff_review_page_lists_pending_resources(client: Any, platform_admin: Any, lesson: Lesson) -> None:
    make_resource(lesson=lesson, status=Resource.Status.REVIEW, title="等待审核的微课")
    client.force_login(platform_admin)
    html = client.get("/k12/review/").content.decode()
    assert "等待审核的微课" in html and "通过并发布" in html
