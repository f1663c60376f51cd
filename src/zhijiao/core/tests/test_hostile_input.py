"""Hostile input never answers 500: every page and every API operation, walked with values people do not type.

Numbers beyond 64 bits, digits that are not ASCII (``²`` passes ``str.isdigit()``), NUL characters, multipart bodies
without a boundary and bodies that are not JSON. Pages walk the URLconf; the API walks its own OpenAPI description,
so a new page or operation is covered the day it is added.
"""

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from zhijiao.accounts import services as accounts
from zhijiao.accounts.tests.factories import make_user
from zhijiao.config.api import api
from zhijiao.conftest import ROLE_ORG
from zhijiao.core.params import MAX_ID, page_number, parse_int
from zhijiao.orgs.models import Organization
from zhijiao.orgs.tests.factories import add_member

TOO_BIG = str(MAX_ID + 1)  # 9223372036854775808
SUPERSCRIPT = "²"  # str.isdigit() says yes, int() says no
HOSTILE = [TOO_BIG, SUPERSCRIPT, "-1", "a\x00b"]
# Every query parameter a page reads (grep request.GET); unknown ones are ignored by the pages that do not read them.
QUERY_NAMES = [
    "subject", "grade", "year", "page", "university", "employer", "sitting", "reply_to", "item", "status", "level",
    "category", "platform", "kind", "unit", "tab", "sort", "q", "t", "draft", "download", "next", "code", "service",
]  # fmt: skip
# Values for path parts that are not ids, so that the walk reaches the views behind them.
WORDS = {
    "code": "ABCDEFGH", "stage": "primary", "column": "homework", "action": "download", "fmt": "png",
    "format": "xlsx", "type_name": "single", "service": "degree", "source": "region", "slot": "file",
    "content_id": "00000000-0000-0000-0000-000000000000",
}  # fmt: skip


@pytest.fixture(autouse=True)
def _no_limits_left_behind(settings: Any) -> Iterator[None]:
    """The walk opens the public verification pages many times: it must neither trip their limits nor leave counts
    that would trip a later test's."""
    settings.VERIFY_RATE_LIMIT = "100000/min"
    yield
    cache.clear()


def test_parse_int_reads_ascii_digits_in_range_only():
    assert parse_int("42") == 42
    assert parse_int(" 7 ") == 7
    assert parse_int(SUPERSCRIPT) is None
    assert parse_int("١٢") is None  # Arabic-Indic digits: int() would take them
    assert parse_int(TOO_BIG) is None
    assert parse_int(str(MAX_ID)) == MAX_ID
    assert parse_int("0") is None and parse_int("0", minimum=0) == 0
    assert parse_int("13", maximum=12) is None
    assert parse_int(None) is None and parse_int(True) is None
    assert page_number("3") == 3 and page_number(TOO_BIG) == 10_000 and page_number(SUPERSCRIPT) == 1


def _routes(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def page_paths(number: str) -> list[str]:
    """Every page of the URLconf (not the admin's, not the API's), with its ids set to ``number``."""
    found: set[str] = set()
    for route in _routes(get_resolver().url_patterns):
        if route.startswith(("admin/", "api/", "^")) or "logout" in route:
            continue
        route = re.sub(r"<id:[^>]+>", number, route)
        route = re.sub(r"<\w+:(\w+)>", lambda m: WORDS.get(m.group(1), "x"), route)
        found.add("/" + route)
    return sorted(found)


@pytest.fixture
def everyone(orgs: dict[str, Organization]) -> Any:
    """One person holding every role, so that the walk gets past each page's role check."""
    user = make_user(display_name="全角色甲", is_staff=True)
    for role, org_key in ROLE_ORG.items():
        add_member(user, orgs[org_key], role)
    return user


def _client(user: Any = None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def _server_errors(client: Client, requests: list[tuple[str, str, dict[str, Any]]]) -> list[str]:
    failed = []
    for method, path, kwargs in requests:
        response = getattr(client, method)(path, **kwargs)
        if response.status_code >= 500:
            failed.append(f"{method.upper()} {path} {kwargs.get('data', '')!r} → {response.status_code}")
    return failed


@pytest.mark.django_db
def test_pages_answer_hostile_query_strings_without_a_server_error(everyone):
    paths = page_paths("1")
    requests = [("get", path, {"data": dict.fromkeys(QUERY_NAMES, value)}) for path in paths for value in HOSTILE]
    assert _server_errors(_client(), requests) == []
    assert _server_errors(_client(everyone), requests) == []


@pytest.mark.django_db
def test_ids_beyond_64_bits_in_a_page_address_are_not_found(everyone):
    client = _client(everyone)
    for path in page_paths(TOO_BIG):
        if TOO_BIG in path:
            assert client.get(path).status_code == 404, path


@pytest.mark.django_db
def test_a_multipart_post_without_a_boundary_is_refused_on_every_page(everyone):
    client = _client(everyone)
    for path in page_paths("1"):
        response = client.generic("POST", path, b"--x\r\n\r\n", content_type="multipart/form-data")
        assert response.status_code < 500, path


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        f"/k12/columns/homework/?subject={TOO_BIG}",
        "/k12/columns/homework/?subject=%C2%B2",
        "/k12/columns/homework/?grade=%C2%B2",
        "/k12/columns/homework/?grade=13",
    ],
)
def test_homework_column_ignores_a_bad_filter(client, path):
    assert client.get(path).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/employment/office/?year=%C2%B2", "/employment/office/destinations.xlsx?year=%C2%B2"]
)
def test_employment_office_ignores_a_bad_year(client, employment_staff, path):
    client.force_login(employment_staff)
    assert client.get(path).status_code == 200
    assert client.get(path.replace("year", "university")).status_code == 404


