"""Online signing: the accepted offer's three-party agreement, signed in turn with the password, voided by any
change, terminated with a reason, verified publicly by its code."""

import re

import pytest

from zhijiao.accounts.tests.factories import PASSWORD, make_user
from zhijiao.employment import selectors, services
from zhijiao.employment.models import Agreement, Application
from zhijiao.employment.tests.factories import make_employer, make_recruiter

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(graduate_user, resume, job, recruiter):
    application = services.application_submit(graduate=graduate_user, job=job, resume=resume)
    services.application_move(actor=recruiter, application=application, status=Application.Status.OFFER)
    services.application_respond(graduate=graduate_user, application=application, accept=True)
    return Agreement.objects.get()


def _sign(client, agreement, password=PASSWORD, sha=None):
    return client.post(
        f"/employment/agreements/{agreement.pk}/action/",
        {"action": "sign", "password": password, "confirm": "on", "text_sha256": sha or agreement.text_sha256},
    )


def test_accepting_an_offer_draws_up_the_agreement_with_the_parties_data(agreement, graduate, job):
    assert agreement.status == Agreement.Status.SIGNING
    assert graduate.real_name in agreement.text and job.employer.name in agreement.text
    assert graduate.university.name in agreement.text and job.title in agreement.text
    assert len(agreement.code) >= 16 and not set(agreement.code) & set("01OIL")


def test_three_parties_sign_in_turn_and_the_code_verifies(
    client, agreement, graduate_user, recruiter, employment_staff
):
    client.force_login(recruiter)
    early = _sign(client, agreement)
    assert early.status_code == 302 and not agreement.signatures.exists()
    client.force_login(graduate_user)
    wrong = _sign(client, agreement, password="wrong-password")
    assert wrong.status_code == 422 and "密码不正确" in wrong.content.decode()
    assert _sign(client, agreement).status_code == 302
    client.force_login(recruiter)
    assert _sign(client, agreement).status_code == 302
    client.force_login(employment_staff)
    assert _sign(client, agreement).status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED
    signatures = list(agreement.signatures.all())
    assert [s.party for s in signatures] == ["graduate", "employer", "university"]
    assert all(s.text_sha256 == selectors.text_sha256(agreement.text) for s in signatures)
    client.logout()
    # Agreements are checked at /verify/ like every code; the old addresses (printed on earlier PDFs) lead there.
    page = client.get(f"/employment/agreements/verify/{agreement.code}/", follow=True)
    assert page.redirect_chain == [(f"/verify/{agreement.code}", 301)]
    assert page.status_code == 200 and "已签署" in page.content.decode()
    assert "三方均已签署" in page.content.decode() and agreement.number in page.content.decode()
    typed = client.get("/verify/", {"code": "-".join(re.findall(".{1,4}", agreement.code.lower()))})
    assert typed.status_code == 302 and agreement.code in typed["Location"]
    api = client.get(f"/api/v1/employment/agreements/verify/{agreement.code}").json()
    assert api["status"] == "signed" and api["text_intact"] and all(s["valid"] for s in api["signatures"])
    assert client.get("/employment/agreements/verify/ABCDEFGHJKMNPQRS2345/", follow=True).status_code == 404
    client.force_login(graduate_user)
    pdf = client.get(f"/employment/agreements/{agreement.pk}/pdf/")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_a_change_after_a_signature_voids_it(client, agreement, graduate_user, recruiter):
    client.force_login(graduate_user)
    _sign(client, agreement)
    old_sha = agreement.text_sha256
    client.force_login(recruiter)
    client.post(f"/employment/agreements/{agreement.pk}/action/", {"action": "amend", "extra": "提供人才公寓"})
    agreement.refresh_from_db()
    assert agreement.text_sha256 != old_sha and "提供人才公寓" in agreement.text
    signature = agreement.signatures.get()
    assert signature.voided_at is not None and not selectors.signature_is_valid(agreement, signature)
    assert services.next_party(agreement) == "graduate"
    client.force_login(graduate_user)
    stale = _sign(client, agreement, sha=old_sha)
    assert stale.status_code == 302 and agreement.signatures.filter(voided_at__isnull=True).count() == 0
    assert _sign(client, agreement).status_code == 302
    assert agreement.signatures.filter(voided_at__isnull=True).count() == 1


