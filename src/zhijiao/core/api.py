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


def _describe_text_rule(schema: dict[str, Any]) -> None:
    """Say in the description what the server enforces: no text the API reads holds a control character
    (``core.api_parser``). Every free string of a parameter or of a request body gets ``TEXT_PATTERN``."""
    components = schema.get("components", {}).get("schemas", {})
    seen: set[str] = set()

    def mark(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                mark(item)
            return
        if not isinstance(node, dict):
            return
        ref = node.get("$ref")
        if isinstance(ref, str):
            name = ref.rsplit("/", 1)[-1]
            if name not in seen and name in components:
                seen.add(name)
                mark(components[name])
            return
        if node.get("type") == "string" and not {"pattern", "format", "enum", "const"} & node.keys():
            node["pattern"] = TEXT_PATTERN
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                mark(list(value.values()))  # property names are not schemas ("description" is a field name here)
            elif key in ("items", "anyOf", "oneOf", "allOf", "additionalProperties", "content", "schema") or key in (
                "application/json",
                "multipart/form-data",
            ):
                mark(value)

    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict):
                mark([parameter.get("schema") for parameter in operation.get("parameters", [])])
                mark(operation.get("requestBody"))


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
