"""The JSON API kernel: one error shape for every 4xx, authentication, rate limits, local interactive docs.

Every router mounts on a :class:`ZhijiaoAPI`. Whatever goes wrong on the client's side leaves as::

    {"code": "invalid", "message": "提交的内容有误", "fields": {"phone": ["请输入有效的手机号码"]}}

in the request's language. Services raise ``DomainError`` / ``NotFound``, Django's ``PermissionDenied`` or
``ValidationError``; the handlers here turn them into that shape, so API functions stay thin.
"""

import functools
import hashlib
import json
import logging
import math
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, re_path, reverse
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled, ValidationErrorContext
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.docs import Swagger
from ninja.openapi.schema import REF_TEMPLATE, OpenAPISchema
from ninja.renderers import JSONRenderer
from ninja.security import APIKeyCookie, HttpBearer
from ninja.throttling import BaseThrottle
from ninja.utils import check_csrf

from .errors import DomainError
from .services import client_ip

logger = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Where ninja says a bad value came from; the client only cares about the field's own name.
_PARAM_SOURCES = frozenset({"body", "query", "path", "header", "cookie", "form", "file"})
NON_FIELD = "__all__"


# --- The error shape ------------------------------------------------------------------------------------


class ErrorOut(Schema):
    """Every 4xx answer: a stable machine code, a message for people, and messages per field."""

    code: str
    message: str
    fields: dict[str, list[str]]


def error_payload(code: str, message: Any, fields: Mapping[str, Iterable[Any]] | None = None) -> dict[str, Any]:
    """The one JSON error shape; lazy translations are resolved in the request's language."""
    return {
        "code": code,
        "message": str(message),
        "fields": {str(name): [str(text) for text in texts] for name, texts in (fields or {}).items()},
    }


