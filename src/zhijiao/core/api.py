"""The JSON API kernel: the API class every router mounts on, its local interactive docs, the OpenAPI snapshot.

:class:`ZhijiaoAPI` answers every 4xx in one shape (:mod:`zhijiao.core.api_errors`), throttles by default
(:mod:`zhijiao.core.ratelimit`) and serves Swagger UI from our own static files. Who may call an operation is
:mod:`zhijiao.core.api_auth`'s.
"""

import functools
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, get_resolver, re_path, reverse
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError
from ninja.errors import ValidationErrorContext
from ninja.openapi.docs import Swagger
from ninja.openapi.schema import REF_TEMPLATE, OpenAPISchema
from ninja.renderers import JSONRenderer

from . import api_decimals
from .api_errors import (
    ErrorOut,
    describe_error,
    error_payload,
    error_response,
    install_error_handlers,
    not_found_response,
)
from .api_parser import CheckedParser
from .params import TEXT_PATTERN
from .ratelimit import AnonymousThrottle, UserThrottle

logger = logging.getLogger(__name__)

api_decimals.install()

# The ZhijiaoAPIs whose URLs have been built, by URL namespace; see mounted_apis().
_MOUNTED: dict[str, "ZhijiaoAPI"] = {}


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


def _json_answers(view: Callable[..., HttpResponseBase], api: NinjaAPI) -> Callable[..., HttpResponseBase]:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            response = view(request, *args, **kwargs)
        except Http404:  # ninja's root view (operations turn Http404 into JSON themselves)
            return not_found_response(api, request)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = error_response(
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
        kwargs.setdefault("parser", CheckedParser())
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
            return not_found_response(self, request)

        patterns.append(re_path(r"^(?P<rest>.+)$", unknown_endpoint, name="unknown-endpoint"))
        _MOUNTED[self.urls_namespace.split(":")[-1]] = self
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
        documented_error = {
            "description": gettext("出错时的统一格式：code、message 与按字段列出的 fields"),
            "content": {"application/json": {"schema": {"$ref": REF_TEMPLATE.format(model="ErrorOut")}}},
        }
        _describe_text_rule(schema)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                if isinstance(operation, dict) and "responses" in operation:
                    # JSON keys are strings anyway; ninja's int status codes would not sort beside "4XX".
                    responses = {str(status): answer for status, answer in operation["responses"].items()}
                    responses.setdefault("4XX", documented_error)
                    operation["responses"] = responses
        return schema


JSON_VALUE = "JsonValue"
"""The component naming any JSON value whose texts and keys hold no control character (a free-form field)."""


def _json_value_schema() -> dict[str, Any]:
    ref = {"$ref": REF_TEMPLATE.format(model=JSON_VALUE)}
    return {
        "description": "任意 JSON 值；其中的文字与键名不含控制字符",
        "anyOf": [
            {"type": "string", "pattern": TEXT_PATTERN},
            {"type": "number"},
            {"type": "boolean"},
            {"type": "null"},
            {"type": "array", "items": ref},
            {"type": "object", "propertyNames": {"pattern": TEXT_PATTERN}, "additionalProperties": ref},
        ],
    }


def _is_optional_upload(node: dict[str, Any]) -> bool:
    branches = node.get("anyOf")
    return (
        isinstance(branches, list)
        and len(branches) == 2
        and {"type": "null"} in branches
        and any(isinstance(b, dict) and b.get("format") == "binary" for b in branches)
    )


def _describe_text_rule(schema: dict[str, Any]) -> None:
    """Say in the description what the server enforces: no text the API reads holds a control character
    (``core.api_parser``). Every free string of a parameter or of a request body gets ``TEXT_PATTERN``, every
    object's keys too, and a free-form value (``Any``) becomes :data:`JSON_VALUE`, which says it all the way down.
    A form (multipart) says what a form can: its field names hold no control character either, no field is null
    (a field left out is), a required text field is not empty (an empty one reads as missing) and a file part is
    never empty."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    seen: set[str] = set()
    uses_json_value = False

    def mark(node: Any, form: bool = False) -> None:
        nonlocal uses_json_value
        if isinstance(node, list):
            for item in node:
                mark(item, form)
            return
        if not isinstance(node, dict):
            return
        ref = node.get("$ref")
        if isinstance(ref, str):
            name = ref.rsplit("/", 1)[-1]
            if name not in seen and name in components:
                seen.add(name)
                mark(components[name], form)
            return
        if _is_optional_upload(node):
            branches = node.pop("anyOf")
            node.update(next(b for b in branches if b.get("format") == "binary"))
        if node.get("format") == "binary":
            node.setdefault("minLength", 1)  # an empty file part reads as no file
        if node.get("type") == "string" and not {"pattern", "format", "enum", "const"} & node.keys():
            node["pattern"] = TEXT_PATTERN
        if form and node.get("type") == "object":
            node.setdefault("propertyNames", {"pattern": TEXT_PATTERN})  # the parser refuses any such field name
            for field in node.get("properties", {}).values():
                _drop_null(field)  # a form has no null: a field left out is one
            for name in node.get("required", []):
                field = node.get("properties", {}).get(name, {})
                if field.get("type") == "string" and "format" not in field:
                    field.setdefault("minLength", 1)  # an empty form field reads as a missing one
        for key, value in list(node.items()):
            if key == "properties" and isinstance(value, dict):
                # property names are not schemas ("description" is a field name here)
                for name, field in value.items():
                    if _is_free(field):
                        value[name] = {**_describe_free(field), "$ref": REF_TEMPLATE.format(model=JSON_VALUE)}
                        uses_json_value = True
                mark(list(value.values()), form)
            elif key in ("items", "additionalProperties") and (value is True or _is_free(value)):
                node[key] = {"$ref": REF_TEMPLATE.format(model=JSON_VALUE)}
                if key == "additionalProperties":
                    node.setdefault("propertyNames", {"pattern": TEXT_PATTERN})  # a free mapping's keys are text
                uses_json_value = True
            elif key in ("items", "anyOf", "oneOf", "allOf", "additionalProperties", "content", "schema"):
                mark(value, form)
            elif key == "application/json":
                mark(value)
            elif key in ("multipart/form-data", "application/x-www-form-urlencoded"):
                mark(value, form=True)

    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict):
                mark([parameter.get("schema") for parameter in operation.get("parameters", [])])
                mark(operation.get("requestBody"))
    if uses_json_value:
        components.setdefault(JSON_VALUE, _json_value_schema())


def _drop_null(node: dict[str, Any]) -> None:
    branches = node.get("anyOf")
    if isinstance(branches, list) and {"type": "null"} in branches:
        rest = [branch for branch in branches if branch != {"type": "null"}]
        del node["anyOf"]
        if len(rest) == 1:
            node.update(rest[0])
        else:
            node["anyOf"] = rest


_WORDS_ONLY = {"title", "description", "default", "examples"}


def _is_free(node: Any) -> bool:
    """A schema that allows any JSON value (pydantic's ``Any``: nothing but words such as a title)."""
    return isinstance(node, dict) and node.keys() <= _WORDS_ONLY


def _describe_free(node: dict[str, Any]) -> dict[str, Any]:
    return {key: node[key] for key in ("title", "description", "default", "examples") if key in node}


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


def openapi_snapshot_path() -> Path:
    """docs/openapi.json at the repository's root (src/zhijiao/ is two levels below it)."""
    return Path(__file__).resolve().parents[3] / "docs" / "openapi.json"


def openapi_document(api: NinjaAPI) -> str:
    """The schema as committed: sorted keys, Chinese kept readable, in the default language."""
    with translation.override(settings.LANGUAGE_CODE):
        schema = api.get_openapi_schema(path_prefix=reverse(f"{api.urls_namespace}:api-root"))
        return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def mounted_apis(urlconf: str | None = None) -> dict[str, ZhijiaoAPI]:
    """The ZhijiaoAPIs the URLconf (``ROOT_URLCONF`` by default) serves, by URL namespace.

    The kernel does not import the project's API object: loading the URLconf builds its URLs, which records it.
    """
    served: set[str] = set()
    pending: list[URLPattern | URLResolver] = list(get_resolver(urlconf).url_patterns)
    while pending:
        pattern = pending.pop()
        if isinstance(pattern, URLResolver):
            if pattern.namespace:
                served.add(pattern.namespace)
            pending.extend(pattern.url_patterns)
    return {namespace: api for namespace, api in _MOUNTED.items() if namespace in served}
