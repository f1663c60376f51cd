"""Session and token authentication of the API: 401 without either, CSRF on session writes, token scopes."""

import hashlib
import secrets
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from zhijiao.accounts.models import ApiToken, User
from zhijiao.accounts.tests.factories import make_user

pytestmark = [pytest.mark.urls("zhijiao.core.tests.test_api_errors"), pytest.mark.django_db]


def make_token(user: User, scopes: list[str], **fields: Any) -> str:
    raw = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user,
        name="集成",
        prefix=raw[:8],
        key_hash=hashlib.sha256(raw.encode()).hexdigest(),
        scopes=scopes,
        **fields,
    )
    return raw


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def person() -> User:
    return make_user(display_name="王老师")


def test_without_credentials_is_401_in_the_error_shape(client):
    for response in (client.get("/probe/private"), client.post("/probe/private")):
        assert response.status_code == 401
        assert response.json()["code"] == "unauthenticated"
        assert set(response.json()) == {"code", "message", "fields"}
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_unknown_revoked_and_expired_tokens_are_401(client, person):
    revoked = make_token(person, ["read"], revoked_at=timezone.now())
    expired = make_token(person, ["read"], expires_at=timezone.now() - timedelta(minutes=1))
    for raw in ("not-a-token", revoked, expired, "x" * 500):
        response = client.get("/probe/private", headers=bearer(raw))
        assert response.status_code == 401, raw
        assert response.json()["code"] == "unauthenticated"


def test_token_of_an_inactive_user_is_401(client, person):
    raw = make_token(person, ["read", "write"])
    person.is_active = False
    person.save()
    assert client.get("/probe/private", headers=bearer(raw)).status_code == 401


def test_read_token_reads(client, person):
    raw = make_token(person, ["read"])
    response = client.get("/probe/private", headers=bearer(raw))
    assert response.status_code == 200
    assert response.json() == {"user": person.pk, "scopes": ["read"]}


def test_read_only_token_cannot_write(client, person):
    raw = make_token(person, ["read"])
    response = client.post("/probe/private", headers=bearer(raw))
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "forbidden"
    assert set(body) == {"code", "message", "fields"}


def test_write_token_writes_and_reads(client, person):
    raw = make_token(person, ["write"])
    assert client.post("/probe/private", headers=bearer(raw)).status_code == 200
    # write includes read: a token that may change something may look at it
    assert client.get("/probe/private", headers=bearer(raw)).status_code == 200


def test_require_scope_refuses_a_token_without_it(client, person):
    assert client.get("/probe/needs-write", headers=bearer(make_token(person, ["read"]))).status_code == 403
    assert client.get("/probe/needs-write", headers=bearer(make_token(person, ["read", "write"]))).status_code == 200


def test_tokens_need_no_csrf(person):
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post("/probe/private", headers=bearer(make_token(person, ["write"])))
    assert response.status_code == 200
    assert response.json() == {"user": person.pk}


def test_session_reads_without_csrf_but_writes_need_it(person):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(person)
    assert csrf_client.get("/probe/private").json() == {"user": person.pk, "scopes": None}

    refused = csrf_client.post("/probe/private")
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"

    secret = secrets.token_hex(16)  # 32 characters, the length of Django's CSRF secret
    csrf_client.cookies["csrftoken"] = secret
    accepted = csrf_client.post("/probe/private", HTTP_X_CSRFTOKEN=secret)
    assert accepted.status_code == 200
    assert accepted.json() == {"user": person.pk}


def test_session_users_pass_scope_checks(client, person):
    client.force_login(person)
    assert client.get("/probe/needs-write").status_code == 200


def test_a_wrong_token_never_falls_back_to_the_session(client, person):
    revoked = make_token(person, ["read", "write"], revoked_at=timezone.now())
    client.force_login(person)
    # A request that presents a token is judged by the token alone, whatever cookie rides along.
    for raw in ("wrong", revoked):
        response = client.get("/probe/private", headers=bearer(raw))
        assert response.status_code == 401
        assert response.json()["code"] == "unauthenticated"


def test_real_api_accepts_tokens_on_protected_routes(client, person):
    raw = make_token(person, ["read"])
    assert client.get("/api/v1/accounts/me").status_code == 401
    response = client.get("/api/v1/accounts/me", headers=bearer(raw))
    assert response.status_code == 200
    assert response.json()["id"] == person.pk
