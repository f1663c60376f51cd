"""Granting and revoking roles: one permission function, every change audited, every refusal too."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhijiao.accounts.tests.factories import make_user
from zhijiao.core.models import AuditLog
from zhijiao.orgs import selectors, services
from zhijiao.orgs.models import Membership, Organization, Role
from zhijiao.orgs.tests.factories import make_organization

pytestmark = pytest.mark.django_db


def test_platform_admin_grants_and_revokes_with_audit(platform_admin, orgs):
    person = make_user()
    membership = services.membership_grant(
        actor=platform_admin, user=person, organization=orgs["university"], role=Role.EMPLOYMENT_STAFF
    )
    assert selectors.has_role(person, Role.EMPLOYMENT_STAFF)
    assert selectors.roles_of(person) == {"employment_staff"}
    grant = AuditLog.objects.get(action="membership.grant")
    assert grant.actor_id == platform_admin.pk
    assert grant.detail["role"] == "employment_staff"
    assert grant.detail["organization"] == "北京师范大学"
    membership_id = membership.pk
    services.membership_revoke(actor=platform_admin, membership=membership)
    assert not selectors.has_role(person, Role.EMPLOYMENT_STAFF)
    revoke = AuditLog.objects.get(action="membership.revoke")
    assert revoke.detail["role"] == "employment_staff" and revoke.object_id == str(membership_id)


def test_grant_is_idempotent(platform_admin, orgs):
    person = make_user()
    first = services.membership_grant(actor=platform_admin, user=person, organization=orgs["school"], role=Role.STUDENT)
    second = services.membership_grant(
        actor=platform_admin, user=person, organization=orgs["school"], role=Role.STUDENT
    )
    assert first.pk == second.pk
    assert AuditLog.objects.filter(action="membership.grant").count() == 1


def test_role_must_fit_the_kind_of_organisation(platform_admin, orgs):
    with pytest.raises(ValidationError) as caught:
        services.membership_grant(
            actor=platform_admin, user=make_user(), organization=orgs["school"], role=Role.RECRUITER
        )
    assert "role" in caught.value.message_dict
    assert not Membership.objects.filter(role=Role.RECRUITER, organization=orgs["school"]).exists()


def test_school_admin_grants_students_teachers_parents_in_own_school(school_admin, orgs):
    for role in (Role.STUDENT, Role.TEACHER, Role.PARENT):
        services.membership_grant(actor=school_admin, user=make_user(), organization=orgs["school"], role=role)
    assert AuditLog.objects.filter(action="membership.grant", actor=school_admin).count() == 3


def test_school_admin_cannot_make_another_school_admin(school_admin, orgs):
    with pytest.raises(PermissionDenied):
        services.membership_grant(
            actor=school_admin, user=make_user(), organization=orgs["school"], role=Role.SCHOOL_ADMIN
        )


def test_school_admin_cannot_grant_in_another_school(school_admin):
    other = make_organization(Organization.Kind.SCHOOL, "朝阳区实验小学")
    assert not services.can_manage_membership(school_admin, other, Role.STUDENT)
    with pytest.raises(PermissionDenied):
        services.membership_grant(actor=school_admin, user=make_user(), organization=other, role=Role.STUDENT)


@pytest.mark.parametrize("role", ["student", "teacher", "parent", "hall_officer", "recruiter", "district_staff"])
def test_other_roles_may_not_grant_and_refusal_is_audited(users, orgs, role):
    actor = users[role]
    target = make_user()
    with pytest.raises(PermissionDenied):
        services.membership_grant(actor=actor, user=target, organization=orgs["school"], role=Role.STUDENT)
    assert not Membership.objects.filter(user=target).exists()
    entry = AuditLog.objects.get(action="membership.grant", actor=actor)
    assert entry.result == "denied"


def test_student_cannot_revoke(student, teacher):
    membership = Membership.objects.get(user=teacher)
    with pytest.raises(PermissionDenied):
        services.membership_revoke(actor=student, membership=membership)
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert AuditLog.objects.filter(action="membership.revoke", result="denied").exists()


def test_anonymous_and_inactive_actors_cannot_manage(orgs, platform_admin):
    from django.contrib.auth.models import AnonymousUser

    assert not services.can_manage_membership(AnonymousUser(), orgs["school"], Role.STUDENT)
    platform_admin.is_active = False
    assert not services.can_manage_membership(platform_admin, orgs["school"], Role.STUDENT)


def test_organization_create_checks_uscc(platform_admin, orgs):
    region = orgs["school"].region
    with pytest.raises(ValidationError) as caught:
        services.organization_create(
            actor=platform_admin,
            kind=Organization.Kind.EMPLOYER,
            name="某公司",
            region=region,
            uscc="91110000600037341A",
        )
    assert "uscc" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.organization_create(
            actor=platform_admin, kind=Organization.Kind.EMPLOYER, name="某公司", region=region
        )
    assert "uscc" in caught.value.message_dict
    made = services.organization_create(
        actor=platform_admin, kind=Organization.Kind.EMPLOYER, name="某公司", region=region, uscc="91110000600037341l"
    )
    assert made.uscc == "91110000600037341L"
    assert AuditLog.objects.filter(action="organization.create", object_id=str(made.pk)).exists()


def test_organization_create_refused_to_school_admin(school_admin, orgs):
    with pytest.raises(PermissionDenied):
        services.organization_create(
            actor=school_admin, kind=Organization.Kind.SCHOOL, name="新学校", region=orgs["school"].region
        )
