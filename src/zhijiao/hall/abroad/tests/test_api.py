"""The study-abroad API: services, create/update/upload/submit, the officers' queue and decisions, one error shape."""

from typing import Any, get_args

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zhijiao.hall.abroad.models import Application, Service, Status
from zhijiao.hall.abroad.schemas import ServiceKey

from .factories import DATA, make_application, pdf_bytes

pytestmark = pytest.mark.django_db
API = "/api/v1/abroad"


def test_services_describe_fields_and_documents(client: Client) -> None:
    services = client.get(f"{API}/services").json()
    assert [s["key"] for s in services] == ["degree", "dispatch", "archive", "returnee"]
    degree = services[0]
    assert [d["kind"] for d in degree["documents"]] == ["diploma", "transcript", "passport"]
    assert {"name": "awarded_on", "label": "学位授予日期", "stage": 1, "required": True} in degree["fields"]


def test_applicant_creates_uploads_and_submits(client: Client, applicant: Any) -> None:
    client.force_login(applicant)
    created = client.post(
        f"{API}/applications", {"service": "degree", "data": {"country": "英国"}}, content_type="application/json"
    )
    assert created.status_code == 201
    application_id = created.json()["id"]
    assert created.json()["status"] == "draft" and created.json()["actions"] == ["submit", "withdraw"]

    patched = client.patch(
        f"{API}/applications/{application_id}", {"data": DATA[Service.DEGREE]}, content_type="application/json"
    )
    assert patched.status_code == 200 and patched.json()["data"]["institution"] == "伦敦大学学院"

    early = client.post(f"{API}/applications/{application_id}/submit")
    assert early.status_code == 422
    assert early.json()["code"] == "invalid"
    assert "成绩单" in early.json()["fields"]["documents"][0]

    bad = client.post(
        f"{API}/applications/{application_id}/documents",
        {"kind": "diploma", "file": SimpleUploadedFile("diploma.pdf", b"GIF89a not a pdf")},
    )
    assert bad.status_code == 422 and "只接受" in bad.json()["fields"]["file"][0]
    wrong_kind = client.post(
        f"{API}/applications/{application_id}/documents",
        {"kind": "visa", "file": SimpleUploadedFile("visa.pdf", pdf_bytes())},
    )
    assert wrong_kind.status_code == 422 and "kind" in wrong_kind.json()["fields"]
    for kind in ("diploma", "transcript", "passport"):
        uploaded = client.post(
            f"{API}/applications/{application_id}/documents",
            {"kind": kind, "file": SimpleUploadedFile(f"{kind}.pdf", pdf_bytes())},
        )
        assert uploaded.status_code == 201
        assert uploaded.json()["content_type"] == "application/pdf"
    submitted = client.post(f"{API}/applications/{application_id}/submit")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert [h["to_status"] for h in submitted.json()["history"]] == ["draft", "submitted"]

    again = client.patch(f"{API}/applications/{application_id}", {"data": {}}, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "not_editable"

    mine = client.get(f"{API}/applications").json()
    assert mine["count"] == 1 and mine["items"][0]["document_count"] == 3


def test_unknown_service_is_a_field_error(client: Client, applicant: Any) -> None:
    client.force_login(applicant)
    response = client.post(f"{API}/applications", {"service": "visa"}, content_type="application/json")
    assert response.status_code == 422
    assert "degree" in response.json()["fields"]["service"][0]  # the message lists the services


def test_the_api_names_exactly_the_services():
    assert set(get_args(ServiceKey)) == set(Service.values)


def test_others_and_anonymous_are_refused(client: Client, applicant: Any, other_applicant: Any) -> None:
    application = make_application(applicant, Service.ARCHIVE, submit=False)
    assert client.get(f"{API}/applications/{application.pk}").status_code == 401
    client.force_login(other_applicant)
    assert client.get(f"{API}/applications/{application.pk}").status_code == 404
    assert (
        client.patch(f"{API}/applications/{application.pk}", {"data": {}}, content_type="application/json").status_code
        == 404
    )
    assert client.post(f"{API}/applications/{application.pk}/submit").status_code == 404
    upload = client.post(
        f"{API}/applications/{application.pk}/documents",
        {"kind": "admission_letter", "file": SimpleUploadedFile("a.pdf", pdf_bytes())},
    )
    assert upload.status_code == 404
    assert client.get(f"{API}/queue").status_code == 404
    assert (
        client.post(
            f"{API}/applications/{application.pk}/decide", {"action": "approve"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"{API}/queue/bulk", {"ids": [application.pk], "action": "approve"}, content_type="application/json"
        ).status_code
        == 404
    )


def test_officer_queue_decide_and_bulk(client: Client, applicant: Any, officer: Any) -> None:
    archive = make_application(applicant, Service.ARCHIVE)
    returnee = make_application(applicant, Service.RETURNEE)
    client.force_login(officer)
    queue = client.get(f"{API}/queue", {"service": "archive"}).json()
    assert [row["id"] for row in queue["items"]] == [archive.pk]
    bad = client.get(f"{API}/queue", {"status": "lost"})
    assert bad.status_code == 422 and "status" in bad.json()["fields"]

    missing = client.post(
        f"{API}/applications/{archive.pk}/decide", {"action": "reject"}, content_type="application/json"
    )
    assert missing.status_code == 422 and missing.json()["fields"]["reason"] == ["请写明不通过的理由"]
    approved = client.post(
        f"{API}/applications/{archive.pk}/decide", {"action": "approve"}, content_type="application/json"
    )
    assert approved.status_code == 200 and approved.json()["status"] == "archived"

    bulk = client.post(
        f"{API}/queue/bulk", {"ids": [archive.pk, returnee.pk], "action": "receive"}, content_type="application/json"
    ).json()
    assert bulk["done"] == [returnee.pk]
    assert bulk["failed"][0]["id"] == archive.pk
    assert Application.objects.get(pk=returnee.pk).status == Status.RECEIVED
