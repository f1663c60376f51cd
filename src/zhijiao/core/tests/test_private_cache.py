"""Nothing answered to a signed-in person is kept by a browser or a shared proxy (core.middleware)."""

import pytest

from zhijiao.accounts import services as accounts

pytestmark = pytest.mark.django_db


def _policy(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/me/",  # profile: name, phone, identity
        "/notifications/",
        "/courses/mine/",
        "/hall/mine/",
        "/employment/me/",
        "/k12/",  # a public page, but drawn with the person's name in the header
    ],
)
def test_pages_for_a_signed_in_person_are_private_and_not_stored(client, student, path):
    client.force_login(student)
    response = client.get(path)
    assert response.status_code == 200, path
    assert {"private", "no-store"} <= _policy(response), (path, response["Cache-Control"])
    assert "public" not in _policy(response)


def test_an_answer_to_an_api_token_is_not_stored(client, student):
    _token, raw = accounts.token_create(user=student, name="对接", scopes=["read"])
    response = client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert {"private", "no-store"} <= _policy(response)


def test_a_redirect_after_a_signed_in_post_is_not_stored(client, student):
    client.force_login(student)
    response = client.post("/accounts/me/tokens/", {"action": "create", "name": "对接", "scopes": ["read"]})
    assert "no-store" in _policy(response)


def test_public_pages_for_visitors_keep_their_own_policy(client):
    response = client.get("/k12/")
    assert response.status_code == 200
    assert "no-store" not in _policy(response)
    assert "Set-Cookie" not in response.headers  # no session was made to decide


def test_a_view_that_forbids_storing_keeps_its_own_words(client, student):
    client.force_login(student)
    response = client.get("/accounts/me/identity/")  # never_cache: max-age=0, no-cache, no-store, …
    assert {"no-store", "no-cache", "private"} <= _policy(response)