# --- The API ---------------------------------------------------------------------------------------------------------


def _operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    schema = api.get_openapi_schema(path_prefix=reverse(f"{api.urls_namespace}:api-root"))
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def _fill(path: str, value: str) -> str:
    return re.sub(r"{[^}]+}", value, path)


def _body_kind(operation: dict[str, Any]) -> str | None:
    content = operation.get("requestBody", {}).get("content", {})
    if "multipart/form-data" in content:
        return "multipart"
    if "application/json" in content:
        return "json"
    return None


@pytest.fixture
def token(everyone) -> dict[str, str]:
    _token, raw = accounts.token_create(user=everyone, name="fuzz", scopes=["read", "write"])
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.django_db
def test_api_operations_answer_hostile_values_without_a_server_error(token):
    client = _client()
    failed = []
    for path, method, operation in _operations():
        params = [p for p in operation.get("parameters", []) if p["in"] == "query"]
        for value in HOSTILE:
            url = _fill(path, value if "{" in path else "1")
            query = {p["name"]: value for p in params}
            response = client.generic(method.upper(), url + ("?" + _urlencode(query) if query else ""), **token)
            if response.status_code >= 500:
                failed.append(f"{method.upper()} {url} {query} → {response.status_code}")
    assert failed == []


def _urlencode(query: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return urlencode(query)


@pytest.mark.django_db
def test_api_path_ids_beyond_64_bits_are_refused_or_not_found(token):
    client = _client()
    for path, method, _operation in _operations():
        if "{" not in path:
            continue
        response = client.generic(method.upper(), _fill(path, TOO_BIG), **token)
        assert response.status_code in (401, 403, 404, 422), (method, path, response.status_code)


@pytest.mark.django_db
def test_api_bodies_that_cannot_be_read_answer_400_in_the_error_shape(token):
    client = _client()
    seen = {"json": 0, "multipart": 0}
    for path, method, operation in _operations():
        kind = _body_kind(operation)
        if kind is None:
            continue
        url = _fill(path, "1")
        if kind == "json":
            response = client.generic(method.upper(), url, b'{"title": ', content_type="application/json", **token)
        else:
            response = client.generic(method.upper(), url, b"--x\r\n\r\n", content_type="multipart/form-data", **token)
        seen[kind] += 1
        # An operation may refuse who asks (or find no row 1) before it reads the body; never with a 500.
        assert response.status_code in (400, 403, 404), (kind, method, path, response.status_code)
        assert response["Content-Type"].startswith("application/json"), (method, path, response.content[:300])
        body = response.json()
        assert set(body) == {"code", "message", "fields"}
        if response.status_code == 400:
            assert body["code"] in ("invalid_json", "bad_request")
    assert seen["json"] > 10 and seen["multipart"] >= 5


def _sample(schema: dict[str, Any], components: dict[str, Any], *, text: str, integer: int, depth: int = 0) -> Any:
    """A value for ``schema`` whose every string is ``text`` and every integer ``integer`` (lists of one item)."""
    again: dict[str, Any] = {"components": components, "text": text, "integer": integer}
    if "$ref" in schema:
        return _sample(components[schema["$ref"].rsplit("/", 1)[-1]], **again, depth=depth)
    if "enum" in schema:
        return schema["enum"][0]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            return _sample(options[0], **again, depth=depth) if options else None
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        if depth > 4:
            return {}
        properties = schema.get("properties", {}).items()
        return {name: _sample(sub, **again, depth=depth + 1) for name, sub in properties}
    if kind == "array":
        return [_sample(schema.get("items", {}), **again, depth=depth + 1)]
    if kind == "integer":
        return integer
    if kind == "number":
        return 1
    if kind == "boolean":
        return True
    return text


def _json_operations() -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    schema = api.get_openapi_schema(path_prefix=reverse(f"{api.urls_namespace}:api-root"))
    for path, method, operation in _operations():
        if _body_kind(operation) == "json":
            body = operation["requestBody"]["content"]["application/json"]["schema"]
            yield path, method, body, schema["components"]["schemas"]


@pytest.mark.django_db
def test_api_refuses_text_with_control_characters_in_every_json_body(token):
    client = _client()
    checked = 0
    for path, method, body_schema, components in _json_operations():
        body = _sample(body_schema, components, text="文本\x00", integer=1)
        if "\\u0000" not in json.dumps(body):
            continue
        response = client.generic(
            method.upper(), _fill(path, "1"), json.dumps(body), content_type="application/json", **token
        )
        checked += 1
        assert response.status_code in (403, 404, 422), (method, path, response.status_code, response.content[:200])
        if response.status_code == 422:
            assert response.json()["fields"], (method, path)
    assert checked > 10


@pytest.mark.django_db
def test_control_characters_are_named_by_field(token):
    response = _client().post(
        "/api/v1/accounts/register",
        {"phone": "13912345678", "password": "Zhijiao-2026!", "display_name": "对接\x07"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["fields"] == {"display_name": ["不能包含控制字符（如 NUL）"]}
    listed = _client().get("/api/v1/search", {"q": "北京\x00"}, **token)
    assert listed.status_code == 422 and "q" in listed.json()["fields"]


@pytest.mark.django_db
def test_api_refuses_integers_beyond_64_bits_in_every_json_body(token):
    client = _client()
    checked = 0
    for path, method, body_schema, components in _json_operations():
        body = _sample(body_schema, components, text="文本", integer=MAX_ID + 1)
        if str(MAX_ID + 1) not in json.dumps(body):
            continue
        response = client.generic(
            method.upper(), _fill(path, "1"), json.dumps(body), content_type="application/json", **token
        )
        checked += 1
        assert response.status_code in (403, 404, 422), (method, path, response.status_code, response.content[:200])
    assert checked > 10


def _unbounded_integers(schema: dict[str, Any], components: dict[str, Any], where: str, seen: frozenset[str]) -> Any:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name not in seen:
            yield from _unbounded_integers(components[name], components, name, seen | {name})
        return
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in schema.get(key, []):
            yield from _unbounded_integers(sub, components, where, seen)
    if schema.get("type") == "integer" and "maximum" not in schema and "enum" not in schema:
        yield where
    for name, sub in schema.get("properties", {}).items():
        yield from _unbounded_integers(sub, components, f"{where}.{name}", seen)
    if "items" in schema:
        yield from _unbounded_integers(schema["items"], components, f"{where}[]", seen)


def test_every_integer_the_api_reads_is_bounded():
    """Parameters and request bodies type their whole numbers as ``core.params.Id`` or ``Int`` (64-bit bounds)."""
    schema = api.get_openapi_schema(path_prefix=reverse(f"{api.urls_namespace}:api-root"))
    components = schema["components"]["schemas"]
    found: set[str] = set()
    for path, method, operation in _operations():
        for parameter in operation.get("parameters", []):
            where = f"{method} {path} {parameter['name']}"
            found |= set(_unbounded_integers(parameter["schema"], components, where, frozenset()))
        for content in operation.get("requestBody", {}).get("content", {}).values():
            found |= set(_unbounded_integers(content["schema"], components, f"{method} {path}", frozenset()))
    assert sorted(found) == []


def _subclasses(cls: type[Any]) -> set[type[Any]]:
    found: set[type[Any]] = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


def test_every_request_body_schema_refuses_control_characters():
    """Each JSON body the API reads is an ``InSchema`` (core.api_parser), whose fields refuse control characters."""
    from zhijiao.core.api_parser import InSchema

    checked = {cls.__name__ for cls in _subclasses(InSchema)}
    bodies = set()
    for _path, _method, body, _components in _json_operations():
        ref = body.get("$ref", "")
        if ref:
            bodies.add(ref.rsplit("/", 1)[-1])
    assert bodies and sorted(bodies - checked) == []
