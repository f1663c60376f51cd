"""The accounts API: sign-up, profile, identity and tokens, with the one error shape."""

import pytest

from zhijiao.accounts.models import ApiToken, Identity, User
from zhijiao.accounts.tests.factories import PASSWORD, make_user
from zhijiao.core.models import AuditLog

pytestmark = pytest.mark.django_db

ID_NUMBER = "11010519491231002X"


def api_post(client, path, data=None, **extra):
    return client.post(f"/api/v1/accounts{path}", data or {}, content_type="application/json", **extra)


def api_get(client, path, **extra):
    return client.get(f"/api/v1/accounts{path}", **extra)


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_register_through_api(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_post(
            client, "/register", {"phone": "13812341234", "password": "Qingshan#2026", "display_name": "小红"}
        )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["phone_masked"] == "138****1234"
    assert "13812341234" not in response.content.decode()
    assert User.objects.get().phone == "13812341234"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"phone": "12012341234", "password": "Qingshan#2026", "display_name": "小红"}, "phone"),
        ({"phone": "1381234123", "password": "Qingshan#2026", "display_name": "小红"}, "phone"),
        ({"phone": "13812341234", "password": "12345678", "display_name": "小红"}, "password"),
        ({"email": "bad@", "password": "Qingshan#2026", "display_name": "小红"}, "email"),
        ({"password": "Qingshan#2026", "display_name": "小红"}, "phone"),
        ({"phone": 13812341234, "password": "Qingshan#2026", "display_name": "小红"}, "phone"),
        ({"phone": "13812341234", "display_name": "小红"}, "password"),
        ({"phone": "13812341234", "password": "Qingshan#2026", "display_name": "名" * 51}, "display_name"),
    ],
)
def test_bad_registration_answers_field_errors_and_creates_nothing(client, payload, field):
    response = api_post(client, "/register", payload)
    assert response.status_code == 422, response.content
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert field in body["fields"], body
    assert not User.objects.exists()


def test_duplicate_phone_through_api(client):
    make_user(phone="13812341234")
    response = api_post(
        client, "/register", {"phone": "+8613812341234", "password": "Qingshan#2026", "display_name": "小红"}
    )
    assert response.status_code == 422
    assert response.json()["fields"]["phone"] == ["该手机号码已注册"]
    assert User.objects.count() == 1


def test_malformed_json_is_not_a_500(client):
    response = client.post("/api/v1/accounts/register", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_json"


def test_me_requires_authentication(client):
    response = api_get(client, "/me")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_me_shows_masked_data_and_roles(client, teacher):
    teacher.email = "teacher@example.cn"
    teacher.save()
    client.force_login(teacher)
    body = api_get(client, "/me").json()
    assert body["roles"] == ["teacher"]
    assert body["memberships"][0]["organization_name"] == "海淀区实验小学"
    assert body["phone_masked"].count("*") == 4
    assert body["email_masked"] == "t***@example.cn"
    assert teacher.phone not in str(body)


def test_identity_verify_and_reveal_through_api(client, student):
    client.force_login(student)
    response = api_post(client, "/me/identity", {"real_name": "张三", "id_number": "110105194912310029"})
    assert response.status_code == 422
    assert "id_number" in response.json()["fields"]
    response = api_post(client, "/me/identity", {"real_name": "张三", "id_number": ID_NUMBER.lower()})
    assert response.status_code == 201, response.content
    assert response.json()["id_number_masked"] == "110105********002X"
    assert response.json()["real_name_masked"] == "张*"
    assert api_get(client, "/me").json()["identity"]["id_number_masked"] == "110105********002X"
    again = api_post(client, "/me/identity", {"real_name": "张三", "id_number": ID_NUMBER})
    assert again.status_code == 409
    assert again.json()["code"] == "identity_exists"
    reveal = api_post(client, "/me/identity/reveal", {"password": PASSWORD})
    assert reveal.status_code == 200
    assert reveal.json() == {"id_number": ID_NUMBER}
    assert AuditLog.objects.filter(action="pii.reveal", actor=student, result="success").count() == 1


def test_identity_bound_to_another_account_is_a_clear_error(client, student, teacher):
    client.force_login(student)
    assert api_post(client, "/me/identity", {"real_name": "张三", "id_number": ID_NUMBER}).status_code == 201
    client.force_login(teacher)
    response = api_post(client, "/me/identity", {"real_name": "张三", "id_number": ID_NUMBER})
    assert response.status_code == 422
    assert response.json()["fields"]["id_number"] == ["该身份证号码已绑定其他账号"]
    assert Identity.objects.count() == 1


def test_token_lifecycle_through_api(client, teacher):
    client.force_login(teacher)
    created = api_post(client, "/me/tokens", {"name": "学籍对接", "scopes": ["read"], "expires_in_days": 30})
    assert created.status_code == 201, created.content
    raw = created.json()["token"]
    assert raw.startswith("zj_")
    token = ApiToken.objects.get()
    assert raw not in (token.key_hash, token.prefix) and token.prefix == raw[:10]
    listed = api_get(client, "/me/tokens").json()
    assert [t["name"] for t in listed] == ["学籍对接"] and "token" not in listed[0]

    client.logout()
    me = api_get(client, "/me", **bearer(raw))
    assert me.status_code == 200
    assert me.json()["id"] == teacher.pk
    token.refresh_from_db()
    assert token.last_used_at is not None
    # A read-only token cannot write.
    refused = api_post(client, "/me/identity", {"real_name": "李四", "id_number": ID_NUMBER}, **bearer(raw))
    assert refused.status_code == 403
    # Nor can a token manage tokens.
    assert api_post(client, "/me/tokens", {"name": "x", "scopes": ["read"]}, **bearer(raw)).status_code == 403

    client.force_login(teacher)
    assert client.delete(f"/api/v1/accounts/me/tokens/{token.pk}").status_code == 204
    client.logout()
    assert api_get(client, "/me", **bearer(raw)).status_code == 401
    assert AuditLog.objects.filter(action="token.revoke", actor=teacher).exists()


def test_unknown_and_expired_tokens_are_refused(client, teacher):
    from datetime import timedelta

    from django.utils import timezone

    from zhijiao.accounts import services

    token, raw = services.token_create(user=teacher, name="t", scopes=["read"], expires_in_days=1)
    assert api_get(client, "/me", **bearer(raw + "x")).status_code == 401
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert api_get(client, "/me", **bearer(raw)).status_code == 401


def test_someone_elses_token_cannot_be_revoked(client, teacher, student):
    from zhijiao.accounts import services

    token, _raw = services.token_create(user=teacher, name="t", scopes=["read"], expires_in_days=1)
    client.force_login(student)
    assert client.delete(f"/api/v1/accounts/me/tokens/{token.pk}").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "", "scopes": ["read"]}, "name"),
        ({"name": "x", "scopes": []}, "scopes"),
        ({"name": "x", "scopes": ["admin"]}, "scopes.0"),
        ({"name": "x", "scopes": ["read"], "expires_in_days": 0}, "expires_in_days"),
        ({"name": "x", "scopes": ["read"], "expires_in_days": "abc"}, "expires_in_days"),
    ],
)
def test_bad_token_requests(client, teacher, payload, field):
    client.force_login(teacher)
    response = api_post(client, "/me/tokens", payload)
    assert response.status_code == 422
    assert field in response.json()["fields"], response.json()
    assert not ApiToken.objects.exists()
