"""The project's versions of Django's middleware behave as Django's do where a user would notice."""

from typing import Any

import pytest
from django.test import override_settings
from django.utils.csp import CSP

pytestmark = pytest.mark.django_db


def test_a_message_set_before_a_redirect_shows_on_the_next_page(client: Any, student: Any) -> None:
    client.force_login(student)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "您已安全退出" in page.content.decode()
    # shown once: the storage was saved after being read
    assert "您已安全退出" not in client.get(response["Location"]).content.decode()


def test_an_api_call_touches_no_message_storage(client: Any) -> None:
    response = client.get("/api/v1/hall/sittings")
    assert response.status_code == 200
    assert "messages" not in response.cookies


def test_every_page_and_api_answer_carries_the_configured_policy(client: Any) -> None:
    expected = "default-src 'self'"
    for url in ("/", "/api/v1/hall/sittings", "/hall/scores/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert expected in response["Content-Security-Policy"], url
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"], url


def test_a_changed_policy_is_sent_at_once(client: Any) -> None:
    assert "img-src" in client.get("/").get("Content-Security-Policy", "")
    with override_settings(SECURE_CSP={"default-src": [CSP.SELF], "script-src": [CSP.SELF, "https://cdn.example"]}):
        policy = client.get("/")["Content-Security-Policy"]
    assert policy == "default-src 'self'; script-src 'self' https://cdn.example"
    assert client.get("/")["Content-Security-Policy"].startswith("default-src 'self'; script-src 'self'; style-src")


def test_a_missing_slash_still_redirects_but_a_view_404_does_not(client: Any) -> None:
    response = client.get("/hall/scores")
    assert response.status_code == 301
    assert response["Location"] == "/hall/scores/"
    missing = client.get("/api/v1/hall/notices/999999")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"
    assert client.get("/verify/ABCDEFGHJKMNPQRSTUVW").status_code == 404


def test_a_nul_in_the_address_is_refused_before_any_view_reads_it(client: Any) -> None:
    page = client.get("/search/?q=a%00b")
    assert page.status_code == 400 and "控制字符" in page.content.decode()
    api = client.get("/api/v1/orgs/regions/a%00b")
    assert api.status_code == 400 and api.json()["code"] == "bad_request"
    assert client.get("/search/?q=数学").status_code == 200
