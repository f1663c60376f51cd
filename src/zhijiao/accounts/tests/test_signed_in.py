"""A deactivated account is treated as a visitor everywhere: pages, the API, roles and its own tokens."""

import pytest

from zhijiao.accounts import selectors, services
from zhijiao.accounts.tests.factories import make_user
from zhijiao.core.errors import NotFound
from zhijiao.orgs.models import Role
from zhijiao.orgs.selectors import has_role, is_platform_admin, memberships_of, roles_of

pytestmark = pytest.mark.django_db


def test_a_deactivated_account_is_a_visitor_on_member_pages_and_the_api(client, student):
    client.force_login(student)
    assert client.get("/accounts/me/").status_code == 200
    student.is_active = False
    student.save(update_fields=["is_active"])
    page = client.get("/accounts/me/")
    assert page.status_code == 302
    assert page["Location"].startswith("/accounts/login/")
    assert client.get("/api/v1/accounts/me").status_code == 401


def test_a_deactivated_admin_holds_no_roles(platform_admin):
    assert is_platform_admin(platform_admin)
    platform_admin.is_active = False
    assert not is_platform_admin(platform_admin)
    assert not has_role(platform_admin, Role.PLATFORM_ADMIN)
    assert roles_of(platform_admin) == set()
    assert not memberships_of(platform_admin).exists()


def test_a_deactivated_superuser_is_no_platform_admin():
    root = make_user(is_superuser=True, is_staff=True)
    assert is_platform_admin(root)
    root.is_active = False
    assert not is_platform_admin(root)


def test_a_deactivated_account_cannot_revoke_its_own_token():
    person = make_user()
    token, _raw = services.token_create(user=person, name="对接", scopes=["read"])
    person.is_active = False
    with pytest.raises(NotFound):
        services.token_revoke(actor=person, token_id=token.pk)
    assert not selectors.tokens_of(person).exists()
