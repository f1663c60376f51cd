"""The API's one error shape: every 4xx leaves as ``{"code", "message", "fields"}`` in the request's language.

::

    {"code": "invalid", "message": "提交的内容有误", "fields": {"phone": ["请输入有效的手机号码"]}}

Services raise ``DomainError`` / ``NotFound``, Django's ``PermissionDenied`` or ``ValidationError``; the handlers
here (installed on every :class:`~zhijiao.core.api.ZhijiaoAPI`) turn them into that shape, so API functions stay
thin. Bad input is worded for people here too (:func:`validation_message`).
"""

import functools
import logging
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from .errors import DomainError
from .params import control_characters_message, has_control_characters
from .ratelimit import RateLimited

logger = logging.getLogger(__name__)

# Where ninja says a bad value came from; the client only cares about the field's own name.
_PARAM_SOURCES = frozenset({"body", "query", "path", "header", "cookie", "form", "file"})
NON_FIELD = "__all__"


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
        value = error.get("input")
        if isinstance(value, str) and has_control_characters(value):
            return control_characters_message()  # the text rule is part of every pattern the API states
        if isinstance(value, str) and not value.strip():
            return gettext("此项为必填项")
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


def error_response(api: NinjaAPI, request: HttpRequest, status: int, payload: dict[str, Any]) -> HttpResponse:
    """An error answer in the one shape, never kept by a shared cache."""
    response = api.create_response(request, payload, status=status)
    # Error answers depend on the language and on who asks; never let a shared cache keep them.
    response["Cache-Control"] = "no-store"
    return response


def _on_ninja_validation(api: NinjaAPI, request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields = validation_fields(exc.errors)
    payload = error_payload("invalid", gettext("提交的内容有误，请检查各项后重试"), fields)
    return error_response(api, request, 422, payload)


def _on_django_validation(api: NinjaAPI, request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        fields = {name: list(messages) for name, messages in exc.message_dict.items()}
        general = fields.get(NON_FIELD)
        message = general[0] if general else gettext("提交的内容有误，请检查各项后重试")
    else:
        fields = {}
        message = " ".join(exc.messages) or gettext("提交的内容有误，请检查各项后重试")
    return error_response(api, request, 422, error_payload("invalid", message, fields))


def _on_domain_error(api: NinjaAPI, request: HttpRequest, exc: DomainError) -> HttpResponse:
    response = error_response(api, request, exc.status, error_payload(exc.code, exc.message, exc.fields))
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after)
    return response


def _on_permission_denied(api: NinjaAPI, request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    message = str(exc) if exc.args and str(exc) else gettext("您没有权限执行此操作")
    return error_response(api, request, 403, error_payload("forbidden", message))


def _on_not_authorized(api: NinjaAPI, request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
    return error_response(api, request, 403, error_payload("forbidden", gettext("您没有权限执行此操作")))


def not_found_response(api: NinjaAPI, request: HttpRequest) -> HttpResponse:
    """The 404 answer, for operations and for paths no operation serves."""
    return error_response(api, request, 404, error_payload("not_found", gettext("找不到您要的内容")))


def _on_http404(api: NinjaAPI, request: HttpRequest, exc: Http404) -> HttpResponse:
    return not_found_response(api, request)


def _on_unauthenticated(api: NinjaAPI, request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = error_response(
        api,
        request,
        401,
        error_payload("unauthenticated", gettext("请先登录，或在 Authorization 头中提供有效的 API 令牌")),
    )
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def _on_throttled(api: NinjaAPI, request: HttpRequest, exc: Throttled) -> HttpResponse:
    response = error_response(api, request, 429, error_payload("rate_limited", gettext("请求过于频繁，请稍后再试")))
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
        return error_response(api, request, 400, error_payload("invalid_json", message, {NON_FIELD: [message]}))
    if exc.status_code == 403 and str(exc).startswith("CSRF"):
        return error_response(api, request, 403, error_payload("csrf_failed", csrf_failure_message()))
    code = _HTTP_CODES.get(exc.status_code, "error")
    return error_response(api, request, exc.status_code, error_payload(code, exc.message))


def _on_too_big(api: NinjaAPI, request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    message = gettext("请求内容过大，不能超过 %(size)s MB") % {"size": max(1, limit // (1024 * 1024))}
    return error_response(api, request, 413, error_payload("too_large", message))


def _on_multipart_error(api: NinjaAPI, request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    # A multipart body without a boundary, or cut short: nothing in it can be read.
    message = gettext("上传的表单内容无法解析，请重新提交")
    return error_response(api, request, 400, error_payload("bad_request", message, {NON_FIELD: [message]}))


def _on_suspicious(api: NinjaAPI, request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    logger.warning("suspicious API request: %s", exc)
    return error_response(api, request, 400, error_payload("bad_request", gettext("请求无效")))


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
        (MultiPartParserError, _on_multipart_error),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, functools.partial(handler, api))


def csrf_failure_message() -> str:
    """What a session request without a valid CSRF token is told (by the handler and by the session auth)."""
    return gettext("页面已过期或缺少安全校验（CSRF），请刷新页面后重试")
