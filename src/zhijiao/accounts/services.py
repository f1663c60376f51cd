"""Writes about people: registration, signing in and out, real-name identity, guardianship, API tokens.

Services that refuse something and log the refusal (a failed login, a denied change) ask their question
before any transaction opens, so the audit entry survives the refusal.
"""

import math
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from zhijiao.core import counters
from zhijiao.core.actors import Actor, Origin, client_ip, signed_in
from zhijiao.core.api_auth import by_token
from zhijiao.core.audit import audit_actions
from zhijiao.core.crypto import blind_index
from zhijiao.core.errors import DomainError, NotFound
from zhijiao.core.identifiers import normalize_id_number, normalize_phone
from zhijiao.core.masking import mask_email, mask_id_number, mask_phone
from zhijiao.core.models import AuditLog
from zhijiao.core.ratelimit import RateLimited, count_hit, hits_so_far
from zhijiao.core.services import audit_record
from zhijiao.orgs.models import Organization, Role
from zhijiao.orgs.selectors import has_role, is_platform_admin, memberships_of
from zhijiao.orgs.services import can_manage_membership, membership_grant

from .models import ApiToken, Guardianship, Identity, User
from .selectors import identity_reveal, login_key, login_locked_for, login_normalize, token_hash

# What the audit log calls the actions recorded here.
AUDIT_ACTIONS = audit_actions(
    {
        "auth.login": gettext_lazy("登录"),
        "auth.logout": gettext_lazy("退出登录"),
        "auth.register": gettext_lazy("注册账号"),
        "guardianship.link": gettext_lazy("关联孩子的账号"),
        "identity.verify": gettext_lazy("实名认证"),
        "token.create": gettext_lazy("创建 API 令牌"),
        "token.revoke": gettext_lazy("吊销 API 令牌"),
    }
)


# --- Registration ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Registration:
    phone: str | None
    email: str | None
    display_name: str


def registration_validate(
    *, phone: str | None = None, email: str | None = None, password: str, display_name: str
) -> Registration:
    """Check sign-up data field by field; raise one ``ValidationError`` naming every bad field."""
    errors: dict[str, list[str]] = {}
    phone = (phone or "").strip() or None
    email = (email or "").strip() or None
    display_name = (display_name or "").strip()
    if phone is None and email is None:
        errors["phone"] = [_("请填写手机号码或电子邮箱")]
    if phone is not None:
        try:
            phone = normalize_phone(phone)
        except ValidationError as exc:
            errors["phone"] = list(exc.messages)
        else:
            if User.objects.filter(phone=phone).exists():
                errors["phone"] = [_("该手机号码已注册")]
    if email is not None:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("请输入正确的电子邮箱地址")]
        else:
            email = User.objects.normalize_email(email).lower()
            if User.objects.filter(email__iexact=email).exists():
                errors["email"] = [_("该电子邮箱已注册")]
    if not display_name:
        errors["display_name"] = [_("请填写昵称")]
    elif len(display_name) > 50:
        errors["display_name"] = [_("昵称最多 50 个字")]
    if not password:
        errors["password"] = [_("请设置密码")]
    else:
        try:
            validate_password(password, user=User(phone=phone, email=email, display_name=display_name))
        except ValidationError as exc:
            errors["password"] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    return Registration(phone=phone, email=email, display_name=display_name)


@transaction.atomic
def user_register(
    *,
    phone: str | None = None,
    email: str | None = None,
    password: str,
    display_name: str,
    language: str = "",
    origin: Origin | None = None,
) -> User:
    """Open an account with a mobile number or an email address; a welcome message follows.

    ``language`` is the one the person signed up in (the page's); messages to them use it when it is offered.
    """
    data = registration_validate(phone=phone, email=email, password=password, display_name=display_name)
    user = User(phone=data.phone, email=data.email, display_name=data.display_name)
    if language in dict(settings.LANGUAGES):
        user.language = language
    user.set_password(password)
    user.full_clean(exclude=["password"])
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:  # someone registered the same number a moment ago
        field = "phone" if data.phone else "email"
        raise ValidationError({field: [_("该账号已注册")]}) from exc
    audit_record(action="auth.register", actor=user, obj=user, origin=origin)

    from .tasks import send_welcome_message

    user_id = user.pk
    transaction.on_commit(lambda: send_welcome_message.enqueue(user_id=user_id))
    return user