class RateLimited(DomainError):
    """Too many attempts from one client; ``retry_after`` says when to try again."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("rate_limited", gettext("操作过于频繁，请稍后再试"), status=429)
        self.retry_after = max(1, int(retry_after))


def _field_name(loc: Sequence[Any]) -> str:
    """A field name from a bare ninja location, for errors that did not pass through ZhijiaoAPI's own
    conversion: ``("body", "data", "phone")`` → ``phone``; ``("query", "limit")`` → ``limit``."""
    parts = list(loc)
    source = parts.pop(0) if parts and parts[0] in _PARAM_SOURCES else None
    # A body schema parameter's own name ("data") means nothing to the client: drop it before the field.
    if source in {"body", "form", "file"} and len(parts) > 1:
        parts.pop(0)
    return ".".join(str(part) for part in parts) or NON_FIELD


def describe_error(model: Any, error: Mapping[str, Any]) -> dict[str, Any]:
    """One pydantic error of a ninja parameter model as ``{"field", "message", "loc", "type"}``.

    A body read into one schema parameter (``data: ThingIn``) is validated as ``{"data": body}``: the
    parameter's name is dropped, and an error about the body as a whole goes under ``__all__``. Because
    ninja schemas read attributes, a JSON array or string where an object belongs shows up as errors on
    the object's fields; those become one "should be an object" error on the container instead.
    """
    source = getattr(model, "__ninja_param_source__", "")
    loc = tuple(model.__ninja_flatten_map_reverse__.get(error["loc"], error["loc"]))
    single = getattr(model, "__read_from_single_attr__", None)
    kind = error.get("type", "")
    parent = getattr(error.get("input"), "_obj", None)
    if loc and parent is not None and not isinstance(parent, Mapping) and isinstance(parent, (list, str, int, float)):
        loc, kind = loc[:-1], "model_type"
        message = validation_message({"type": kind})
    else:
        message = validation_message(error)
    parts = list(loc[1:] if single and loc and loc[0] == single else loc)
    if single and not parts and kind == "missing":
        message = gettext("请提交 JSON 格式的请求内容")
    return {
        "loc": (source, *loc),
        "type": kind,
        "field": ".".join(str(part) for part in parts) or NON_FIELD,
        "message": message,
    }


def _bound(ctx: dict[str, Any], *names: str) -> Any:
    for name in names:
        if name in ctx:
            return ctx[name]
    return ""


def validation_message(error: Mapping[str, Any]) -> str:
    """A pydantic error as a sentence for people, in the request's language."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind in {"value_error", "assertion_error"} and "error" in ctx:
        # A schema validator's own message, already written for people (and translated when raised).
        return str(getattr(ctx["error"], "message", None) or ctx["error"]).removeprefix("Value error, ")
    if kind == "missing":
        return gettext("此项为必填项")
    if kind in {"int_parsing", "int_type", "int_from_float", "int_parsing_size"}:
        return gettext("请输入整数")
    if kind.startswith(("float_", "decimal_")):
        return gettext("请输入数字")
    if kind.startswith("bool_"):
        return gettext("请输入 true 或 false")
    if kind in {"string_type", "string_unicode", "bytes_type"}:
        return gettext("请输入文本")
    if kind == "string_too_short":
        return gettext("至少需要 %(limit)s 个字符") % {"limit": _bound(ctx, "min_length")}
    if kind == "string_too_long":
        return gettext("最多 %(limit)s 个字符") % {"limit": _bound(ctx, "max_length")}
    if kind == "too_short":
        return gettext("至少需要 %(limit)s 项") % {"limit": _bound(ctx, "min_length")}
    if kind == "too_long":
        return gettext("最多 %(limit)s 项") % {"limit": _bound(ctx, "max_length")}
    if kind == "greater_than_equal":
        return gettext("不能小于 %(limit)s") % {"limit": _bound(ctx, "ge")}
    if kind == "greater_than":
        return gettext("必须大于 %(limit)s") % {"limit": _bound(ctx, "gt")}
    if kind == "less_than_equal":
        return gettext("不能大于 %(limit)s") % {"limit": _bound(ctx, "le")}
    if kind == "less_than":
        return gettext("必须小于 %(limit)s") % {"limit": _bound(ctx, "lt")}
    if kind in {"enum", "literal_error"}:
        # pydantic words the choices as "'a', 'b' or 'c'"; list them plainly.
        expected = str(_bound(ctx, "expected")).replace("' or '", "', '")
        choices = ", ".join(choice.strip().strip("'") for choice in expected.split(","))
        return gettext("请从以下选项中选择：%(choices)s") % {"choices": choices}
    if kind.startswith("date_") and not kind.startswith("datetime_"):
        return gettext("请输入有效的日期，例如 2026-09-01")
    if kind.startswith(("datetime_", "timezone_")):
        return gettext("请输入有效的日期时间，例如 2026-09-01T08:00:00+08:00")
    if kind.startswith("time_"):
        return gettext("请输入有效的时间，例如 08:00")
    if kind.startswith("uuid_"):
        return gettext("请输入有效的 UUID")
    if kind.startswith("url_"):
        return gettext("请输入有效的网址")
    if kind == "string_pattern_mismatch":
        return gettext("格式不正确")
    if kind in {"dict_type", "model_type", "model_attributes_type", "dataclass_type"}:
        return gettext("应为 JSON 对象")
    if kind in {"list_type", "tuple_type", "set_type", "iterable_type"}:
        return gettext("应为列表")
    if kind == "json_invalid":
        return gettext("不是有效的 JSON")
    if kind == "extra_forbidden":
        return gettext("不接受此字段")
    return gettext("输入无效")


