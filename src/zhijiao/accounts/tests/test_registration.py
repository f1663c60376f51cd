"""Sign-up through the page: good input makes an account and sends a welcome; bad input changes nothing."""

import pytest
from django.core import mail

from zhijiao.accounts.models import User
from zhijiao.accounts.tests.factories import make_user
from zhijiao.core.models import AuditLog

pytestmark = pytest.mark.django_db

GOOD = {
    "phone": "+86 138 1234 1234",
    "email": "",
    "display_name": "小明",
    "password1": "Qingshan#2026",
    "password2": "Qingshan#2026",
    "agree": "on",
}


def post(client, **changes):
    return client.post("/accounts/register/", {**GOOD, **changes})


def test_register_page_renders_labelled_fields(client):
    response = client.get("/accounts/register/")
    html = response.content.decode()
    assert response.status_code == 200
    for field in ["id_phone", "id_email", "id_display_name", "id_password1", "id_password2", "id_agree"]:
        assert f'for="{field}"' in html


def test_register_with_phone_logs_in_and_normalises(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/me/"
    user = User.objects.get()
    assert user.phone == "13812341234"
    assert user.display_name == "小明"
    assert user.check_password("Qingshan#2026")
    assert AuditLog.objects.filter(action="auth.register", actor=user).exists()
    assert mail.outbox == []  # no email address, so no welcome email
    profile = client.get("/accounts/me/")
    assert profile.status_code == 200
    assert "138****1234" in profile.content.decode()
    assert "13812341234" not in profile.content.decode()


def test_register_with_email_sends_chinese_welcome(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, phone="", email="Xiaoming@Example.CN")
    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == "xiaoming@example.cn"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["xiaoming@example.cn"]
    assert "欢迎" in mail.outbox[0].subject


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"phone": "12012341234"}, "phone", "手机号码"),
        ({"phone": "1381234123"}, "phone", "手机号码"),
        ({"phone": "", "email": ""}, "phone", "手机号码或电子邮箱"),
        ({"phone": "", "email": "not-an-email"}, "email", "电子邮箱"),
        ({"password1": "12345678", "password2": "12345678"}, "password1", "密码"),
        ({"password1": "abc", "password2": "abc"}, "password1", "密码"),
        ({"password2": "Different#2026"}, "password2", "不一致"),
        ({"agree": ""}, "agree", "同意"),
        ({"display_name": ""}, "display_name", ""),
    ],
)
def test_bad_registration_shows_field_error_and_creates_nothing(client, changes, field, message):
    response = post(client, **changes)
    assert response.status_code == 422
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert message in " ".join(form.errors[field])
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert 'aria-invalid="true"' in html
    assert not User.objects.exists()
    assert "_auth_user_id" not in client.session


def test_duplicate_phone_is_a_field_error(client):
    make_user(phone="13812341234")
    response = post(client)
    assert response.status_code == 422
    assert "已注册" in response.context["form"].errors["phone"][0]
    assert User.objects.count() == 1


def test_duplicate_email_is_case_insensitive(client):
    make_user(email="xiaoming@example.cn")
    response = post(client, phone="", email="XIAOMING@example.cn")
    assert response.status_code == 422
    assert "email" in response.context["form"].errors
    assert User.objects.count() == 1


def test_password_similar_to_email_is_refused(client):
    response = post(
        client, phone="", email="qingshan2026@example.cn", password1="qingshan2026", password2="qingshan2026"
    )
    assert response.status_code == 422
    assert "password1" in response.context["form"].errors


def test_every_bad_field_is_named_at_once(client):
    response = post(client, phone="12012341234", display_name="", password2="Different#2026")
    errors = response.context["form"].errors
    assert {"phone", "display_name", "password2"} <= set(errors)
    assert not User.objects.exists()
