"""Writes about organisations and memberships. Every role change is audit-logged.

A refused change is logged too; the permission question is asked before the write's transaction opens so
that the "denied" entry survives the refusal.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijiao.accounts.models import User
from zhijiao.core.actors import Actor, Origin, signed_in
from zhijiao.core.audit import audit_actions
from zhijiao.core.identifiers import normalize_uscc
from zhijiao.core.models import AuditLog
from zhijiao.core.services import audit_record
from zhijiao.search.services import index_later

from .models import ROLE_ORGANIZATION_KINDS, Membership, Organization, Region, Role
from .search import OrganizationDocuments
from .selectors import has_role, is_platform_admin

# What the audit log calls the actions recorded here.
AUDIT_ACTIONS = audit_actions(
    {
        "organization.create": gettext_lazy("创建机构"),
        "membership.grant": gettext_lazy("授予机构角色"),
        "membership.change": gettext_lazy("变更机构角色"),
        "membership.revoke": gettext_lazy("撤销机构角色"),
    }
)


# The roles a school administrator hands out in their own school.
SCHOOL_ADMIN_GRANTABLE = frozenset({Role.STUDENT, Role.TEACHER, Role.PARENT})


def can_manage_membership(actor: Actor, organization: Organization, role: str) -> bool:
    """Who may grant or revoke ``role`` in ``organization``: platform admins anywhere; a school
    administrator only students, teachers and parents of their own school."""
    if not signed_in(actor):
        return False
    if is_platform_admin(actor):
        return True
    return (
        organization.kind == Organization.Kind.SCHOOL
        and role in SCHOOL_ADMIN_GRANTABLE
        and has_role(actor, Role.SCHOOL_ADMIN, organization=organization)
    )


def _membership_detail(membership: Membership) -> dict[str, Any]:
    return {
        "user_id": membership.user_id,
        "role": membership.role,
        "organization_id": membership.organization_id,
        "organization": membership.organization.name,
    }


def _refuse(
    *, action: str, actor: Actor, organization: Organization, role: str, user: User, origin: Origin | None
) -> None:
    audit_record(
        action=action,
        actor=actor,
        object_type="orgs.membership",
        object_repr=f"{user} · {organization} · {Role(role).label if role in Role.values else role}",
        result=AuditLog.Result.DENIED,
        detail={"user_id": user.pk, "role": role, "organization_id": organization.pk},
        origin=origin,
    )
    raise PermissionDenied(_("您无权管理该机构的这一角色"))


def membership_grant(
    *,
    actor: Actor,
    user: User,
    organization: Organization,
    role: str,
    title: str = "",
    origin: Origin | None = None,
) -> Membership:
    """Give a person a role in an organisation (re-activating it if it was suspended)."""
    if role not in Role.values:
        raise ValidationError({"role": [_("请选择有效的角色")]})
    if organization.kind not in ROLE_ORGANIZATION_KINDS.get(role, set()):
        # Same message as the model's own check, raised before the permission question so a form can say it.
        Membership(user=user, organization=organization, role=role).clean()
    if not can_manage_membership(actor, organization, role):
        _refuse(action="membership.grant", actor=actor, organization=organization, role=role, user=user, origin=origin)
    with transaction.atomic():
        membership = Membership.objects.filter(user=user, organization=organization, role=role).first()
        if membership is not None and membership.is_active and membership.title == title:
            return membership
        if membership is None:
            membership = Membership(user=user, organization=organization, role=role)
        membership.title = title
        membership.is_active = True
        membership.full_clean()
        try:
            with transaction.atomic():
                membership.save()
        except IntegrityError as exc:  # a concurrent grant of the same role won the race
            raise ValidationError({"role": [_("该用户在此机构已有这一角色")]}) from exc
        audit_record(
            action="membership.grant",
            actor=actor,
            obj=membership,
            detail=_membership_detail(membership),
            origin=origin,
        )
    return membership


def membership_update(
    *, actor: Actor, membership: Membership, title: str, is_active: bool, origin: Origin | None = None
) -> Membership:
    """Change a membership's title or suspend/restore it; the role itself changes by revoke and grant."""
    if not can_manage_membership(actor, membership.organization, membership.role):
        _refuse(
            action="membership.change",
            actor=actor,
            organization=membership.organization,
            role=membership.role,
            user=membership.user,
            origin=origin,
        )
    before = {"title": membership.title, "is_active": membership.is_active}
    with transaction.atomic():
        membership.title = title
        membership.is_active = is_active
        membership.full_clean()
        membership.save(update_fields=["title", "is_active", "updated_at"])
        audit_record(
            action="membership.change",
            actor=actor,
            obj=membership,
            detail={
                **_membership_detail(membership),
                "before": before,
                "after": {"title": title, "is_active": is_active},
            },
            origin=origin,
        )
    return membership


def membership_revoke(*, actor: Actor, membership: Membership, origin: Origin | None = None) -> None:
    """Take a role away from a person; the audit log keeps the record of it."""
    if not can_manage_membership(actor, membership.organization, membership.role):
        _refuse(
            action="membership.revoke",
            actor=actor,
            organization=membership.organization,
            role=membership.role,
            user=membership.user,
            origin=origin,
        )
    detail = _membership_detail(membership)
    object_id, object_repr = str(membership.pk), str(membership)
    with transaction.atomic():
        membership.delete()
        audit_record(
            action="membership.revoke",
            actor=actor,
            object_type="orgs.membership",
            object_id=object_id,
            object_repr=object_repr,
            detail=detail,
            origin=origin,
        )


@transaction.atomic
def organization_create(
    *,
    actor: Actor,
    kind: str,
    name: str,
    region: Region,
    uscc: str | None = None,
    stage: str = "",
    short_name: str = "",
    website: str = "",
    description: str = "",
    origin: Origin | None = None,
) -> Organization:
    """Register a school, college, university, employer or agency. Employers need a valid credit code."""
    if not is_platform_admin(actor):
        raise PermissionDenied(_("只有平台管理员可以新建机构"))
    errors: dict[str, list[str]] = {}
    code: str | None = None
    if uscc:
        try:
            code = normalize_uscc(uscc)
        except ValidationError as exc:
            errors["uscc"] = list(exc.messages)
    elif kind == Organization.Kind.EMPLOYER:
        errors["uscc"] = [_("用人单位必须填写统一社会信用代码")]
    if code and Organization.objects.filter(uscc=code).exists():
        errors["uscc"] = [_("该统一社会信用代码已被其他机构使用")]
    if errors:
        raise ValidationError(errors)
    organization = Organization(
        kind=kind,
        name=name.strip(),
        short_name=short_name.strip(),
        region=region,
        uscc=code,
        stage=stage if kind == Organization.Kind.SCHOOL else "",
        website=website,
        description=description,
    )
    organization.full_clean()
    organization.save()
    index_later(OrganizationDocuments.kind, organization.pk)
    audit_record(
        action="organization.create",
        actor=actor,
        obj=organization,
        detail={"kind": kind, "region": region.code},
        origin=origin,
    )
    return organization
