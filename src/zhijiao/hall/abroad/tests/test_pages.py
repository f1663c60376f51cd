"""The study-abroad pages as people use them: the services, an applicant's draft → upload → submit, the officers'
queue with filters, bulk actions and decisions; every protected page refused to the wrong person."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from zhijiao.core.models import AuditLog
from zhijiao.hall.abroad import services
from zhijiao.hall.abroad.models import Application, Service, Status

from .factories import DATA, make_applicant, make_application, pdf_bytes, pdf_upload

pytestmark = pytest.mark.django_db


def test_index_lists_the_four_services_and_what_they_need(client: Client) -> None:
    response = client.get("/hall/abroad/")
    assert response.status_code == 200
    text = response.content.decode()
    for label in ("国（境）外学历学位认证", "公派留学人员派出", "自费留学人员存档", "留学人员回国"):
        assert label in text
    for document in ("成绩单", "护照页", "录取（资助）通知书", "档案转递材料"):
        assert document in text


def test_applicant_starts_uploads_and_submits(client: Client, applicant: Any) -> None:
    client.force_login(applicant)
    response = client.post("/hall/abroad/start/degree/", DATA[Service.DEGREE])
    application = Application.objects.get(applicant=applicant)
    assert response.status_code == 302 and response["Location"] == f"/hall/abroad/applications/{application.pk}/edit/"

    edit = client.get(f"/hall/abroad/applications/{application.pk}/edit/")
    assert "还需上传：学位证书（毕业证书）、成绩单、护照页" in edit.content.decode()

    refused = client.post(
        f"/hall/abroad/applications/{application.pk}/documents/",
        {"kind": "diploma", "file": SimpleUploadedFile("diploma.pdf", b"MZ\x90\x00not a pdf")},
    )
    assert refused.status_code == 422
    assert "只接受 PDF、JPEG、PNG 文件" in refused.content.decode()
    assert not application.documents.exists()

    for kind in ("diploma", "transcript", "passport"):
        done = client.post(
            f"/hall/abroad/applications/{application.pk}/documents/",
            {"kind": kind, "file": SimpleUploadedFile(f"{kind}.pdf", pdf_bytes())},
        )
        assert done.status_code == 302
    response = client.post(f"/hall/abroad/applications/{application.pk}/submit/")
    assert response.status_code == 302
    detail = client.get(f"/hall/abroad/applications/{application.pk}/")
    assert '<span id="application-status" class="badge badge-notice">已提交</span>' in detail.content.decode()
    # The files are stored privately: under the private root, never under MEDIA_ROOT.
    stored = Path(application.documents.first().file.path)  # type: ignore[union-attr]
    assert not str(stored).startswith(str(Path(settings.MEDIA_ROOT).resolve()))


def test_oversized_upload_is_refused_with_a_clear_message(client: Client, applicant: Any, settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 2048
    application = make_application(applicant, Service.ARCHIVE, submit=False, documents=False)
    client.force_login(applicant)
    response = client.post(
        f"/hall/abroad/applications/{application.pk}/documents/",
        {"kind": "admission_letter", "file": SimpleUploadedFile("big.pdf", pdf_bytes() + b"0" * 4096)},
    )
    assert response.status_code == 422
    assert "文件太大" in response.content.decode() and "最大 2 KB" in response.content.decode()


def test_submit_with_missing_documents_says_what_is_missing(client: Client, applicant: Any) -> None:
    application = make_application(applicant, Service.ARCHIVE, submit=False, documents=False)
    client.force_login(applicant)
    response = client.post(f"/hall/abroad/applications/{application.pk}/submit/", follow=True)
    assert "还不能提交" in response.content.decode() and "录取通知书" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_wrong_person_gets_not_found_everywhere(client: Client, applicant: Any, other_applicant: Any) -> None:
    application = make_application(applicant, Service.DEGREE)
    document = application.documents.first()
    assert document is not None
    client.force_login(other_applicant)
    base = f"/hall/abroad/applications/{application.pk}"
    assert client.get(f"{base}/").status_code == 404
    assert client.get(f"{base}/edit/").status_code == 404
    assert client.post(f"{base}/edit/", {"country": "法国"}).status_code == 404
    assert client.post(f"{base}/submit/").status_code == 404
    assert client.post(f"{base}/withdraw/").status_code == 404
    assert client.post(f"{base}/documents/", {"kind": "diploma", "file": pdf_upload()}).status_code == 404
    assert client.get(f"{base}/documents/{document.pk}/").status_code == 404
    assert client.post(f"{base}/documents/{document.pk}/remove/").status_code == 404
    assert client.get(f"{base}/certificate.pdf").status_code == 404
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED and application.documents.count() == 3


def test_non_officers_are_refused_the_office(client: Client, applicant: Any, users: dict[str, Any]) -> None:
    application = make_application(applicant, Service.ARCHIVE)
    document = application.documents.first()
    assert document is not None
    for user in (applicant, users["employment_staff"], users["platform_admin"], users["district_staff"]):
        client.force_login(user)
        assert client.get("/hall/abroad/office/").status_code == 404
        assert client.get("/hall/abroad/office/archive/").status_code == 404
        assert client.get(f"/hall/abroad/office/applications/{application.pk}/").status_code == 404
        decided = client.post(f"/hall/abroad/office/applications/{application.pk}/decide/", {"action": "approve"})
        assert decided.status_code == 404
        bulk = client.post("/hall/abroad/office/bulk/", {"ids": [application.pk], "action": "approve"})
        assert bulk.status_code == 404
        checked = client.post(f"/hall/abroad/applications/{application.pk}/documents/{document.pk}/check/")
        assert checked.status_code == 404
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_anonymous_is_sent_to_sign_in(client: Client, applicant: Any) -> None:
    application = make_application(applicant, Service.ARCHIVE)
    for url in (f"/hall/abroad/applications/{application.pk}/", "/hall/abroad/office/", "/hall/abroad/start/degree/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_officer_reviews_downloads_and_decides(client: Client, applicant: Any, officer: Any) -> None:
    application = make_application(applicant, Service.RETURNEE)
    document = application.documents.first()
    assert document is not None
    client.force_login(officer)
    page = client.get(f"/hall/abroad/office/applications/{application.pk}/")
    assert page.status_code == 200
    assert "登记" in page.content.decode()
    download = client.get(f"/hall/abroad/applications/{application.pk}/documents/{document.pk}/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "private" in download["Cache-Control"]
    assert b"".join(download.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]

    refused = client.post(f"/hall/abroad/office/applications/{application.pk}/decide/", {"action": "reject"})
    assert refused.status_code == 422 and "请写明不通过的理由" in refused.content.decode()
    client.post(f"/hall/abroad/office/applications/{application.pk}/decide/", {"action": "approve"})
    client.post(f"/hall/abroad/office/applications/{application.pk}/decide/", {"action": "approve"})
    application.refresh_from_db()
    assert application.status == Status.PLACED
    client.force_login(applicant)
    letter = client.get(f"/hall/abroad/applications/{application.pk}/placement.pdf")
    assert letter.status_code == 200 and letter.content.startswith(b"%PDF")


def test_queue_filters(client: Client, officer: Any) -> None:
    wang = make_applicant("王小明")
    zhao = make_applicant("赵丽")
    degree = make_application(wang, Service.DEGREE)
    archive = make_application(zhao, Service.ARCHIVE)
    old = make_application(zhao, Service.RETURNEE)
    Application.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - timedelta(days=40))
    client.force_login(officer)

    def refs(query: str) -> set[str]:
        text = client.get(f"/hall/abroad/office/{query}").content.decode()
        return {a.reference for a in (degree, archive, old) if a.reference in text}

    assert refs("") == {degree.reference, archive.reference, old.reference}
    assert refs("degree/") == {degree.reference}
    assert refs("?service=archive") == {archive.reference}
    assert refs("?q=赵") == {archive.reference, old.reference}
    since = (timezone.localdate() - timedelta(days=7)).isoformat()
    assert refs(f"?submitted_from={since}") == {degree.reference, archive.reference}
    services.application_decide(actor=officer, application=archive, action="reject", reason="不符合条件")
    assert refs("?status=rejected") == {archive.reference}
    assert archive.reference not in client.get("/hall/abroad/office/").content.decode()


def test_bulk_action_reports_failures(client: Client, applicant: Any, officer: Any) -> None:
    first = make_application(applicant, Service.ARCHIVE)
    second = make_application(applicant, Service.ARCHIVE)
    services.application_decide(actor=officer, application=second, action="reject", reason="不符合条件")
    client.force_login(officer)
    response = client.post(
        "/hall/abroad/office/bulk/", {"ids": [first.pk, second.pk], "action": "receive"}, follow=True
    )
    text = response.content.decode()
    assert "已处理 1 份申请" in text
    assert f"{second.reference} 未处理" in text
    assert Application.objects.get(pk=first.pk).status == Status.RECEIVED
    assert AuditLog.objects.filter(action="abroad.application.receive", result="failure").count() == 1


def test_queue_and_my_applications_do_not_grow_queries(
    client: Client, applicant: Any, officer: Any, django_assert_max_num_queries: Any
) -> None:
    for index in range(12):
        make_application(applicant, list(Service)[index % 4])
    client.force_login(officer)
    with django_assert_max_num_queries(12):
        assert client.get("/hall/abroad/office/?status=all").status_code == 200
    client.force_login(applicant)
    with django_assert_max_num_queries(10):
        assert client.get("/hall/abroad/applications/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/hall/abroad/").status_code == 200


def test_applicant_downloads_the_certificate(
    client: Client, applicant: Any, other_applicant: Any, officer: Any
) -> None:
    application = make_application(applicant, Service.DEGREE)
    services.application_decide(actor=officer, application=application, action="approve")
    client.force_login(applicant)
    detail = client.get(f"/hall/abroad/applications/{application.pk}/").content.decode()
    assert "已认证" in detail and "下载认证书（PDF）" in detail
    pdf = client.get(f"/hall/abroad/applications/{application.pk}/certificate.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    vc = client.get(f"/hall/abroad/applications/{application.pk}/certificate.json")
    assert vc.status_code == 200 and vc.json()["jwt"].count(".") == 2
    api = client.get(f"/api/v1/abroad/applications/{application.pk}").json()
    assert api["certificate_code"]
    client.force_login(other_applicant)
    assert client.get(f"/hall/abroad/applications/{application.pk}/certificate.pdf").status_code == 404
    assert client.get(f"/hall/abroad/applications/{application.pk}/certificate.json").status_code == 404


@pytest.mark.parametrize("service", list(Service))
def test_every_state_renders_for_applicant_and_officer(
    client: Client, applicant: Any, officer: Any, service: str
) -> None:
    from .factories import DISPATCH_STAGE2, register_departure

    application = make_application(applicant, service)
    while True:
        client.force_login(applicant)
        assert client.get(f"/hall/abroad/applications/{application.pk}/").status_code == 200
        client.force_login(officer)
        assert client.get(f"/hall/abroad/office/applications/{application.pk}/").status_code == 200
        if application.status == Status.CONFIRMED:
            client.force_login(applicant)
            edit = client.get(f"/hall/abroad/applications/{application.pk}/edit/").content.decode()
            assert "派出前登记" in edit and "签证页" in edit
            assert DISPATCH_STAGE2["host_institution"] not in edit
            application = register_departure(applicant, application)
            continue
        if application.status in (Status.AUTHENTICATED, Status.DISPATCHED, Status.ARCHIVED, Status.PLACED):
            break
        application = services.application_decide(actor=officer, application=application, action="approve")


def test_admin_actions_use_the_same_services(client: Client, applicant: Any) -> None:
    from zhijiao.accounts.tests.factories import make_user

    admin = make_user(display_name="超级管理员", is_staff=True, is_superuser=True)
    first = make_application(applicant, Service.ARCHIVE)
    draft = make_application(applicant, Service.ARCHIVE, submit=False)
    client.force_login(admin)
    assert client.get("/admin/abroad/application/").status_code == 200
    assert client.get(f"/admin/abroad/application/{first.pk}/change/").status_code == 200
    response = client.post(
        "/admin/abroad/application/",
        {"action": "approve", "_selected_action": [first.pk, draft.pk]},
        follow=True,
    )
    assert "已处理 1 份申请" in response.content.decode()
    assert Application.objects.get(pk=first.pk).status == Status.ARCHIVED
    assert Application.objects.get(pk=draft.pk).status == Status.DRAFT
    assert AuditLog.objects.filter(action="abroad.application.approve", actor=admin).count() == 1


def test_queue_tabs_count_in_the_reader_language(client: Client, applicant: Any, officer: Any) -> None:
    make_application(applicant, Service.DEGREE)
    client.force_login(officer)
    assert "（1）</a>" in client.get("/hall/abroad/office/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/hall/abroad/office/").content.decode()
    assert " (1)</a>" in english and "（1）" not in english
