"""Linking parents to children, and managing API tokens on the page."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhijiao.accounts import services
from zhijiao.accounts.models import ApiToken, Guardianship
from zhijiao.accounts.tests.factories import make_user
from zhijiao.core.models import AuditLog
from zhijiao.orgs.models import Role
from zhijiao.orgs.selectors import has_role

pytestmark = pytest.mark.django_db


def test_school_admin_links_a_parent_who_gains_the_parent_role(client, school_admin, student, orgs):
    mother = make_user(display_name="李妈妈")
    link = services.guardianship_link(parent=mother, child_login=student.phone, relation="mother", actor=school_admin)
    assert (link.parent, link.child, link.relation) == (mother, student, "mother")
    assert has_role(mother, Role.PARENT, organization=orgs["school"])
    assert AuditLog.objects.filter(action="guardianship.link", actor=school_admin, result="success").exists()
    assert AuditLog.objects.filter(action="membership.grant", detail__role="parent").exists()
    client.force_login(mother)
    assert str(student) in client.get("/accounts/me/").content.decode()


def test_child_must_be_a_student(platform_admin, teacher):
    with pytest.raises(ValidationError) as caught:
        services.guardianship_link(
            parent=make_user(), child_login=teacher.phone, relation="father", actor=platform_admin
        )
    assert "child_login" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.guardianship_link(
            parent=make_user(), child_login="13000000000", relation="father", actor=platform_admin
        )


@pytest.mark.parametrize("role", ["teacher", "parent", "student", "hall_officer"])
def test_others_may_not_link_children(users, student, role):
    with pytest.raises(PermissionDenied):
        services.guardianship_link(parent=make_user(), child_login=student.phone, relation="father", actor=users[role])
    assert not Guardianship.objects.exists()
    assert AuditLog.objects.filter(action="guardianship.link", result="denied").exists()


def test_tokens_page_creates_shows_once_and_revokes(client, teacher):
    client.force_login(teacher)
    created = client.post(
        "/accounts/me/tokens/", {"action": "create", "name": "对接", "scopes": ["read"], "expires_in_days": "30"}
    )
    assert created.status_code == 200
    raw = created.context["raw_token"]
    assert raw.startswith("zj_") and raw in created.content.decode()
    assert "no-store" in created["Cache-Control"]
    listing = client.get("/accounts/me/tokens/").content.decode()
    assert raw not in listing and raw[:10] in listing
    token = ApiToken.objects.get()
    assert client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    client.post("/accounts/me/tokens/", {"action": "revoke", "token_id": str(token.pk)})
    token.refresh_from_db()
    assert token.revoked_at is not None
    client.logout()
    assert client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_tokens_page_bad_input(client, teacher):
    client.force_login(teacher)
    response = client.post("/accounts/me/tokens/", {"action": "create", "name": "", "expires_in_days": "7"})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_name_error"' in html and 'id="id_scopes_error"' in html and 'id="id_expires_in_days_error"' in html
    assert not ApiToken.objects.exists()
    other = services.token_create(user=make_user(), name="别人的", scopes=["read"], expires_in_days=30)[0]
    client.post("/accounts/me/tokens/", {"action": "revoke", "token_id": str(other.pk)})
    client.post("/accounts/me/tokens/", {"action": "revoke", "token_id": "abc"})
    other.refresh_from_db()
    assert other.revoked_at is None
