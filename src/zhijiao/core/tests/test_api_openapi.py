"""The API describes itself: OpenAPI JSON, local interactive docs, a committed snapshot; and a health check."""

import io
import json
import re

import pytest
from django.db import DatabaseError
from django.utils import translation

from zhijiao.config.api import api
from zhijiao.core.api import CheckedOpenAPISchema, mounted_apis, openapi_document, openapi_snapshot_path

pytestmark = pytest.mark.django_db


def test_openapi_snapshot_is_current():
    committed = openapi_snapshot_path().read_text(encoding="utf-8") if openapi_snapshot_path().exists() else ""
    assert committed == openapi_document(api), (
        "The API changed but docs/openapi.json did not. If the change is deliberate, update the snapshot with\n"
        "    DJANGO_SETTINGS_MODULE=zhijiao.config.settings uv run python -m django openapi_snapshot\n"
        "and commit docs/openapi.json with the change."
    )


def test_the_snapshot_command_finds_the_served_api_through_the_urlconf(tmp_path):
    from django.core.management import call_command

    assert mounted_apis() == {"api": api}
    output = tmp_path / "openapi.json"
    call_command("openapi_snapshot", output=str(output), stdout=io.StringIO())
    assert output.read_text(encoding="utf-8") == openapi_document(api)


def test_snapshot_is_sorted_json_of_the_served_schema():
    with translation.override("zh-hans"):
        schema = api.get_openapi_schema()
    assert json.loads(openapi_document(api)) == json.loads(json.dumps(schema))


def test_every_operation_has_an_explicit_operation_id_and_tags():
    missing = []
    for bound in api._get_bound_routers():
        for path, view in bound.path_operations.items():
            for operation in view.operations:
                if not operation.operation_id or not operation.tags:
                    missing.append(f"{bound.prefix}{path} {operation.methods}")
    assert not missing, f"give these operations an operation_id and tags: {missing}"


def test_operation_ids_are_unique():
    schema = json.loads(openapi_document(api))
    ids = [op["operationId"] for ops in schema["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids))


def test_no_two_schemas_share_a_component_name():
    # ninja names components by class name alone; two different models called "Kind" would overwrite each other.
    schema = CheckedOpenAPISchema(api, "/api/v1/")
    assert not schema.name_clashes, f"rename one of each: {sorted(schema.name_clashes)}"


def test_every_operation_documents_the_error_shape():
    schema = json.loads(openapi_document(api))
    assert schema["components"]["schemas"]["ErrorOut"]["required"] == ["code", "message", "fields"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert "4XX" in operation["responses"], (path, method)


def test_openapi_json_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "智教 API"
    assert "/api/v1/portal/topics" in schema["paths"]
    assert "/api/v1/health" in schema["paths"]


def test_docs_page_loads_swagger_from_our_own_static_files(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r"<script[^>]*\ssrc=\"([^\"]+)\"", html)
    assert sources, "Swagger UI scripts are missing"
    assert all(src.startswith("/static/") for src in sources), sources
    assert not re.search(r"https?://", " ".join(re.findall(r"(?:src|href)=\"([^\"]+)\"", html)))
    # No inline executable script: the only inline <script> is the JSON settings block.
    for attributes, _body in re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S):
        assert "src=" in attributes or 'type="application/json"' in attributes, attributes
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    for src in sources:
        assert client.get(src).status_code == 200, src


def test_health_is_public_and_checks_the_database(client, monkeypatch):
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}

    from zhijiao.portal import selectors

    monkeypatch.setattr(selectors, "database_is_up", lambda: False)
    down = client.get("/api/v1/health")
    assert down.status_code == 503
    assert down.json() == {"status": "unavailable"}


def test_database_check_reports_errors_as_down(monkeypatch):
    from zhijiao.portal import selectors

    class BrokenCursor:
        def __enter__(self):
            raise DatabaseError("gone")

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(selectors.connection, "cursor", lambda: BrokenCursor())
    assert selectors.database_is_up() is False
