"""Reads about people, and the access checks for personal data. Every unmasked view is audit-logged."""

import hashlib
import math
import time
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijiao.core import counters
from zhijiao.core.actors import Actor, Origin, client_ip, signed_in
from zhijiao.core.audit import audit_actions
from zhijiao.core.crypto import blind_index
from zhijiao.core.errors import DomainError, NotFound
from zhijiao.core.identifiers import looks_like_phone, normalize_id_number, normalize_phone
from zhijiao.core.models import AuditLog
from zhijiao.core.services import audit_record
from zhijiao.orgs.models import Role
from zhijiao.orgs.selectors import has_role, is_platform_admin

from .models import ApiToken, Guardianship, Identity, User

# What the audit log calls the actions recorded here.
AUDIT_ACTIONS = audit_actions(
    {
        "pii.lookup": gettext_lazy("按身份证号查找"),
        "pii.reveal": gettext_lazy("查看完整身份证号"),
    }
)


# A token's last use is written at most this often, so busy integrations don't write on every request.
TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)


# --- Signing in ---------------------------------------------------------------------------------------


def login_normalize(login: str) -> str:
    """The account identifier a login counts against: the 11-digit number or the lower-cased email."""
    value = (login or "").strip()
    if "@" in value:
        return value.lower()
    if looks_like_phone(value):
        try:
            return normalize_phone(value)
        except ValidationError:
            return value
    return value


def login_key(*, login: str, ip: str) -> dict[str, str]:
    """Counter keys per account and per address; hashed so no store holds a phone number or an IP."""
    keys = {"account": blind_index(login_normalize(login), context="login-lockout")}
    if ip:
        keys["ip"] = blind_index(ip, context="login-lockout-ip")
    return keys


def login_locked_for(*, login: str, request: HttpRequest) -> int:
    """Seconds until this login (or this client address) may try again; 0 when it is not locked."""
    keys = login_key(login=login, ip=client_ip(request))
    found = counters.peek([f"login:lock:{key}" for key in keys.values()])  # core.counters: one query
    until = max((ends for _hits, ends in found.values()), default=0.0)
    return max(0, math.ceil(until - time.time()))


def token_hash(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


# --- Identity ------------------------------------------------------------------------------------------


def is_identity_officer(user: Actor) -> bool:
    """Service-hall officers and platform admins may see and look up full ID numbers."""
    return is_platform_admin(user) or has_role(user, Role.HALL_OFFICER)


def can_view_identity_number(actor: Actor, identity: Identity) -> bool:
    """The one answer to "may this person see this full ID number": its owner or an identity officer."""
    if not signed_in(actor):
        return False
    return identity.user_id == actor.pk or is_identity_officer(actor)


def identity_of(user: Actor | None) -> Identity | None:
    """A person's real-name identity, or None before they have verified one (and for visitors)."""
    if user is None or user.pk is None:
        return None
    return Identity.objects.filter(user=user).first()


@dataclass(frozen=True)
class RealName:
    """Whom an official document is issued to: the verified name, the ID number and the masked number it prints."""

    name: str
    id_number: str
    id_number_masked: str
    id_number_index: str


class IdentityRequired(DomainError):
    """An official document needs its holder's completed real-name identity (实名认证) first."""

    status = 403

    def __init__(self, message: str | Promise | None = None) -> None:
        super().__init__(
            "identity_required",
            message or _("办理此项业务需要先完成实名认证：请在“个人中心 → 实名认证”中填写真实姓名和身份证号码。"),
        )


def real_name_of(user: Actor | None) -> RealName | None:
    """The one rule for whom a document may name: a signed-in person's completed real-name identity, else None.

    Reads the identity through the user's cached relation, so asking again for the same user costs no query."""
    if not signed_in(user):
        return None
    try:
        identity = user.identity
    except Identity.DoesNotExist:
        return None
    return RealName(
        name=identity.real_name,
        id_number=identity.id_number,
        id_number_masked=identity.id_number_masked,
        id_number_index=identity.id_number_index,
    )


def require_real_name(user: Actor | None, message: str | Promise | None = None) -> RealName:
    """:func:`real_name_of`, or ``IdentityRequired`` (403 ``identity_required``) saying how to complete it."""
    real_name = real_name_of(user)
    if real_name is None:
        raise IdentityRequired(message)
    return real_name


def identity_reveal(*, actor: Actor, identity: Identity, origin: Origin | None = None) -> str:
    """The full ID number, for its owner or an officer; each view (and each refusal) is logged."""
    allowed = can_view_identity_number(actor, identity)
    audit_record(
        action="pii.reveal",
        actor=actor,
        obj=identity,
        object_repr=identity.id_number_masked,
        result=AuditLog.Result.SUCCESS if allowed else AuditLog.Result.DENIED,
        detail={"field": "id_number", "owner_id": identity.user_id},
        origin=origin,
    )
    if not allowed:
        raise PermissionDenied(_("您无权查看完整的身份证号码"))
    return identity.id_number


def identity_by_id_number(*, actor: Actor, id_number: str, origin: Origin | None = None) -> Identity:
    """An officer finds whose identity an ID number is, through the blind index; logged either way."""
    allowed = is_identity_officer(actor)
    try:
        number = normalize_id_number(id_number)
    except ValidationError as exc:
        if not allowed:
            raise PermissionDenied(_("您无权按身份证号码查找用户")) from exc
        raise ValidationError({"id_number": exc.messages}) from exc
    identity = (
        Identity.objects.select_related("user").filter(id_number_index=blind_index(number, context="id_number")).first()
    )
    audit_record(
        action="pii.lookup",
        actor=actor,
        object_type="accounts.identity",
        object_id=str(identity.pk) if identity and allowed else "",
        object_repr=identity.id_number_masked if identity and allowed else "",
        result=AuditLog.Result.SUCCESS if allowed else AuditLog.Result.DENIED,
        detail={"found": identity is not None} if allowed else {},
        origin=origin,
    )
    if not allowed:
        raise PermissionDenied(_("您无权按身份证号码查找用户"))
    if identity is None:
        raise NotFound
    return identity


def children_of(parent: Actor) -> QuerySet[Guardianship]:
    """A parent's linked children; none for a visitor."""
    if not signed_in(parent):
        return Guardianship.objects.none()
    return Guardianship.objects.filter(parent=parent).select_related("child").order_by("created_at")


def tokens_of(user: Actor) -> QuerySet[ApiToken]:
    """A person's own API tokens, newest first; none for a visitor."""
    if not signed_in(user):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def user_for_api_token(*, raw_token: str) -> tuple[User, list[str]] | None:
    """The active user and scopes behind a bearer token; None when unknown, revoked or expired."""
    if not raw_token or len(raw_token) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=token_hash(raw_token)).first()
    now = timezone.now()
    if token is None or not token.is_usable(now=now) or not signed_in(token.user):
        return None
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user, list(token.scopes)


def user_by_phone(*, phone: str) -> User | None:
    """The active account registered with this mainland mobile number (already normalised), or None."""
    return User.objects.filter(phone=phone, is_active=True).first()
