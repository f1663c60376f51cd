"""The audit log: append-only, written by logins, reveals and role changes, read only by platform admins."""

import pytest

from zhijiao.accounts.tests.factories import PASSWORD, make_user
from zhijiao.core.models import AuditLog
from zhijiao.core.services import audit_record
from zhijiao.orgs.models import Role
from zhijiao.orgs.services import membership_grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    return audit_record(action="test.thing", actor_label="someone", object_repr="x")


def test_entries_cannot_be_changed_or_deleted_through_the_orm(entry):
    entry.action = "changed"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditLog.objects.filter(pk=entry.pk).update(action="changed")
    with pytest.raises(PermissionError):
        AuditLog.objects.filter(pk=entry.pk).delete()
    with pytest.raises(PermissionError):
        AuditLog.objects.all().delete()
    assert AuditLog.objects.get(pk=entry.pk).action == "test.thing"


def test_login_success_and_failure_are_recorded(client):
    make_user(phone="13812341234")
    client.post("/accounts/login/", {"login": "13812341234", "password": "wrong-one-1"})
    client.post("/accounts/login/", {"login": "13812341234", "password": PASSWORD})
    results = list(AuditLog.objects.filter(action="auth.login").order_by("id").values_list("result", flat=True))
    assert results == ["failure", "success"]


def test_membership_change_is_recorded(platform_admin, orgs):
    person = make_user()
    membership_grant(actor=platform_admin, user=person, organization=orgs["school"], role=Role.TEACHER)
    entry = AuditLog.objects.get(action="membership.grant")
    assert (entry.actor_id, entry.result, entry.detail["role"]) == (platform_admin.pk, "success", "teacher")


def test_platform_admin_searches_the_log_in_the_admin(client, platform_admin, entry):
    client.force_login(platform_admin)
    assert "/admin/core/auditlog/" in client.get("/admin/").content.decode()
    listing = client.get("/admin/core/auditlog/", {"q": "test.thing"})
    assert listing.status_code == 200
    assert "someone" in listing.content.decode()
    filtered = client.get("/admin/core/auditlog/", {"result__exact": "success", "action": "test.thing"})
    assert filtered.status_code == 200
    detail = client.get(f"/admin/core/auditlog/{entry.pk}/change/")
    assert detail.status_code == 200


def test_nobody_edits_or_deletes_through_the_admin(client, entry):
    superuser = make_user(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    assert client.get("/admin/core/auditlog/add/").status_code == 403
    assert client.get(f"/admin/core/auditlog/{entry.pk}/delete/").status_code == 403
    client.post(f"/admin/core/auditlog/{entry.pk}/change/", {"action": "changed"})
    response = client.post("/admin/core/auditlog/", {"action": "delete_selected", "_selected_action": [entry.pk]})
    assert response.status_code in (200, 302)
    assert AuditLog.objects.get(pk=entry.pk).action == "test.thing"


def test_staff_teacher_cannot_view_the_log(client, teacher, entry):
    teacher.is_staff = True
    teacher.save()
    client.force_login(teacher)
    assert client.get("/admin/core/auditlog/").status_code == 403
    assert client.get(f"/admin/core/auditlog/{entry.pk}/change/").status_code == 403
    assert "auditlog" not in client.get("/admin/").content.decode()
