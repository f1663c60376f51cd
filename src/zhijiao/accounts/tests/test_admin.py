"""Staff screens: masked personal data, and membership changes that go through the audited services."""

import pytest

from zhijiao.accounts import services
from zhijiao.accounts.models import ApiToken, User
from zhijiao.accounts.tests.factories import make_user
from zhijiao.core.models import AuditLog
from zhijiao.orgs.models import Membership, Role

pytestmark = pytest.mark.django_db

ID_NUMBER = "11010519491231002X"


@pytest.fixture
def superuser():
    return make_user(phone="13700000001", is_staff=True, is_superuser=True, display_name="超级管理员")


def test_user_list_is_masked_and_searchable_by_phone(client, superuser, student):
    client.force_login(superuser)
    html = client.get("/admin/accounts/user/", {"q": student.phone}).content.decode()
    assert student.display_name in html
    assert student.phone[:3] + "****" + student.phone[-4:] in html
    assert f">{student.phone}<" not in html


def test_identity_admin_shows_only_masked_data(client, superuser, student):
    identity = services.identity_verify(user=student, real_name="王小明", id_number=ID_NUMBER)
    client.force_login(superuser)
    for url in ["/admin/accounts/identity/", f"/admin/accounts/identity/{identity.pk}/change/"]:
        html = client.get(url).content.decode()
        assert "110105********002X" in html
        assert ID_NUMBER not in html and "王小明" not in html
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM accounts_identity")
        ciphertext = cursor.fetchone()[0]
    assert ciphertext not in client.get(f"/admin/accounts/identity/{identity.pk}/change/").content.decode()


def test_admin_add_user_goes_through_registration(client, superuser):
    client.force_login(superuser)
    bad = client.post(
        "/admin/accounts/user/add/",
        {"phone": "12012341234", "display_name": "新人", "password1": "Qingshan#2026", "password2": "Qingshan#2026"},
    )
    assert bad.status_code == 200 and "phone" in bad.context["adminform"].form.errors
    good = client.post(
        "/admin/accounts/user/add/",
        {
            "phone": "+86 13812341234",
            "display_name": "新人",
            "password1": "Qingshan#2026",
            "password2": "Qingshan#2026",
        },
    )
    assert good.status_code == 302
    assert User.objects.get(phone="13812341234").check_password("Qingshan#2026")
    assert AuditLog.objects.filter(action="auth.register").exists()
    assert AuditLog.objects.filter(action="admin.add", actor=superuser).exists()


def test_membership_admin_add_and_delete_are_audited(client, superuser, orgs):
    person = make_user()
    client.force_login(superuser)
    response = client.post(
        "/admin/orgs/membership/add/",
        {"user": person.pk, "organization": orgs["school"].pk, "role": "teacher", "title": "三年级", "is_active": "on"},
    )
    assert response.status_code == 302, response.content
    membership = Membership.objects.get(user=person)
    assert AuditLog.objects.filter(action="membership.grant", actor=superuser, object_id=str(membership.pk)).exists()
    wrong_kind = client.post(
        "/admin/orgs/membership/add/",
        {"user": person.pk, "organization": orgs["school"].pk, "role": "recruiter", "is_active": "on"},
    )
    assert wrong_kind.status_code == 200 and "role" in wrong_kind.context["adminform"].form.errors
    response = client.post(f"/admin/orgs/membership/{membership.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditLog.objects.filter(action="membership.revoke", actor=superuser).exists()


def test_user_admin_membership_inline_is_audited(client, superuser, orgs):
    person = make_user(phone="13812341234")
    client.force_login(superuser)
    prefix = "memberships"
    data = {
        "display_name": person.display_name,
        "phone": "13812341234",
        "email": "",
        "language": "",
        "is_active": "on",
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
        f"{prefix}-0-organization": orgs["school"].pk,
        f"{prefix}-0-role": "student",
        f"{prefix}-0-title": "一年级",
        f"{prefix}-0-is_active": "on",
    }
    response = client.post(f"/admin/accounts/user/{person.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert Membership.objects.filter(user=person, role=Role.STUDENT).exists()
    assert AuditLog.objects.filter(action="membership.grant", actor=superuser, detail__role="student").exists()


def test_token_admin_revoke_action_uses_the_service(client, superuser, teacher):
    token, _raw = services.token_create(user=teacher, name="对接", scopes=["read"], expires_in_days=30)
    client.force_login(superuser)
    html = client.get(f"/admin/accounts/apitoken/{token.pk}/change/").content.decode()
    assert token.key_hash in html
    response = client.post(
        "/admin/accounts/apitoken/", {"action": "revoke_tokens", "_selected_action": [str(token.pk)]}
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditLog.objects.filter(action="token.revoke", actor=superuser).exists()
    assert ApiToken.objects.count() == 1
