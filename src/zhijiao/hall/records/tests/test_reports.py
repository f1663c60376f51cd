"""Holders see their matching records, make verification reports, extend and revoke them; anyone verifies a code."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from zhijiao.core.models import AuditLog
from zhijiao.credentials import vc
from zhijiao.credentials.codes import ALPHABET, format_code, new_code
from zhijiao.credentials.models import Credential
from zhijiao.hall.records import selectors, services
from zhijiao.hall.records.models import VerificationReport

from .factories import make_holder, make_id_number, make_record

pytestmark = pytest.mark.django_db


def _create(client: Any, record: Any, days: int = 30) -> Any:
    return client.post(
        "/api/v1/credentials/reports", {"record_id": record.pk, "days": days}, content_type="application/json"
    )


def test_codes_are_long_unambiguous_and_random() -> None:
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(code) >= 16 and set(code) <= set(ALPHABET) for code in codes)
    assert not set(ALPHABET) & set("0O1IL")
    import math

    assert len(next(iter(codes))) * math.log2(len(ALPHABET)) >= 80


def test_holder_sees_matching_records(client: Any, holder_user: Any, record: Any, university: Any) -> None:
    make_record(university, name="陈思远", id_number=make_id_number())  # same name, other person
    client.force_login(holder_user)
    page = client.get("/hall/degrees/")
    assert page.status_code == 200
    assert record.certificate_number in page.content.decode()
    assert [r["id"] for r in client.get("/api/v1/credentials/records").json()] == [record.pk]


def test_name_must_match_as_well(client: Any, university: Any) -> None:
    user, number = make_holder("陈思远")
    make_record(university, name="陈思源", id_number=number)
    client.force_login(user)
    assert client.get("/api/v1/credentials/records").json() == []
    assert "没有找到与您的实名信息" in client.get("/hall/degrees/").content.decode()


def test_without_identity_the_page_says_how_to_verify(client: Any, student: Any) -> None:
    client.force_login(student)
    page = client.get("/hall/degrees/").content.decode()
    assert "实名认证" in page and "/accounts/me/identity/" in page


def test_create_report_and_verify_it(client: Any, holder_user: Any, record: Any) -> None:
    client.force_login(holder_user)
    response = _create(client, record, 30)
    assert response.status_code == 201, response.content
    body = response.json()
    code = body["code"].replace("-", "")
    assert re.fullmatch(r"([2-9A-HJKMNP-Z]{4}-){4}[2-9A-HJKMNP-Z]{4}", body["code"])
    assert body["valid_until"] == (timezone.localdate() + timedelta(days=30)).isoformat()
    assert body["state"] == "active"
    client.logout()
    page = client.get(f"/verify/{code}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "陈*远" in html and "陈思远" not in html
    assert record.id_number_masked in html and record.id_number not in html
    assert record.certificate_number in html and "北京师范大学" in html
    assert page["Cache-Control"].startswith("public")
    # typed in lower case with dashes: the same report
    lowered = client.get(f"/verify/{format_code(code).lower()}", follow=True)
    assert lowered.status_code == 200 and "陈*远" in lowered.content.decode()
    form = client.get("/verify/", {"code": format_code(code).lower()}, follow=True)
    assert form.status_code == 200 and "陈*远" in form.content.decode()
    api = client.get(f"/api/v1/credentials/verify/{code.lower()}").json()
    assert api["holder_name"] == "陈*远" and api["kind"] == "academic"


def test_a_report_reads_as_a_report_on_the_verify_page(client: Any, holder_user: Any, record: Any) -> None:
    report = services.report_create(actor=holder_user, record_id=record.pk, days=30)
    html = client.get(f"/verify/{report.code}").content.decode()
    assert "验证通过：报告有效" in html and "报告生成日期" in html and "证书有效" not in html


def test_report_carries_a_signed_credential(client: Any, holder_user: Any, record: Any) -> None:
    report = services.report_create(actor=holder_user, record_id=record.pk, days=90)
    payload = vc.verify_vc_jwt(report.credential.jwt, vc.jwks())
    assert payload["credentialSubject"]["name"] == "陈思远"
    claims = {c["name"]: c["value"] for c in payload["credentialSubject"]["claims"]}
    assert claims["证书编号"] == record.certificate_number
    assert payload["validUntil"].startswith((timezone.localdate() + timedelta(days=90)).isoformat())


def test_verify_page_is_one_query_and_one_more_per_product_for_unknown_codes(
    client: Any, holder_user: Any, record: Any, django_assert_max_num_queries: Any
) -> None:
    report = services.report_create(actor=holder_user, record_id=record.pk, days=30)
    # +1: the address's verification limit, counted in the database without Redis (core.counters)
    with django_assert_max_num_queries(2):
        assert client.get(f"/verify/{report.code}").status_code == 200
    # A code nobody issued is also asked of each product with codes of its own (employment agreements).
    with django_assert_max_num_queries(3):
        assert client.get(f"/verify/{new_code()}").status_code == 404


def test_unknown_expired_and_revoked_codes_look_alike(client: Any, holder_user: Any, record: Any) -> None:
    revoked = services.report_create(actor=holder_user, record_id=record.pk, days=30)
    services.report_revoke(actor=holder_user, report_id=revoked.pk)
    expired = services.report_create(actor=holder_user, record_id=record.pk, days=30)
    Credential.objects.filter(pk=expired.credential_id).update(valid_until=timezone.localdate() - timedelta(days=1))
    codes = (revoked.code, expired.code, new_code(), "NOT-A-CODE")
    answers = [client.get(f"/verify/{code}") for code in codes]
    assert {a.status_code for a in answers} == {404}
    # The same page byte for byte: not even the address is echoed back.
    assert len({a.content for a in answers}) == 1
    assert all(code not in a.content.decode() for a, code in zip(answers, codes, strict=True))
    assert len({a["Cache-Control"] for a in answers}) == 1
    api = [client.get(f"/api/v1/credentials/verify/{code}") for code in (revoked.code, expired.code, new_code())]
    assert {a.status_code for a in api} == {404} and len({a.content for a in api}) == 1


def test_extend_re_signs_with_the_new_validity(client: Any, holder_user: Any, record: Any) -> None:
    client.force_login(holder_user)
    report_id = _create(client, record, 30).json()["id"]
    response = client.post(
        f"/api/v1/credentials/reports/{report_id}/extend", {"days": 90}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["valid_until"] == (timezone.localdate() + timedelta(days=120)).isoformat()
    report = VerificationReport.objects.select_related("credential").get(pk=report_id)
    assert vc.verify_vc_jwt(report.credential.jwt, vc.jwks())["validUntil"].startswith(
        (timezone.localdate() + timedelta(days=120)).isoformat()
    )
    assert AuditLog.objects.filter(action="credentials.report_extend").exists()


def test_extension_has_a_ceiling(client: Any, holder_user: Any, record: Any) -> None:
    client.force_login(holder_user)
    report_id = _create(client, record, 180).json()["id"]
    response = client.post(
        f"/api/v1/credentials/reports/{report_id}/extend", {"days": 180}, content_type="application/json"
    )
    first = response.json()["valid_until"]
    again = client.post(
        f"/api/v1/credentials/reports/{report_id}/extend", {"days": 180}, content_type="application/json"
    )
    assert again.status_code == 422 and again.json()["code"] == "too_long"
    assert str(VerificationReport.objects.get(pk=report_id).credential.valid_until) == first


def test_bad_days_are_refused(client: Any, holder_user: Any, record: Any) -> None:
    client.force_login(holder_user)
    response = _create(client, record, 45)
    assert response.status_code == 422 and "days" in response.json()["fields"]
    assert not VerificationReport.objects.exists()


def test_revoked_report_cannot_be_extended(client: Any, holder_user: Any, record: Any) -> None:
    client.force_login(holder_user)
    report_id = _create(client, record).json()["id"]
    revoked = client.post(f"/api/v1/credentials/reports/{report_id}/revoke", {}, content_type="application/json")
    assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"
    again = client.post(
        f"/api/v1/credentials/reports/{report_id}/extend", {"days": 30}, content_type="application/json"
    )
    assert again.status_code == 409 and again.json()["code"] == "report_revoked"


def test_report_pages(client: Any, holder_user: Any, record: Any) -> None:
    client.force_login(holder_user)
    response = client.post("/hall/degrees/reports/", {"record": record.pk, "days": 90}, follow=True)
    assert response.status_code == 200
    report = VerificationReport.objects.get()
    assert report.code_display in response.content.decode()
    client.post(f"/hall/degrees/reports/{report.pk}/extend/", {"days": 30})
    assert report.credential.__class__.objects.get(pk=report.credential_id).valid_until == timezone.localdate() + (
        timedelta(days=120)
    )
    client.post(f"/hall/degrees/reports/{report.pk}/revoke/")
    assert Credential.objects.get(pk=report.credential_id).is_revoked
    assert list(selectors.reports_of(holder_user)) == [report]


def test_another_holder_cannot_create_from_my_record(client: Any, record: Any) -> None:
    other, _ = make_holder("李娜")
    client.force_login(other)
    assert _create(client, record).status_code == 404
    assert client.post("/hall/degrees/reports/", {"record": record.pk, "days": 30}).status_code == 404
    assert not VerificationReport.objects.exists()


def test_another_holder_cannot_see_extend_or_revoke_my_report(client: Any, holder_user: Any, record: Any) -> None:
    report = services.report_create(actor=holder_user, record_id=record.pk, days=30)
    other, _ = make_holder("李娜")
    client.force_login(other)
    assert client.get(f"/api/v1/credentials/reports/{report.pk}").status_code == 404
    assert client.get(f"/hall/degrees/reports/{report.pk}/").status_code == 404
    assert client.get("/api/v1/credentials/reports").json() == []
    extend = client.post(
        f"/api/v1/credentials/reports/{report.pk}/extend", {"days": 30}, content_type="application/json"
    )
    assert extend.status_code == 404 and extend.json()["code"] == "not_found"
    revoke = client.post(f"/api/v1/credentials/reports/{report.pk}/revoke", {}, content_type="application/json")
    assert revoke.status_code == 404
    assert client.post(f"/hall/degrees/reports/{report.pk}/revoke/").status_code == 404
    report.credential.refresh_from_db()
    assert not Credential.objects.get(pk=report.credential_id).is_revoked
    assert Credential.objects.get(pk=report.credential_id).valid_until == timezone.localdate() + timedelta(days=30)


def test_registrar_revokes_a_report_of_their_university(
    client: Any, holder_user: Any, record: Any, registrar: Any
) -> None:
    report = services.report_create(actor=holder_user, record_id=record.pk, days=30)
    client.force_login(registrar)
    assert client.get("/hall/degrees/issued/").status_code == 200
    client.post(f"/hall/degrees/issued/{report.credential_id}/revoke/", {"reason": "学位被撤销"})
    credential = Credential.objects.get(pk=report.credential_id)
    assert credential.revocation.reason == "学位被撤销" and credential.revocation.revoked_by == registrar
    client.logout()
    assert client.get(f"/verify/{report.code}").status_code == 404


def test_verification_is_rate_limited(client: Any, settings: Any) -> None:
    settings.VERIFY_RATE_LIMIT = "3/min"
    answers = [client.get(f"/verify/{new_code()}").status_code for _ in range(4)]
    assert answers == [404, 404, 404, 429]
    limited = client.get(f"/verify/{new_code()}")
    assert limited.status_code == 429 and int(limited["Retry-After"]) >= 1
    assert "验证次数过多" in limited.content.decode() and "987654321" not in limited.content.decode()
    assert f"{limited['Retry-After']} 秒" in limited.content.decode()
    assert client.get(f"/api/v1/credentials/verify/{new_code()}").status_code == 429


def test_signed_in_visitors_get_a_private_page(client: Any, holder_user: Any, record: Any) -> None:
    report = services.report_create(actor=holder_user, record_id=record.pk, days=30)
    assert "public" in client.get(f"/verify/{report.code}")["Cache-Control"]
    client.force_login(holder_user)
    answer = client.get(f"/verify/{report.code}")
    assert answer.status_code == 200 and "private" in answer["Cache-Control"]


def test_published_keys_are_cacheable(client: Any) -> None:
    answer = client.get("/.well-known/jwks.json")
    assert answer.status_code == 200 and "max-age=3600" in answer["Cache-Control"]
    assert client.get("/.well-known/did.json")["Content-Type"] == "application/did+json"


def test_pages_drawn_once_carry_the_right_code(client: Any, holder_user: Any, record: Any) -> None:
    first = services.report_create(actor=holder_user, record_id=record.pk, days=30)
    second = services.report_create(actor=holder_user, record_id=record.pk, days=90)
    one = client.get(f"/verify/{first.code}").content.decode()
    two = client.get(f"/verify/{second.code}").content.decode()
    assert first.code_display in one and second.code_display not in one
    assert second.code_display in two and first.code_display not in two
    assert "ZJVERIFYCODEMARK" not in one + two and "zj-verify-result" not in one + two
    assert f"next=/verify/{second.code}" in two or f"next=%2Fverify%2F{second.code}" in two
