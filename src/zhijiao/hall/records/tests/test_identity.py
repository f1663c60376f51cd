"""Verification reports are issued to a verified real name, by the configured authority, never by the university."""

from typing import Any

import pytest

from zhijiao.accounts.tests.factories import make_user
from zhijiao.hall.records.models import VerificationReport

pytestmark = pytest.mark.django_db


def test_without_identity_the_page_says_how_to_complete_it_and_the_api_refuses(client: Any, record: Any) -> None:
    client.force_login(make_user(display_name="远远"))
    html = client.get("/hall/degrees/").content.decode()
    assert 'id="identity-needed"' in html
    assert 'href="/accounts/me/identity/?next=/hall/degrees/"' in html
    refused = client.post(
        "/api/v1/credentials/reports", {"record_id": record.pk, "days": 30}, content_type="application/json"
    )
    assert refused.status_code == 403 and refused.json()["code"] == "identity_required"
    assert "实名认证" in refused.json()["message"]
    assert not VerificationReport.objects.exists()


def test_the_report_names_the_holder_and_the_configured_authority(client: Any, holder_user: Any, record: Any) -> None:
    client.force_login(holder_user)
    made = client.post(
        "/api/v1/credentials/reports", {"record_id": record.pk, "days": 30}, content_type="application/json"
    )
    assert made.status_code == 201
    credential = VerificationReport.objects.get().credential
    assert credential.issuer_name == "教育部学生服务与素质发展中心（学信网）"
    assert credential.issuer_name != record.university.name
    assert credential.holder_name == "陈思远" and credential.holder_id_masked == holder_user.identity.id_number_masked
    page = client.get(f"/hall/degrees/reports/{VerificationReport.objects.get().pk}/").content.decode()
    assert "教育部学生服务与素质发展中心（学信网）" in page and holder_user.identity.id_number_masked in page
    verify = client.get(f"/verify/{credential.code}").content.decode()
    assert "教育部学生服务与素质发展中心（学信网）" in verify


def test_a_report_asked_for_in_english_is_still_an_official_chinese_document(
    client: Any, holder_user: Any, record: Any
) -> None:
    client.force_login(holder_user)
    made = client.post(
        "/api/v1/credentials/reports",
        {"record_id": record.pk, "days": 30},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert made.status_code == 201
    claims = dict(VerificationReport.objects.get().credential.claim_items)
    assert claims["院校"] == record.university.name and "专业" in claims
