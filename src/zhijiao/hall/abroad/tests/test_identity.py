"""Study-abroad documents are issued to a real name: no identity, no application; the authority comes from settings."""

from typing import Any

import pytest
from django.test import Client

from zhijiao.credentials.models import Credential
from zhijiao.hall.abroad import services
from zhijiao.hall.abroad.models import Application, Service, Status
from zhijiao.hall.abroad.pdf import placement_letter

from .factories import DATA, make_applicant, make_application

pytestmark = pytest.mark.django_db
API = "/api/v1/abroad"


@pytest.mark.parametrize("service", list(Service.values))
def test_a_person_without_identity_is_sent_to_complete_it_and_nothing_is_created(client: Client, service: str) -> None:
    nameless = make_applicant("小林", identity=False)
    client.force_login(nameless)
    start = f"/hall/abroad/start/{service}/"
    page = client.get(start)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="identity-needed"' in html and "请先完成实名认证" in html
    assert f'href="/accounts/me/identity/?next=/hall/abroad/start/{service}/"' in html
    assert "abroad-form" not in html  # no form to fill in for nothing
    assert client.post(start, DATA[service]).status_code == 403

    refused = client.post(f"{API}/applications", {"service": service, "data": {}}, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "identity_required" and "实名认证" in refused.json()["message"]
    assert not Application.objects.exists()


def test_the_refusal_reads_in_the_visitors_language(client: Client) -> None:
    client.force_login(make_applicant("小林", identity=False))
    refused = client.post(
        f"{API}/applications",
        {"service": "returnee", "data": {}},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert refused.status_code == 403 and refused.json()["code"] == "identity_required"
    assert "real-name verification" in refused.json()["message"]


def test_after_completing_identity_the_person_comes_back_to_the_service(client: Client) -> None:
    nameless = make_applicant("小林", identity=False)
    client.force_login(nameless)
    done = client.post(
        "/accounts/me/identity/?next=/hall/abroad/start/returnee/",
        {"real_name": "林晓", "id_number": "11010519491231002X", "next": "/hall/abroad/start/returnee/"},
    )
    assert done.status_code == 302 and done["Location"] == "/hall/abroad/start/returnee/"
    page = client.get("/hall/abroad/start/returnee/").content.decode()
    assert 'id="identity-needed"' not in page and "保存草稿" in page
    created = client.post(f"{API}/applications", {"service": "returnee", "data": {}}, content_type="application/json")
    assert created.status_code == 201 and created.json()["applicant_name"] == "林晓"


def test_the_identity_page_does_not_send_people_to_another_site(client: Client) -> None:
    client.force_login(make_applicant("小林", identity=False))
    done = client.post(
        "/accounts/me/identity/", {"real_name": "林晓", "id_number": "11010519491231002X", "next": "https://evil.test/"}
    )
    assert done.status_code == 302 and done["Location"] == "/accounts/me/identity/"


def test_a_draft_from_before_the_rule_can_be_neither_submitted_nor_approved(
    client: Client, applicant: Any, officer: Any
) -> None:
    """Applications made before identity was required (nickname only) never turn into a document."""
    nameless = make_applicant("小林", identity=False)
    legacy = Application.objects.create(
        service=Service.RETURNEE, applicant=nameless, applicant_name="小林", data=dict(DATA[Service.RETURNEE])
    )
    client.force_login(nameless)
    refused = client.post(f"{API}/applications/{legacy.pk}/submit")
    assert refused.status_code == 403 and refused.json()["code"] == "identity_required"

    Application.objects.filter(pk=legacy.pk).update(status=Status.REGISTERED)
    client.force_login(officer)
    approve = client.post(
        f"{API}/applications/{legacy.pk}/decide", {"action": "approve"}, content_type="application/json"
    )
    assert approve.status_code == 409 and approve.json()["code"] == "identity_required"
    legacy.refresh_from_db()
    assert legacy.status == Status.REGISTERED


def test_the_placement_letter_names_the_real_name_the_masked_id_and_the_authority(client: Client, officer: Any) -> None:
    returnee = make_applicant("王小明", display_name="明明")
    application = make_application(returnee, Service.RETURNEE)
    for _step in range(2):  # registered, then the letter
        application = services.application_decide(actor=officer, application=application, action="approve")
    assert application.status == Status.PLACED
    letter = placement_letter(application)
    masked = returnee.identity.id_number_masked
    assert f"王小明（身份证号码：{masked}）" in letter.body and "明明" not in letter.body
    assert masked.startswith("110108") and "*" in masked and returnee.identity.id_number not in letter.body
    assert letter.issuer == "教育部留学服务中心"
    client.force_login(returnee)
    pdf = client.get(f"/hall/abroad/applications/{application.pk}/placement.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_degree_certificate_names_the_authority_not_the_officers_agency(client: Client, officer: Any) -> None:
    holder = make_applicant("陈思远", display_name="远远")
    application = make_application(holder, Service.DEGREE)
    services.application_decide(actor=officer, application=application, action="approve")
    credential = Credential.objects.get()
    assert credential.issuer_name == "教育部留学服务中心"  # the officer belongs to 海淀区教育委员会
    assert credential.holder_name == "陈思远" and credential.holder_id_masked == holder.identity.id_number_masked
    client.force_login(holder)
    signed = client.get(f"/hall/abroad/applications/{application.pk}/certificate.json").json()
    assert signed["credential"]["issuer"]["name"] == "教育部留学服务中心"
    assert signed["credential"]["credentialSubject"]["name"] == "陈思远"
    verify = client.get(f"/verify/{credential.code}").content.decode()
    assert "教育部留学服务中心" in verify and "海淀区教育委员会" not in verify


def test_a_province_configures_its_own_authority(client: Client, officer: Any, settings: Any) -> None:
    settings.ISSUING_AUTHORITIES = {
        **settings.ISSUING_AUTHORITIES,
        "abroad.degree": {"zh": "某省留学服务中心", "en": "Provincial Study Abroad Service Center"},
    }
    application = make_application(make_applicant("陈思远"), Service.DEGREE)
    services.application_decide(actor=officer, application=application, action="approve")
    assert Credential.objects.get().issuer_name == "某省留学服务中心"
    assert "签发机构：某省留学服务中心" in client.get("/hall/abroad/").content.decode()
    english = client.get(f"{API}/services", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english[0]["authority"] == "Provincial Study Abroad Service Center"


def test_the_officer_sees_whom_the_documents_will_name(client: Any, officer: Any) -> None:
    holder = make_applicant("王小明", display_name="明明")
    application = make_application(holder, Service.RETURNEE)
    client.force_login(officer)
    page = client.get(f"/hall/abroad/office/applications/{application.pk}/").content.decode()
    assert "王小明" in page and f'id="applicant-id-number">{holder.identity.id_number_masked}<' in page