def welcome_message_send(*, user_id: int) -> bool:
    """Send the welcome email to a new user who gave an email address; True when one was sent."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = _("欢迎加入智教平台")
        body = _(
            "%(name)s，您好！\n\n"
            "欢迎注册智教 · 国家智慧教育公共服务平台。您可以用本邮箱登录，"
            "浏览中小学、职业教育、高等教育、就业服务和服务大厅的各项资源与服务。\n\n"
            "如果这不是您本人的操作，请忽略本邮件。\n\n智教平台"
        ) % {"name": user.display_name or mask_email(user.email)}
    EmailMessage(subject=subject, body=body, to=[user.email]).send()
    return True


# --- Signing in and out ---------------------------------------------------------------------------------


def login_mask(login: str) -> str:
    """How a login appears in the audit log: never in full."""
    value = login_normalize(login)
    if "@" in value:
        return mask_email(value)
    if value.isdigit():
        return mask_phone(value)
    return (value[:1] + "***") if value else ""


def _ip_limit() -> int:
    # One school behind one NAT address shares an IP; operators may allow more failures per address.
    return int(settings.LOGIN_FAILURE_IP_LIMIT)


def _count_failure(*, login: str, request: HttpRequest) -> None:
    """Count a failed sign-in for the account and the address; at the limit, lock it for the window.

    Counted in the database whatever the cache (``core.counters``): every process of every server sees the same
    count, so the lock comes after exactly the limit, and a Redis outage neither resets nor hides it. Sign-in
    failures are rare enough for a write each."""
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    limits = {"account": settings.LOGIN_FAILURE_LIMIT, "ip": _ip_limit()}
    for kind, key in login_key(login=login, ip=client_ip(request)).items():
        failures, _ends = counters.hit(f"login:fail:{key}", window)
        if failures >= limits[kind]:
            counters.hit(f"login:lock:{key}", window)


def _locked_error(seconds: int) -> DomainError:
    minutes = max(1, math.ceil(seconds / 60))
    return DomainError(
        "login_locked",
        ngettext(
            "登录失败次数过多，账号已暂时锁定，请 %(minutes)d 分钟后再试",
            "登录失败次数过多，账号已暂时锁定，请 %(minutes)d 分钟后再试",
            minutes,
        )
        % {"minutes": minutes},
        status=429,
    )


def login_attempt(*, request: HttpRequest, login: str, password: str) -> User:
    """Sign in with a mobile number or email and a password.

    Too many failures for one account or from one address lock both out for a while; a locked login gets
    the same answer whether or not the password was right.
    """
    masked = login_mask(login)
    origin = Origin.of(request)
    locked = login_locked_for(login=login, request=request)
    if locked:
        audit_record(
            action="auth.login",
            actor_label=masked,
            result=AuditLog.Result.DENIED,
            detail={"login": masked, "reason": "locked"},
            origin=origin,
        )
        raise _locked_error(locked)
    user = authenticate(request, username=login, password=password)
    if user is None:
        _count_failure(login=login, request=request)
        audit_record(
            action="auth.login",
            actor_label=masked,
            result=AuditLog.Result.FAILURE,
            detail={"login": masked},
            origin=origin,
        )
        locked = login_locked_for(login=login, request=request)
        if locked:
            raise _locked_error(locked)
        raise DomainError("login_failed", _("手机号/邮箱或密码不正确"), status=400)
    login_keys = login_key(login=login, ip="")
    counters.forget([f"login:fail:{login_keys['account']}"])
    auth_login(request, user)
    audit_record(action="auth.login", actor=user, obj=user, detail={"login": masked}, origin=origin)
    return user


# --- Typing the password again before a sensitive step ----------------------------------------------------------

REAUTH_SESSION_KEY = "_password_confirmed_at"
# Wrong passwords typed to confirm, per account: the same few tries a sign-in gets before a pause.
REAUTH_FAILURES_PER_WINDOW = 5


def password_recently_confirmed(*, request: HttpRequest) -> bool:
    """Whether the signed-in person typed their password again within ``REAUTH_SECONDS`` (in this session; a
    request made with an API token has no such window)."""
    if by_token(request):
        return False
    session = getattr(request, "session", None)
    confirmed = session.get(REAUTH_SESSION_KEY) if session is not None else None
    return isinstance(confirmed, int) and 0 <= time.time() - confirmed < settings.REAUTH_SECONDS


def password_confirm(*, request: HttpRequest, user: User, password: str, purpose: str) -> None:
    """The signed-in person types their password again before ``purpose`` (an audit action such as ``pii.reveal``).

    A wrong (or missing) password is refused and logged under ``purpose``; a right one is remembered in the session
    for ``REAUTH_SECONDS``, so a second step soon after does not ask again. Wrong tries are limited per account.
    """
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    key = f"reauth:fail:{user.pk}"
    if hits_so_far(key, window) >= REAUTH_FAILURES_PER_WINDOW:
        raise RateLimited(window)
    if not password or not user.check_password(password):
        count_hit(key, window)
        audit_record(
            action=purpose,
            actor=user,
            obj=user,
            result=AuditLog.Result.DENIED,
            detail={"reason": "password"},
            origin=Origin.of(request),
        )
        message = _("请输入正确的登录密码") if password else _("请输入登录密码")
        code = "password_incorrect" if password else "password_required"
        raise DomainError(code, message, fields={"password": [message]}, status=403)
    session = getattr(request, "session", None)
    if session is not None and not by_token(request):
        session[REAUTH_SESSION_KEY] = int(time.time())


def identity_reveal_confirmed(*, request: HttpRequest, user: User, identity: Identity, password: str = "") -> str:
    """The person's full ID number, once they typed their password (now, or within ``REAUTH_SECONDS``); each view
    and each refusal is audit-logged."""
    if password or not password_recently_confirmed(request=request):
        password_confirm(request=request, user=user, password=password, purpose="pii.reveal")
    return identity_reveal(actor=user, identity=identity, origin=Origin.of(request))


def user_logout(*, request: HttpRequest) -> None:
    """Sign out and end the session."""
    user = getattr(request, "user", None)
    if signed_in(user):
        audit_record(action="auth.logout", actor=user, obj=user, origin=Origin.of(request))
    auth_logout(request)


# --- Real-name identity ---------------------------------------------------------------------------------

# Sent after the commit that completes a person's real-name identity (``user``, ``identity``): other apps hand over
# what was waiting for it (a course certificate waits for the name it will carry). Receivers run outside the
# identity's transaction, so one that fails cannot undo the identity; they should only enqueue work.
identity_verified = Signal()


@transaction.atomic
def identity_verify(*, user: User, real_name: str, id_number: str, origin: Origin | None = None) -> Identity:
    """Bind a real name and resident ID number to an account (实名认证); one account per ID number."""
    errors: dict[str, list[str]] = {}
    name = " ".join((real_name or "").split())
    if not name:
        errors["real_name"] = [_("请填写真实姓名")]
    elif len(name) > 50:
        errors["real_name"] = [_("姓名最多 50 个字")]
    number = ""
    try:
        number = normalize_id_number(id_number or "")
    except ValidationError as exc:
        errors["id_number"] = list(exc.messages)
    if Identity.objects.filter(user=user).exists():
        raise DomainError("identity_exists", _("您已完成实名认证，如需更正请联系服务大厅"), status=409)
    index = blind_index(number, context="id_number") if number else ""
    if index and Identity.objects.filter(id_number_index=index).exists():
        errors["id_number"] = [_("该身份证号码已绑定其他账号")]
    if errors:
        raise ValidationError(errors)
    from stdnum.cn import ric

    identity = Identity(
        user=user,
        real_name=name,
        id_number=number,
        id_number_index=index,
        id_number_masked=mask_id_number(number),
        birth_date=ric.get_birth_date(number),
        # GB 11643: the 17th digit is odd for men, even for women.
        gender=Identity.Gender.MALE if int(number[16]) % 2 else Identity.Gender.FEMALE,
    )
    identity.full_clean(exclude=["id_number_index", "id_number_masked", "id_number"])
    try:
        with transaction.atomic():
            identity.save()
    except IntegrityError as exc:
        raise ValidationError({"id_number": [_("该身份证号码已绑定其他账号")]}) from exc
    audit_record(
        action="identity.verify",
        actor=user,
        obj=identity,
        object_repr=identity.id_number_masked,
        origin=origin,
    )
    # robust: a failing receiver is logged, and the person still sees their identity completed.
    transaction.on_commit(lambda: identity_verified.send(sender=Identity, user=user, identity=identity), robust=True)
    return identity


# --- Guardianship ---------------------------------------------------------------------------------------


def _find_user_by_login(login: str) -> User | None:
    value = login_normalize(login)
    if "@" in value:
        return User.objects.filter(email__iexact=value).first()
    if value.isdigit() and len(value) == 11:
        return User.objects.filter(phone=value).first()
    return None


def guardianship_schools(*, child: User) -> list[Organization]:
    """The schools and vocational colleges where ``child`` is a student; a child must have one."""
    schools = [
        m.organization
        for m in memberships_of(child).filter(
            role=Role.STUDENT, organization__kind__in=[Organization.Kind.SCHOOL, Organization.Kind.VOCATIONAL]
        )
    ]
    if not schools:
        raise ValidationError({"child_login": [_("该账号不是中小学或职业院校的在校学生")]})
    return schools


def guardianship_link(
    *, parent: User, child_login: str, relation: str, actor: Actor, origin: Origin | None = None
) -> Guardianship:
    """Link a parent to a child's account; the parent also becomes a parent member of the child's school.

    The child must be a school or vocational student, and the actor must be allowed to grant the parent
    role there (a platform admin, or the child's school administrator).
    """
    child = _find_user_by_login(child_login)
    if child is None:
        raise ValidationError({"child_login": [_("找不到该学生账号")]})
    if child.pk == parent.pk:
        raise ValidationError({"child_login": [_("不能把自己设为自己的孩子")]})
    if relation not in Guardianship.Relation.values:
        raise ValidationError({"relation": [_("请选择有效的关系")]})
    schools = guardianship_schools(child=child)
    allowed = [school for school in schools if can_manage_membership(actor, school, Role.PARENT)]
    if not allowed:
        audit_record(
            action="guardianship.link",
            actor=actor,
            object_type="accounts.guardianship",
            object_repr=f"{parent} → {child}",
            result=AuditLog.Result.DENIED,
            detail={"parent_id": parent.pk, "child_id": child.pk},
            origin=origin,
        )
        raise PermissionDenied(_("您无权为该学生关联家长"))
    with transaction.atomic():
        for school in allowed:
            if not has_role(parent, Role.PARENT, organization=school):
                membership_grant(actor=actor, user=parent, organization=school, role=Role.PARENT, origin=origin)
        link = Guardianship.objects.filter(parent=parent, child=child).first()
        if link is not None:
            if link.relation == relation:
                return link
            link.relation = relation
        else:
            link = Guardianship(parent=parent, child=child, relation=relation)
        link.full_clean()
        link.save()
        audit_record(
            action="guardianship.link",
            actor=actor,
            obj=link,
            detail={"parent_id": parent.pk, "child_id": child.pk, "relation": relation},
            origin=origin,
        )
    return link


# --- API tokens -----------------------------------------------------------------------------------------

TOKEN_PREFIX = "zj_"  # noqa: S105 - a marker, not a secret
TOKEN_MAX_DAYS = 365


@transaction.atomic
def token_create(
    *,
    user: User,
    name: str,
    scopes: list[str],
    expires_in_days: int | None = 90,
    origin: Origin | None = None,
) -> tuple[ApiToken, str]:
    """Make a personal API token; the raw token is returned this once and never stored."""
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("请为令牌起个名字")]
    elif len(name) > 60:
        errors["name"] = [_("名称最多 60 个字")]
    scopes = sorted(set(scopes or []))
    if not scopes:
        errors["scopes"] = [_("请至少选择一项权限")]
    elif not set(scopes) <= set(ApiToken.Scope.values):
        errors["scopes"] = [_("权限范围只能是 read 或 write")]
    if expires_in_days is not None and not 1 <= expires_in_days <= TOKEN_MAX_DAYS:
        errors["expires_in_days"] = [_("有效期应在 1 到 %(max)d 天之间") % {"max": TOKEN_MAX_DAYS}]
    if errors:
        raise ValidationError(errors)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name,
        prefix=raw[:10],
        key_hash=token_hash(raw),
        scopes=scopes,
        expires_at=timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    token.full_clean()
    token.save()
    audit_record(
        action="token.create", actor=user, obj=token, detail={"scopes": scopes, "prefix": token.prefix}, origin=origin
    )
    return token, raw


def token_revoke(*, actor: Actor, token_id: int, origin: Origin | None = None) -> ApiToken:
    """Revoke a token at once; its owner or a platform admin may. Other people's tokens look missing."""
    token = ApiToken.objects.select_related("user").filter(pk=token_id).first()
    if token is None or not (signed_in(actor) and (token.user_id == actor.pk or is_platform_admin(actor))):
        raise NotFound
    if token.revoked_at is None:
        with transaction.atomic():
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at", "updated_at"])
            audit_record(action="token.revoke", actor=actor, obj=token, detail={"prefix": token.prefix}, origin=origin)
    return token
