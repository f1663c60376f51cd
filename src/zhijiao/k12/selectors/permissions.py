"""Who may do what on the K-12 platform: each question answered by one function, for pages, API and services alike."""

from typing import Any

from zhijiao.orgs.models import Organization, Role
from zhijiao.orgs.selectors import has_role, is_platform_admin, memberships_of

from ..models import CodeBatch, Collection, Resource, SchoolClass


def _signed_in(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and getattr(user, "is_active", True)


def is_k12_staff(user: Any) -> bool:
    """Platform staff: review resources, manage every code batch, see every statistic."""
    return _signed_in(user) and (bool(user.is_staff) or is_platform_admin(user))


def orgs_with_role(user: Any, role: str, kind: str | None = None) -> list[Organization]:
    if not _signed_in(user):
        return []
    memberships = memberships_of(user).filter(role=role)
    if kind:
        memberships = memberships.filter(organization__kind=kind)
    return [membership.organization for membership in memberships]


def teacher_schools(user: Any) -> list[Organization]:
    """The schools (中小学校) where a person teaches."""
    return orgs_with_role(user, Role.TEACHER, Organization.Kind.SCHOOL)


def district_agencies(user: Any) -> list[Organization]:
    """The education bureaus where a person works as district staff."""
    return orgs_with_role(user, Role.DISTRICT_STAFF, Organization.Kind.AGENCY)


def can_upload_resource(user: Any) -> bool:
    """Staff and school teachers upload resources (teachers' go through review)."""
    return is_k12_staff(user) or bool(teacher_schools(user))


def can_review_resources(user: Any) -> bool:
    return is_k12_staff(user)


def can_edit_resource(user: Any, resource: Resource) -> bool:
    """Staff edit any resource; an uploader edits their own while it is not published."""
    if is_k12_staff(user):
        return True
    return (
        _signed_in(user)
        and resource.owner_id == user.pk
        and resource.status in (Resource.Status.DRAFT, Resource.Status.WITHDRAWN)
    )


def can_view_resource(user: Any, resource: Resource) -> bool:
    if resource.status == Resource.Status.PUBLISHED:
        return True
    return is_k12_staff(user) or (_signed_in(user) and resource.owner_id == user.pk)


def code_organizations(user: Any) -> list[Organization]:
    """Where a person may make code batches: their district bureaus and the schools they teach in."""
    return district_agencies(user) + teacher_schools(user)


def can_manage_codes(user: Any) -> bool:
    """Staff, district staff and school teachers make code batches."""
    return is_k12_staff(user) or bool(code_organizations(user))


def can_manage_batch(user: Any, batch: CodeBatch) -> bool:
    if is_k12_staff(user):
        return True
    return batch.organization_id is not None and batch.organization_id in {org.pk for org in code_organizations(user)}


def can_see_scan_stats(user: Any) -> bool:
    return is_k12_staff(user) or bool(district_agencies(user))


def can_create_class(user: Any, school: Organization) -> bool:
    return school.kind == Organization.Kind.SCHOOL and has_role(user, Role.TEACHER, organization=school)


def can_manage_class(user: Any, klass: SchoolClass) -> bool:
    """The class's own teacher, or a school administrator of its school."""
    if not _signed_in(user):
        return False
    if klass.teacher_id == user.pk and has_role(user, Role.TEACHER, organization=klass.school):
        return True
    return has_role(user, Role.SCHOOL_ADMIN, organization=klass.school)


def can_manage_collection(user: Any, collection: Collection) -> bool:
    if is_k12_staff(user):
        return True
    return collection.district_id in {org.pk for org in district_agencies(user)}
