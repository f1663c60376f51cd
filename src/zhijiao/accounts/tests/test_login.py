"""Signing in and out through the pages: lockout, audit entries, safe redirects, idle sessions."""

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from zhijiao.accounts.tests.factories import PASSWORD, make_user
from zhijiao.core.models import AuditLog

pytestmark = pytest.mark.django_db


def login(client, login, password, **extra):
    return client.post("/accounts/login/", {"login": login, "password": password, **extra}, **extra.pop("meta", {}))


@pytest.fixture
def member():
    return make_user(phone="13812341234", email="member@example.cn")


def test_login_page_has_one_login_field_and_password(client):
    html = client.get("/accounts/login/").content.decode()
    assert "手机号或邮箱" in html
    assert 'name="login"' in html and 'name="password"' in html


@pytest.mark.parametrize("identifier", ["13812341234", "+86 138 1234 1234", "member@example.cn", "MEMBER@example.cn"])
def test_login_by_phone_or_email(client, member, identifier):
    response = login(client, identifier, PASSWORD)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == member.pk


def test_success_is_audited_with_masked_login(client, member):
    login(client, "13812341234", PASSWORD)
    entry = AuditLog.objects.get(action="auth.login")
    assert entry.result == "success"
    assert entry.actor_id == member.pk
    assert entry.detail == {"login": "138****1234"}
    assert entry.ip_hash


def test_failure_is_audited_without_password(client, member):
    response = login(client, "13812341234", "wrong-password-123")
    assert response.status_code == 400
    assert "不正确" in response.content.decode()
    entry = AuditLog.objects.get(action="auth.login")
    assert entry.result == "failure"
    assert entry.actor_id is None
    assert entry.actor_label == "138****1234"
    stored = str(entry.detail) + entry.actor_label + entry.object_repr
    assert "wrong-password" not in stored and "13812341234" not in stored


def test_unknown_account_answers_like_a_wrong_password(client, member):
    unknown = login(client, "13900000000", PASSWORD)
    wrong = login(client, "13812341234", "nope-nope-nope")
    assert unknown.status_code == wrong.status_code == 400
    assert unknown.context["form"].non_field_errors() == wrong.context["form"].non_field_errors()


def test_lockout_after_limit_refuses_even_the_right_password(client, member, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(2):
        assert login(client, "13812341234", "bad-password-1").status_code == 400
    third = login(client, "13812341234", "bad-password-1")
    assert third.status_code == 429
    assert "分钟后再试" in third.content.decode()
    locked_right = login(client, "+86 13812341234", PASSWORD)
    locked_wrong = login(client, "13812341234", "bad-password-1")
    assert locked_right.status_code == locked_wrong.status_code == 429
    assert locked_right.context["form"].non_field_errors() == locked_wrong.context["form"].non_field_errors()
    assert "15 分钟" in locked_right.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditLog.objects.filter(action="auth.login", result="denied").count() == 2


def test_lockout_ends_after_the_window(client, member, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    login(client, "13812341234", "bad-password-1")
    login(client, "13812341234", "bad-password-1")
    later = timezone.now().timestamp() + settings.LOGIN_FAILURE_WINDOW_SECONDS + 1
    with mock.patch("zhijiao.accounts.selectors.time.time", return_value=later):
        assert login(client, "13812341234", PASSWORD).status_code == 302


def test_lockout_counts_per_client_address_across_accounts(client, settings):
    settings.LOGIN_FAILURE_IP_LIMIT = 3
    for n in range(3):
        make_user(phone=f"1381234000{n}")
        client.post("/accounts/login/", {"login": f"1381234000{n}", "password": "bad-password-1"})
    other = make_user(phone="13812349999")
    response = client.post("/accounts/login/", {"login": "13812349999", "password": PASSWORD})
    assert response.status_code == 429
    # The same account from another address is not locked: the lock was on the address.
    response = client.post("/accounts/login/", {"login": "13812349999", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == other.pk


def test_next_is_respected_only_for_this_site(client, member):
    inside = client.post("/accounts/login/?next=/accounts/me/tokens/", {"login": "13812341234", "password": PASSWORD})
    assert inside["Location"] == "/accounts/me/tokens/"
    client.logout()
    outside = client.post(
        "/accounts/login/?next=https://evil.example/steal", {"login": "13812341234", "password": PASSWORD}
    )
    assert outside["Location"] == "/"


def test_protected_page_sends_to_login_with_next(client):
    response = client.get("/accounts/me/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/accounts/me/")


def test_logout_is_post_only_and_audited(client, member):
    client.force_login(member)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert AuditLog.objects.filter(action="auth.logout", actor=member).exists()


def test_idle_session_is_refused_but_activity_keeps_it_alive(client, member, settings):
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    start = timezone.now()
    assert login(client, "13812341234", PASSWORD).status_code == 302

    def at(moment):
        return mock.patch("django.utils.timezone.now", return_value=moment)

    # Active every 2/3 of the idle limit: still signed in well past the limit counted from sign-in.
    for step in (1, 2, 3):
        with at(start + idle * step * 2 / 3):
            assert client.get("/accounts/me/").status_code == 200
    # Then idle for longer than the limit: the session is gone.
    with at(start + idle * 2 + idle + timedelta(seconds=5)):
        response = client.get("/accounts/me/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_active_session_is_renewed_every_few_minutes_not_on_every_request(client, member, settings):
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    start = timezone.now()
    assert login(client, "13812341234", PASSWORD).status_code == 302
    key = client.session.session_key

    def at(moment):
        return mock.patch("django.utils.timezone.now", return_value=moment)

    def expiry():
        return Session.objects.get(session_key=key).expire_date

    first = expiry()
    # Within a tenth of the idle limit: the page answers without writing the session or sending a new cookie.
    with at(start + idle / 20):
        response = client.get("/accounts/me/")
    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert expiry() == first
    # Past a tenth: the expiry moves forward and the browser gets the renewed cookie.
    with at(start + idle / 5):
        response = client.get("/accounts/me/")
    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME in response.cookies
    assert expiry() > first
