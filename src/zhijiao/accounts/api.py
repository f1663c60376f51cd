"""The accounts API: sign-up, one's own profile and identity, personal API tokens."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from zhijiao.core.actors import Origin
from zhijiao.core.api_auth import session_or_token
from zhijiao.core.api_errors import ErrorOut
from zhijiao.core.errors import DomainError
from zhijiao.core.params import Id
from zhijiao.core.ratelimit import rate_limit
from zhijiao.orgs.selectors import memberships_of

from . import selectors, services
from .models import ApiToken, Identity, User
from .schemas import (
    IdentityIn,
    IdentityOut,
    IdentityRevealIn,
    IdentityRevealOut,
    MeOut,
    RegisterIn,
    TokenCreatedOut,
    TokenIn,
    TokenOut,
    UserCreatedOut,
)

router = Router(tags=["accounts"], auth=session_or_token)

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}
# Sign-ups one client address may make per hour.
REGISTER_LIMIT_PER_HOUR = 20


def _user_out(user: User) -> dict[str, Any]:
    return {
        "id": user.pk,
        "display_name": user.display_name,
        "phone_masked": user.masked_phone,
        "email_masked": user.masked_email,
    }


def _identity_out(identity: Identity) -> dict[str, Any]:
    return {
        "real_name_masked": identity.masked_name,
        "id_number_masked": identity.id_number_masked,
        "gender": identity.gender,
        "verified_at": identity.created_at,
    }


def _token_out(token: ApiToken) -> dict[str, Any]:
    return {
        "id": token.pk,
        "name": token.name,
        "prefix": token.prefix,
        "scopes": list(token.scopes),
        "created_at": token.created_at,
        "expires_at": token.expires_at,
        "last_used_at": token.last_used_at,
        "revoked_at": token.revoked_at,
    }


def _person(request: HttpRequest) -> User:
    """The signed-in person an authenticated operation acts for (the router's auth let nobody else in)."""
    return request.user  # type: ignore[return-value]


@router.post(
    "/register", response={201: UserCreatedOut, **ERRORS}, auth=None, operation_id="accounts_register", summary="注册"
)
def register(request: HttpRequest, data: RegisterIn) -> Any:
    rate_limit(request, "accounts_register", REGISTER_LIMIT_PER_HOUR, 3600)
    user = services.user_register(
        phone=data.phone,
        email=data.email,
        password=data.password,
        display_name=data.display_name,
        language=getattr(request, "LANGUAGE_CODE", ""),
        origin=Origin.of(request),
    )
    return Status(201, _user_out(user))


@router.get("/me", response={200: MeOut, **ERRORS}, operation_id="accounts_me", summary="我的账号")
def me(request: HttpRequest) -> Any:
    user = _person(request)
    memberships = list(memberships_of(user))
    identity = selectors.identity_of(user)
    return {
        **_user_out(user),
        "date_joined": user.date_joined,
        "roles": sorted({m.role for m in memberships}),
        "memberships": [
            {
                "role": m.role,
                "role_label": str(m.get_role_display()),
                "organization_id": m.organization_id,
                "organization_name": m.organization.name,
                "title": m.title,
            }
            for m in memberships
        ],
        "identity": _identity_out(identity) if identity else None,
        "children": [
            {"id": link.child_id, "display_name": str(link.child), "relation": link.relation}
            for link in selectors.children_of(user)
        ],
    }


@router.post(
    "/me/identity",
    response={201: IdentityOut, **ERRORS},
    operation_id="accounts_identity_verify",
    summary="实名认证",
)
def identity_verify(request: HttpRequest, data: IdentityIn) -> Any:
    identity = services.identity_verify(
        user=_person(request), real_name=data.real_name, id_number=data.id_number, origin=Origin.of(request)
    )
    return Status(201, _identity_out(identity))


@router.post(
    "/me/identity/reveal",
    response={200: IdentityRevealOut, **ERRORS},
    operation_id="accounts_identity_reveal",
    summary="查看完整身份证号码（须再次输入密码，记入审计日志）",
)
def identity_reveal(request: HttpRequest, data: IdentityRevealIn) -> Any:
    person = _person(request)
    identity = selectors.identity_of(person)
    if identity is None:
        raise DomainError("identity_missing", _("您还没有完成实名认证"), status=404)
    number = services.identity_reveal_confirmed(request=request, user=person, identity=identity, password=data.password)
    return {"id_number": number}


@router.get(
    "/me/tokens",
    response={200: list[TokenOut], **ERRORS},
    operation_id="accounts_token_list",
    summary="我的 API 令牌",
)
def token_list(request: HttpRequest) -> Any:
    return [_token_out(token) for token in selectors.tokens_of(_person(request))]


def _refuse_token_management_by_token(request: HttpRequest) -> None:
    # A leaked token must not be able to mint or revoke tokens: that is for the person, signed in.
    if getattr(request, "auth_scopes", None) is not None:
        raise PermissionDenied(_("请登录网站管理 API 令牌，令牌本身不能用来管理令牌"))


@router.post(
    "/me/tokens",
    response={201: TokenCreatedOut, **ERRORS},
    operation_id="accounts_token_create",
    summary="创建 API 令牌（完整令牌只返回这一次）",
)
def token_create(request: HttpRequest, data: TokenIn) -> Any:
    _refuse_token_management_by_token(request)
    token, raw = services.token_create(
        user=_person(request),
        name=data.name,
        scopes=list(data.scopes),
        expires_in_days=data.expires_in_days,
        origin=Origin.of(request),
    )
    return Status(201, {**_token_out(token), "token": raw})


@router.delete(
    "/me/tokens/{token_id}",
    response={204: None, **ERRORS},
    operation_id="accounts_token_revoke",
    summary="撤销 API 令牌",
)
def token_revoke(request: HttpRequest, token_id: Id) -> Any:
    _refuse_token_management_by_token(request)
    token = selectors.tokens_of(_person(request)).filter(pk=token_id).first()
    if token is None:
        raise DomainError("not_found", _("找不到该令牌"), status=404)
    services.token_revoke(actor=_person(request), token_id=token.pk, origin=Origin.of(request))
    return Status(204, None)
