"""Who is calling the API: the site's session (with CSRF on unsafe methods) or a personal API token.

A router declares its auth once (``Router(auth=session_or_token)``); public operations say ``auth=None``. A token's
scopes are enforced here, by :class:`TokenAuth`: a read-only token is refused on every unsafe method.

The kernel knows no user table: the accounts app tells it how a raw token becomes a user and scopes
(:func:`use_token_lookup`, called from its ``AppConfig.ready()``). Until one is registered, every token is refused.
"""

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from .actors import signed_in
from .api_errors import csrf_failure_message
from .errors import DomainError

if TYPE_CHECKING:  # the kernel names the user type for the type checker only; it imports no domain app
    from zhijiao.accounts.models import User

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# A raw bearer token → (its active user, the token's scopes), or None when unknown, revoked or expired.
type TokenLookup = Callable[[str], tuple[User, Sequence[str]] | None]

_token_lookup: list[TokenLookup] = []


def use_token_lookup(lookup: TokenLookup) -> None:
    """Say how a bearer token is found (the accounts app does, in its ``ready()``); a later call replaces it."""
    _token_lookup[:] = [lookup]


class SessionAuth(APIKeyCookie):
    """The site's own session; unsafe methods must carry the CSRF token like any form post."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if not signed_in(user):
            return None  # nobody signed in: nothing for CSRF to protect, try the next method
        unsafe = request.method not in SAFE_METHODS and not getattr(request, "_ninja_csrf_exempt", False)
        if unsafe and check_csrf(request) is not None:
            raise DomainError("csrf_failed", csrf_failure_message(), status=403)
        request.auth_scopes = None  # type: ignore[attr-defined]  # a person at the site may do what they may
        return user


class TokenAuth(HttpBearer):
    """A personal API token (``Authorization: Bearer <token>``) for integrations; its scopes bound what it does."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = _token_lookup[0](token.strip()) if _token_lookup else None
        if found is None:
            # A request that presents a token is judged by it alone: a bad one is refused, never passed on to
            # a session cookie that happens to ride along.
            raise DomainError("unauthenticated", gettext("API 令牌无效、已撤销或已过期"), status=401)
        user, scopes = found
        request.user = user
        request.auth_scopes = list(scopes)  # type: ignore[attr-defined]
        require_scope(request, "read" if request.method in SAFE_METHODS else "write")
        return user


def by_token(request: HttpRequest) -> bool:
    """Whether the request was authenticated by an API token (rather than by the site's session)."""
    return getattr(request, "auth_scopes", None) is not None


def require_scope(request: HttpRequest, scope: str) -> None:
    """Refuse a token that lacks ``scope``; session users pass (their roles are checked by the services).

    ``write`` includes ``read``: a token that may change something may also look at it.
    """
    scopes = getattr(request, "auth_scopes", None)
    if scopes is None:
        return
    if scope in scopes or (scope == "read" and "write" in scopes):
        return
    raise PermissionDenied(gettext("此 API 令牌没有“%(scope)s”权限") % {"scope": scope})


session_auth = SessionAuth()
token_auth = TokenAuth()
# The token goes first: an integration that sends one is judged by it, never by a stray cookie.
session_or_token = [token_auth, session_auth]
