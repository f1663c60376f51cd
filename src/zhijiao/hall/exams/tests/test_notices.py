"""Exam notices: officers publish (with checked attachments), the public reads lists filtered by province and year."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from zhijiao.core.models import AuditLog
from zhijiao.hall.exams import services
from zhijiao.hall.exams.models import ExamNotice
from zhijiao.orgs.models import Region
from zhijiao.orgs.tests.factories import make_region

from .factories import xlsx_bytes

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def provinces(db: None) -> None:
    make_region()
    Region.objects.get_or_create(code="310000", defaults={"name": "上海市", "level": 1})


def test_officer_publishes_and_public_filters(client: Any, hall_officer: Any, provinces: None) -> None:
    client.force_login(hall_officer)
    for province, year in (("110000", 2026), ("310000", 2026), (None, 2025)):
        response = client.post(
            "/api/v1/hall/notices",
            {
                "title": f"{year}年普通高校招生政策",
                "kind": "policy",
                "province": province,
                "year": year,
                "body": "正文",
                "publish": True,
            },
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
    client.logout()
    beijing = client.get("/api/v1/hall/notices", {"province": "110000"}).json()
    assert beijing["count"] == 2  # Beijing's and the nationwide one
    assert client.get("/api/v1/hall/notices", {"year": 2025}).json()["count"] == 1
    page = client.get("/hall/notices/", {"province": "310000", "year": 2026})
    assert page.status_code == 200
    assert page.content.decode().count("普通高校招生政策") == 1
    assert AuditLog.objects.filter(action="exams.notice.create").count() == 3


def test_notice_list_queries_are_bounded(
    client: Any, hall_officer: Any, provinces: None, django_assert_max_num_queries: Any
) -> None:
    for n in range(15):
        services.notice_create(
            actor=hall_officer,
            title=f"公告{n}",
            kind="notice",
            year=2026,
            body="x",
            province_code="110000",
            publish=True,
        )
    with django_assert_max_num_queries(8):
        assert client.get("/hall/notices/").status_code == 200


def test_drafts_are_hidden_from_the_public(client: Any, hall_officer: Any, provinces: None) -> None:
    draft = services.notice_create(actor=hall_officer, title="草稿公告", kind="notice", year=2026, body="x")
    assert client.get(f"/hall/notices/{draft.pk}/").status_code == 404
    assert client.get(f"/api/v1/hall/notices/{draft.pk}").status_code == 404
    client.force_login(hall_officer)
    assert client.get(f"/hall/notices/{draft.pk}/").status_code == 200


@pytest.mark.parametrize("role", ["student", "teacher", "recruiter", "employment_staff"])
def test_other_roles_cannot_publish(client: Any, users: dict[str, Any], role: str) -> None:
    client.force_login(users[role])
    response = client.post(
        "/api/v1/hall/notices",
        {"title": "冒充公告", "kind": "notice", "year": 2026, "body": "x", "publish": True},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not ExamNotice.objects.exists()


def test_attachments_checked_by_content(client: Any, hall_officer: Any, provinces: None) -> None:
    notice = services.notice_create(
        actor=hall_officer, title="报名通知", kind="notice", year=2026, body="x", publish=True
    )
    good = services.attachment_add(actor=hall_officer, notice=notice, upload=SimpleUploadedFile("政策.pdf", PDF))
    assert good.mime_type == "application/pdf"
    sheet = services.attachment_add(
        actor=hall_officer, notice=notice, upload=SimpleUploadedFile("名额.xlsx", xlsx_bytes(["a"], [["b"]]))
    )
    assert sheet.mime_type.endswith("spreadsheetml.sheet")
    for name, data in (
        ("fake.pdf", b"MZ\x90\x00 not a pdf"),
        ("sheet.docx", xlsx_bytes(["a"], [["b"]])),
        ("run.exe", b"MZ"),
    ):
        with pytest.raises(ValidationError):
            services.attachment_add(actor=hall_officer, notice=notice, upload=SimpleUploadedFile(name, data))
    response = client.get(f"/hall/attachments/{good.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert notice.attachments.count() == 2


def test_oversized_attachment_refused(settings: Any, hall_officer: Any, provinces: None) -> None:
    settings.HALL_ATTACHMENT_MAX_BYTES = 100
    notice = services.notice_create(
        actor=hall_officer, title="报名通知", kind="notice", year=2026, body="x", publish=True
    )
    with pytest.raises(ValidationError) as caught:
        services.attachment_add(
            actor=hall_officer, notice=notice, upload=SimpleUploadedFile("big.pdf", PDF + b"0" * 200)
        )
    assert "太大" in str(caught.value)


def test_non_officer_cannot_attach(teacher: Any, hall_officer: Any, provinces: None) -> None:
    from django.core.exceptions import PermissionDenied

    notice = services.notice_create(
        actor=hall_officer, title="报名通知", kind="notice", year=2026, body="x", publish=True
    )
    with pytest.raises(PermissionDenied):
        services.attachment_add(actor=teacher, notice=notice, upload=SimpleUploadedFile("a.pdf", PDF))


def test_hall_landing_links_every_service(client: Any) -> None:
    html = client.get("/hall/").content.decode()
    for zone in ("考试服务", "学历学位", "留学服务"):
        assert zone in html
    for href in (
        "/hall/notices/",
        "/hall/special-lists/",
        "/hall/scores/",
        "/hall/degrees/",
        "/verify/",
        "/hall/abroad/",
    ):
        assert f'href="{href}"' in html