def test_tampered_text_fails_verification(client, agreement, graduate_user):
    client.force_login(graduate_user)
    _sign(client, agreement)
    Agreement.objects.filter(pk=agreement.pk).update(text=agreement.text.replace("月薪", "年薪"))
    client.logout()
    api = client.get(f"/api/v1/employment/agreements/verify/{agreement.code}").json()
    assert api["text_intact"] is False and api["signatures"][0]["valid"] is False


def test_termination_needs_a_reason_and_shows_on_verification(client, agreement, recruiter):
    client.force_login(recruiter)
    refused = client.post(f"/employment/agreements/{agreement.pk}/action/", {"action": "terminate", "reason": ""})
    assert refused.status_code == 422
    client.post(
        f"/employment/agreements/{agreement.pk}/action/", {"action": "terminate", "reason": "岗位撤销，协商一致"}
    )
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.TERMINATED and agreement.termination_reason == "岗位撤销，协商一致"
    client.logout()
    terminated = client.get(f"/verify/{agreement.code}").content.decode()
    assert "协议已解约" in terminated and "岗位撤销" in terminated


def test_non_parties_cannot_see_or_sign(client, agreement, users, regions):
    outsiders = [make_user(), make_recruiter(make_employer()), users["student"], users["teacher"]]
    for outsider in outsiders:
        client.force_login(outsider)
        assert client.get(f"/employment/agreements/{agreement.pk}/").status_code == 404
        assert _sign(client, agreement).status_code == 404
        assert client.get(f"/employment/agreements/{agreement.pk}/pdf/").status_code == 404
    assert not agreement.signatures.exists()


def test_a_typed_code_of_the_wrong_shape_is_not_found(client, agreement):
    spaced = " ".join(re.findall(".{1,4}", agreement.code.lower()))
    typed = client.get("/employment/agreements/verify/", {"code": spaced}, follow=True)
    assert typed.status_code == 200 and typed.redirect_chain[-1][0] == f"/verify/{agreement.code}"
    for wrong in ("ABC", agreement.code[:-1], agreement.code + "2"):
        page = client.get("/verify/", {"code": wrong}, follow=True)
        assert page.status_code == 404 and "未找到有效的验证结果" in page.content.decode()
        assert client.get(f"/employment/agreements/verify/{wrong}/", follow=True).status_code == 404
        assert client.get(f"/api/v1/employment/agreements/verify/{wrong}").status_code == 404


def test_signing_is_audited_with_where_it_came_from(client, agreement, graduate_user):
    from zhijiao.core.models import AuditLog

    client.force_login(graduate_user)
    _sign(client, agreement)
    entry = AuditLog.objects.get(action="employment.agreement.sign")
    assert entry.result == "success" and entry.ip_hash


def test_the_report_deadline_is_never_already_past_when_the_agreement_is_drawn_up(agreement, graduate):
    from datetime import date, timedelta

    from django.utils import timezone

    today = timezone.localdate()
    deadline = date.fromisoformat(agreement.terms["report_by"])
    assert deadline >= today + timedelta(days=30)
    assert f"乙方应于 {deadline.isoformat()} 前报到" in agreement.text
    graduate.graduation_year = today.year + 1  # still at school: 31 July of the year they leave
    assert services.report_by(graduate, on=today) == date(today.year + 1, 7, 31)
    graduate.graduation_year = today.year - 1  # graduated last year (择业期) or back from study abroad
    assert services.report_by(graduate, on=today) == today + timedelta(days=30)


def test_agreement_checks_count_against_the_one_verification_limit(client, settings):
    from django.core.cache import cache

    cache.clear()
    settings.VERIFY_RATE_LIMIT = "2/min"
    api = "/api/v1/employment/agreements/verify/ABCDEFGHJKMNPQRS2345"
    assert [client.get(api).status_code for _ in range(2)] == [404, 404]
    limited = client.get(api)
    assert limited.status_code == 429 and limited.json()["code"] == "rate_limited" and limited["Retry-After"]
    # The old page address leads to /verify/, which counts with the same counter.
    assert client.get("/employment/agreements/verify/ABCDEFGHJKMNPQRS2345/", follow=True).status_code == 429
    cache.clear()
