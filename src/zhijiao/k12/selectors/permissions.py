"""Who may do what on the K-12 platform: each question answered by one function, for pages, API and services alike.

Every ``can_…`` question except :func:`can_view_resource` is answered yes only for a signed-in member, so each is a
``TypeGuard``: after ``if not can_manage_class(actor, klass): raise PermissionDenied`` the type checker knows the
actor is a ``User`` (a teacher, a class's students and a batch's owner are people, never a visitor).
"""

from typing import TypeGuard

from zhijiao.accounts.models import User
from zhijiao.core.actors import Actor, signed_in
from zhijiao.orgs.models import Organization, Role
from zhijiao.orgs.selectors import has_role, held_memberships, is_platform_admin, organizations_with_role

from ..models import CodeBatch, Collection, Resource, SchoolClass


def is_k12_staff(user: Actor) -> TypeGuard[User]:
    """Platform staff: review resources, manage every code batch, see every statistic."""
    return signed_in(user) and (bool(user.is_staff) or is_platform_admin(user))


def orgs_with_role(user: Actor, role: str, kind: str | None = None) -> list[Organization]:
    """The organisations (of ``kind``, when given) where a person holds ``role``; none for a visitor."""
    return organizations_with_role(user, role, kind)


def teacher_schools(user: Actor) -> list[Organization]:
    """The schools (中小学校) where a person teaches."""
    return orgs_with_role(user, Role.TEACHER, Organization.Kind.SCHOOL)


def district_agencies(user: Actor) -> list[Organization]:
    """The education bureaus where a person works as district staff."""
    return orgs_with_role(user, Role.DISTRICT_STAFF, Organization.Kind.AGENCY)


def can_upload_resource(user: Actor) -> TypeGuard[User]:
    """Staff and school teachers upload resources (teachers' go through review)."""
    return is_k12_staff(user) or (signed_in(user) and bool(teacher_schools(user)))


def can_review_resources(user: Actor) -> TypeGuard[User]:
    """Platform staff review, publish and withdraw resources."""
    return is_k12_staff(user)


def can_edit_resource(user: Actor, resource: Resource) -> TypeGuard[User]:
    """Staff edit any resource; an uploader edits their own while it is not published."""
    if is_k12_staff(user):
        return True
    return (
        signed_in(user)
        and resource.owner_id == user.pk
        and resource.status in (Resource.Status.DRAFT, Resource.Status.WITHDRAWN)
    )


def can_view_resource(user: Actor, resource: Resource) -> bool:
    """Everyone sees a published resource; its uploader and staff also see it before and after."""
    if resource.status == Resource.Status.PUBLISHED:
        return True
    return is_k12_staff(user) or (signed_in(user) and resource.owner_id == user.pk)


def code_organizations(user: Actor) -> list[Organization]:
    """Where a person may make code batches: their district bureaus and the schools they teach in."""
    return district_agencies(user) + teacher_schools(user)


def can_manage_codes(user: Actor) -> TypeGuard[User]:
    """Staff, district staff and school teachers make code batches."""
    return is_k12_staff(user) or (signed_in(user) and bool(code_organizations(user)))


def can_manage_batch(user: Actor, batch: CodeBatch) -> TypeGuard[User]:
    """Staff manage every batch; others the batches of their bureaus and schools."""
    if is_k12_staff(user):
        return True
    return (
        signed_in(user)
        and batch.organization_id is not None
        and batch.organization_id in {org.pk for org in code_organizations(user)}
    )


def can_see_scan_stats(user: Actor) -> TypeGuard[User]:
    """Staff see every scan; district staff the scans in their districts."""
    return is_k12_staff(user) or (signed_in(user) and bool(district_agencies(user)))


def can_create_class(user: Actor, school: Organization) -> TypeGuard[User]:
    """A teacher opens classes in the schools where they teach."""
    return (
        signed_in(user)
        and school.kind == Organization.Kind.SCHOOL
        and has_role(user, Role.TEACHER, organization=school)
    )


def can_manage_class(user: Actor, klass: SchoolClass) -> TypeGuard[User]:
    """The class's own teacher, or a school administrator of its school."""
    if not signed_in(user):
        return False
    if klass.teacher_id == user.pk and has_role(user, Role.TEACHER, organization=klass.school):
        return True
    return has_role(user, Role.SCHOOL_ADMIN, organization=klass.school)


def can_manage_collections(user: Actor) -> TypeGuard[User]:
    """Staff and district staff open the district collections page (district staff also start collections)."""
    return is_k12_staff(user) or (signed_in(user) and bool(district_agencies(user)))


def can_see_district_usage(user: Actor) -> TypeGuard[User]:
    """District staff see how their district's schools use the platform."""
    return signed_in(user) and bool(district_agencies(user))


# The people of a school who meet in classes: teachers assign, students do the work, parents follow their children.
_CLASS_ROLES = frozenset({Role.TEACHER, Role.STUDENT, Role.PARENT, Role.SCHOOL_ADMIN})


def uses_classes(user: Actor) -> bool:
    """Whether the classes page is for this person: a school's teachers, students, parents and administrators."""
    return any(
        membership.role in _CLASS_ROLES and membership.organization.kind == Organization.Kind.SCHOOL
        for membership in held_memberships(user)
    )


def can_create_collection(user: Actor, district: Organization) -> TypeGuard[User]:
    """Staff, and the district's own staff, start collections for a district."""
    return is_k12_staff(user) or (signed_in(user) and district.pk in {org.pk for org in district_agencies(user)})


def can_manage_collection(user: Actor, collection: Collection) -> TypeGuard[User]:
    """Staff, and the staff of the collection's district."""
    if is_k12_staff(user):
        return True
    return signed_in(user) and collection.district_id in {org.pk for org in district_agencies(user)}