def validation_fields(errors: Iterable[dict[str, Any]]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        messages = fields.setdefault(error.get("field") or _field_name(error.get("loc", ())), [])
        message = error.get("message") or validation_message(error)
        if message not in messages:
            messages.append(message)
    return fields


def django_checked[V, R](check: Callable[[V], R]) -> Callable[[V], R]:
    """Use a Django validator or normaliser (raising ``ValidationError``) inside a schema.

    ``Phone = Annotated[str, AfterValidator(django_checked(normalize_phone))]`` answers a bad number with a
    field-level 422 under the field's own name, like any other schema error.
    """

    @functools.wraps(check)
    def wrapper(value: V) -> R:
        try:
            return check(value)
        except DjangoValidationError as exc:
            raise ValueError(" ".join(str(message) for message in exc.messages)) from exc

    return wrapper


def _respond(api: NinjaAPI, request: HttpRequest, status: int, payload: dict[str, Any]) -> HttpResponse:
    response = api.create_response(request, payload, status=status)
    # Error answers depend on the language and on who asks; never let a shared cache keep them.
    response["Cache-Control"] = "no-store"
    return response


def _on_ninja_validation(api: NinjaAPI, request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields = validation_fields(exc.errors)
    return _respond(api, request, 422, error_payload("invalid", gettext("提交的内容有误，请检查各项后重试"), fields))


def _on_django_validation(api: NinjaAPI, request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        fields = {name: list(messages) for name, messages in exc.message_dict.items()}
        general = fields.get(NON_FIELD)
        message = general[0] if general else gettext("提交的内容有误，请检查各项后重试")
    else:
        fields = {}
        message = " ".join(exc.messages) or gettext("提交的内容有误，请检查各项后重试")
    return _respond(api, request, 422, error_payload("invalid", message, fields))


def _on_domain_error(api: NinjaAPI, request: HttpRequest, exc: DomainError) -> HttpResponse:
    response = _respond(api, request, exc.status, error_payload(exc.code, exc.message, exc.fields))
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after)
    return response


def _on_permission_denied(api: NinjaAPI, request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    message = str(exc) if exc.args and str(exc) else gettext("您没有权限执行此操作")
    return _respond(api, request, 403, error_payload("forbidden", message))


def _on_not_authorized(api: NinjaAPI, request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
    return _respond(api, request, 403, error_payload("forbidden", gettext("您没有权限执行此操作")))


def _on_http404(api: NinjaAPI, request: HttpRequest, exc: Http404) -> HttpResponse:
    return _respond(api, request, 404, error_payload("not_found", gettext("找不到您要的内容")))


def _on_unauthenticated(api: NinjaAPI, request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _respond(
        api,
        request,
        401,
        error_payload("unauthenticated", gettext("请先登录，或在 Authorization 头中提供有效的 API 令牌")),
    )
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def _on_throttled(api: NinjaAPI, request: HttpRequest, exc: Throttled) -> HttpResponse:
    response = _respond(api, request, 429, error_payload("rate_limited", gettext("请求过于频繁，请稍后再试")))
    retry_after = getattr(request, "_zj_retry_after", None) or (math.ceil(exc.wait) if exc.wait else None)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


_HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "rate_limited",
}


def _on_http_error(api: NinjaAPI, request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        # ninja's words for a body that is not JSON at all (or not UTF-8).
        message = gettext("请求内容不是有效的 JSON")
        return _respond(api, request, 422, error_payload("invalid_json", message, {NON_FIELD: [message]}))
    if exc.status_code == 403 and str(exc).startswith("CSRF"):
        return _respond(api, request, 403, error_payload("csrf_failed", _csrf_message()))
    code = _HTTP_CODES.get(exc.status_code, "error")
    return _respond(api, request, exc.status_code, error_payload(code, exc.message))


def _on_too_big(api: NinjaAPI, request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    message = gettext("请求内容过大，不能超过 %(size)s MB") % {"size": max(1, limit // (1024 * 1024))}
    return _respond(api, request, 413, error_payload("too_large", message))


def _on_suspicious(api: NinjaAPI, request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    logger.warning("suspicious API request: %s", exc)
    return _respond(api, request, 400, error_payload("bad_request", gettext("请求无效")))


def install_error_handlers(api: NinjaAPI) -> None:
    """Register the handlers that give every 4xx the one shape (unexpected exceptions stay 500s)."""
    handlers: list[tuple[type[Exception], Callable[..., HttpResponse]]] = [
        (NinjaValidationError, _on_ninja_validation),
        (DjangoValidationError, _on_django_validation),
        (DomainError, _on_domain_error),
        (PermissionDenied, _on_permission_denied),
        (Http404, _on_http404),
        (AuthenticationError, _on_unauthenticated),
        (AuthorizationError, _on_not_authorized),
        (Throttled, _on_throttled),
        (HttpError, _on_http_error),
        (RequestDataTooBig, _on_too_big),
        (SuspiciousOperation, _on_suspicious),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, functools.partial(handler, api))


# --- Authentication --------------------------------------------------------------------------------------


def _csrf_message() -> str:
    return gettext("页面已过期或缺少安全校验（CSRF），请刷新页面后重试")


class SessionAuth(APIKeyCookie):
    """The site's own session; unsafe methods must carry the CSRF token like any form post."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None  # nobody signed in: nothing for CSRF to protect, try the next method
        unsafe = request.method not in SAFE_METHODS and not getattr(request, "_ninja_csrf_exempt", False)
        if unsafe and check_csrf(request) is not None:
            raise DomainError("csrf_failed", _csrf_message(), status=403)
        request.auth_scopes = None  # type: ignore[attr-defined]  # a person at the site may do what they may
        return user


class TokenAuth(HttpBearer):
    """A personal API token (``Authorization: Bearer <token>``) for integrations; its scopes bound what it does."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from zhijiao.accounts.selectors import user_for_api_token

        found = user_for_api_token(raw_token=token.strip())
        if found is None:
            # A request that presents a token is judged by it alone: a bad one is refused, never passed on to
            # a session cookie that happens to ride along.
            raise DomainError("unauthenticated", gettext("API 令牌无效、已撤销或已过期"), status=401)
        user, scopes = found
        request.user = user
        request.auth_scopes = list(scopes)  # type: ignore[attr-defined]
        require_scope(request, "read" if request.method in SAFE_METHODS else "write")
        return user


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


# --- Rate limits -----------------------------------------------------------------------------------------

_PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


@functools.lru_cache(maxsize=64)
def parse_rate(rate: str) -> tuple[int, int]:
    """``"120/min"`` → ``(120, 60)``; also ``"5/10m"``."""
    count, _, period = rate.partition("/")
    digits = "".join(ch for ch in period if ch.isdigit())
    unit = period[len(digits) :]
    if not count.isdigit() or unit not in _PERIODS:
        raise ValueError(f"invalid rate {rate!r}")
    return int(count), int(digits or 1) * _PERIODS[unit]


def _hashed(value: str) -> str:
    # Cache keys never hold a raw address.
    return hashlib.sha256(value.encode()).hexdigest()[:24]


def client_key(request: HttpRequest) -> str:
    """The client's address as rate-limit keys hold it (hashed, never the address itself)."""
    return _hashed(client_ip(request) or "unknown")


def _counter_redis(backend: RedisCache) -> Any:
    """A redis-py client for the counters, made once per cache backend (one per thread) over Django's pool.

    Django's Redis cache builds a new client object for every operation: about 0.1 ms of CPU each with redis-py 8,
    more than the counting itself. The counters reuse one; keys, values and the pool are Django's own, so
    ``cache.get`` reads what they count.
    """
    client = getattr(backend, "_zhijiao_counter_client", None)
    if client is None:
        client = backend._cache.get_client(None, write=True)
        backend._zhijiao_counter_client = client  # type: ignore[attr-defined]
    return client


def _window(key: str, window_seconds: int, now: float) -> tuple[str, int]:
    bucket = int(now // window_seconds)
    return f"ratelimit:{key}:{bucket}", max(1, math.ceil((bucket + 1) * window_seconds - now))


def count_hits(
    counts: Sequence[tuple[str, int]], peeks: Sequence[tuple[str, int]] = ()
) -> tuple[list[tuple[int, int]], list[int]]:
    """Count one hit on each ``(key, window seconds)`` of ``counts`` and read each counter of ``peeks``.

    Answers, in order, (hits so far, seconds until the window ends) per count and the hits so far per peek.
    With Redis, all of it is one round trip: ``INCR`` and ``EXPIRE`` per count and ``GET`` per peek, pipelined
    (Django's ``incr`` asks ``EXISTS`` first, and a new window adds an ``add``). The expiry is set again on every
    hit; the key names its window, so it only outlives the window by a second. Elsewhere: one cache operation per
    count once its window's counter exists, ``incr`` first and ``add`` only for a new window. Both are atomic: of
    two requests that find no counter, one ``add`` wins and the other increments the winner's.
    """
    now = time.time()
    windows = [_window(key, seconds, now) for key, seconds in counts]
    peeked = [_window(key, seconds, now)[0] for key, seconds in peeks]
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        pipe = _counter_redis(backend).pipeline(transaction=False)
        for (cache_key, _retry), (_key, seconds) in zip(windows, counts, strict=True):
            full_key = backend.make_and_validate_key(cache_key)
            pipe.incr(full_key)
            pipe.expire(full_key, seconds + 1)
        for cache_key in peeked:
            pipe.get(backend.make_and_validate_key(cache_key))
        answers = pipe.execute()
        hits = [int(answers[2 * n]) for n in range(len(counts))]
        return (
            [(count, retry) for count, (_key, retry) in zip(hits, windows, strict=True)],
            [int(value or 0) for value in answers[2 * len(counts) :]],
        )
    counted = [
        (_count_in_cache(backend, cache_key, seconds), retry)
        for (cache_key, retry), (_k, seconds) in zip(windows, counts, strict=True)
    ]
    return counted, [int(backend.get(cache_key) or 0) for cache_key in peeked]


def _count_in_cache(backend: Any, cache_key: str, window_seconds: int) -> int:
    try:
        return int(backend.incr(cache_key))
    except ValueError:  # a new window (or the counter just expired)
        if backend.add(cache_key, 1, timeout=window_seconds + 1):
            return 1
        try:
            return int(backend.incr(cache_key))
        except ValueError:  # expired between add and incr
            backend.set(cache_key, 1, timeout=window_seconds + 1)
            return 1


def count_hit(key: str, window_seconds: int) -> tuple[int, int]:
    """Count one hit in the current fixed window: (hits so far, seconds until the window ends). See count_hits."""
    return count_hits([(key, window_seconds)])[0][0]


def hits_so_far(key: str, window_seconds: int) -> int:
    """What :func:`count_hit` has counted for ``key`` in the current window, without counting."""
    return count_hits([], [(key, window_seconds)])[1][0]


def rate_limit(request: HttpRequest, key: str, limit: int, window_seconds: int) -> None:
    """Allow ``limit`` calls of operation ``key`` per client address per window; beyond that answer 429."""
    hits, retry_after = count_hit(f"{key}:{client_key(request)}", window_seconds)
    if hits > limit:
        raise RateLimited(retry_after)


class SettingsRateThrottle(BaseThrottle):
    """ninja throttle with its rate read from a setting on each request (so deployments and tests can tune it).

    ninja's own Anon/AuthRateThrottle keep per-request state on the shared throttle object (unsafe with
    threaded servers), trust any X-Forwarded-For and key users by ``str(user)``; this one counts with the
    same cache counter as :func:`rate_limit`, by :func:`client_ip` or by user id.
    """

    setting = ""
    default_rate = ""
    scope = ""

    def rate(self) -> tuple[int, int]:
        return parse_rate(getattr(settings, self.setting, self.default_rate))

    def ident(self, request: HttpRequest) -> str | None:
        raise NotImplementedError

    def allow_request(self, request: HttpRequest) -> bool:
        ident = self.ident(request)
        if ident is None:
            return True
        limit, window = self.rate()
        hits, retry_after = count_hit(f"api:{self.scope}:{ident}", window)
        if hits > limit:
            request._zj_retry_after = retry_after  # type: ignore[attr-defined]
            return False
        return True

    def wait(self) -> float | None:
        return None  # shared object, no per-request state: the 429 handler reads Retry-After from the request


class AnonymousThrottle(SettingsRateThrottle):
    """Visitors who are not signed in, per client address (default 120 requests a minute)."""

    setting = "API_RATE_ANON"
    default_rate = "120/min"
    scope = "anon"

    def ident(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return None
        return client_key(request)


class UserThrottle(SettingsRateThrottle):
    """Signed-in people and tokens, per user (default 600 requests a minute)."""

    setting = "API_RATE_USER"
    default_rate = "600/min"
    scope = "user"

    def ident(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return str(user.pk)


# --- Interactive docs ------------------------------------------------------------------------------------


class LocalSwagger(Swagger):
    """Swagger UI from ninja's bundled static files (no CDN: the CSP allows scripts from 'self' only)."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        swagger_settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        context = {
            "swagger_settings": json.dumps(swagger_settings, indent=1),
            "api": api,
            # "Try it out" with a signed-in session must send the CSRF token on unsafe methods.
            "add_csrf": True,
        }
        return render(request, self.template, context)


# --- The API class ---------------------------------------------------------------------------------------


def _json_answers(view: Callable[..., HttpResponseBase], api: NinjaAPI) -> Callable[..., HttpResponseBase]:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            response = view(request, *args, **kwargs)
        except Http404 as exc:  # ninja's root view (operations turn Http404 into JSON themselves)
            return _on_http404(api, request, exc)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = _respond(
                api, request, 405, error_payload("method_not_allowed", gettext("此地址不支持该请求方法"))
            )
            response["Allow"] = allowed
        return response

    return wrapper


class Utf8JSONRenderer(JSONRenderer):
    """Chinese text as UTF-8 rather than \\uXXXX escapes: half the bytes on a slow link."""

    json_dumps_params = {"ensure_ascii": False}


class ZhijiaoAPI(NinjaAPI):
    """NinjaAPI with the one error shape, default throttles, local docs and JSON answers for unknown paths."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("renderer", Utf8JSONRenderer())
        kwargs.setdefault("docs", LocalSwagger())
        kwargs.setdefault("throttle", [AnonymousThrottle(), UserThrottle()])
        super().__init__(**kwargs)
        install_error_handlers(self)

    def validation_error_from_error_contexts(
        self, error_contexts: list[ValidationErrorContext[Any]]
    ) -> NinjaValidationError:
        """Name each bad value by its field and word its message for people, while the model is at hand."""
        return NinjaValidationError(
            [
                describe_error(context.model, error)
                for context in error_contexts
                for error in context.pydantic_validation_error.errors(include_url=False)
            ]
        )

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        patterns = super()._get_urls()
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = _json_answers(pattern.callback, self)

        @csrf_exempt
        def unknown_endpoint(request: HttpRequest, rest: str) -> HttpResponse:
            return _on_http404(self, request, Http404())

        patterns.append(re_path(r"^(?P<rest>.+)$", unknown_endpoint, name="unknown-endpoint"))
        return patterns

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None) -> Any:
        """ninja's schema, plus the error shape documented on every operation."""
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        schema = CheckedOpenAPISchema(self, path_prefix)
        if schema.name_clashes:
            logger.warning("OpenAPI schemas share a name but differ: %s", ", ".join(sorted(schema.name_clashes)))
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault("ErrorOut", ErrorOut.model_json_schema(ref_template=REF_TEMPLATE))
        error_response = {
            "description": gettext("出错时的统一格式：code、message 与按字段列出的 fields"),
            "content": {"application/json": {"schema": {"$ref": REF_TEMPLATE.format(model="ErrorOut")}}},
        }
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                if isinstance(operation, dict) and "responses" in operation:
                    # JSON keys are strings anyway; ninja's int status codes would not sort beside "4XX".
                    responses = {str(status): answer for status, answer in operation["responses"].items()}
                    responses.setdefault("4XX", error_response)
                    operation["responses"] = responses
        return schema


class CheckedOpenAPISchema(OpenAPISchema):
    """ninja's schema builder, noting when two different models share a component name.

    ninja names components by class name only, so ``Article.Kind`` and ``Organization.Kind`` would both be
    ``Kind`` and one would silently replace the other; the snapshot tests fail on any such clash.
    """

    def __init__(self, api: NinjaAPI, path_prefix: str) -> None:
        self.name_clashes: set[str] = set()
        super().__init__(api, path_prefix)

    def add_schema_definitions(self, definitions: dict[str, Any]) -> None:
        for name, definition in definitions.items():
            known = self.schemas.get(name)
            if known is not None and known != definition:
                self.name_clashes.add(name)
        super().add_schema_definitions(definitions)


# --- The committed OpenAPI snapshot ----------------------------------------------------------------------


def openapi_snapshot_path() -> Path:
    """docs/openapi.json at the repository's root (src/zhijiao/ is two levels below it)."""
    return Path(__file__).resolve().parents[3] / "docs" / "openapi.json"


def openapi_document(api: NinjaAPI) -> str:
    """The schema as committed: sorted keys, Chinese kept readable, in the default language."""
    with translation.override(settings.LANGUAGE_CODE):
        schema = api.get_openapi_schema(path_prefix=reverse(f"{api.urls_namespace}:api-root"))
        return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
