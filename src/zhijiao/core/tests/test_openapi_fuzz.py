"""The OpenAPI description matches the server: schemathesis drives every operation in-process (WSGI, no network),
anonymously and with an API token, and fails on any server error, any answer that disagrees with the description
(status, content type, headers, body shape), any schema-invalid request accepted and any schema-valid one refused."""

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import reverse
from hypothesis import HealthCheck, Phase, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import positive_data_acceptance

from zhijiao.accounts import services as accounts
from zhijiao.accounts.tests.factories import make_user
from zhijiao.config.api import api
from zhijiao.config.api_rules import refusal_is_unstated_rule

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]


def _load(config: dict[str, Any] | None = None) -> Any:
    import zhijiao.config.urls  # noqa: F401 - builds the API's URLs, so reverse() finds its root

    document = api.get_openapi_schema(path_prefix=reverse(f"{api.urls_namespace}:api-root"))
    loaded = schemathesis.openapi.from_dict(document, config=SchemathesisConfig.from_dict(config or {}))
    loaded.app = WSGIHandler()
    return loaded


schema = _load()
# With a token, the coverage phase's boundary cases are the valid ones only. Its invalid ones (each parameter
# missing, of another type, out of range: about 13 per operation, two thirds of all requests) test the parser and
# validation layer that every operation shares; the public operations get them all anonymously, and every
# operation still gets randomly generated invalid requests with a token. That keeps the file near a minute.
schema_valid_boundaries = _load({"phases": {"coverage": {"generation": {"mode": "positive"}}}})

BUDGET = settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(autouse=True)
def _in_the_test_transaction(settings: Any) -> Iterator[None]:
    """Django closes the connection around each request; inside a test's transaction that would end the test's
    database. The test client does the same; and the public limits must not trip on a fuzzer's burst."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    settings.VERIFY_RATE_LIMIT = settings.HALL_SCORES_IP_RATE = settings.HALL_SCORES_CANDIDATE_RATE = "100000/min"
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
    cache.clear()


@pytest.fixture
def token(db: None) -> str:
    person = make_user(display_name="对接甲")
    _token, raw = accounts.token_create(user=person, name="fuzz", scopes=["read", "write"])
    return raw


def _refused_fields(response: Any) -> set[str]:
    try:
        return set(json.loads(response.content).get("fields") or {})
    except (ValueError, AttributeError):
        return set()


def valid_data_is_accepted(ctx: Any, response: Any, case: Any) -> bool | None:
    """schemathesis' positive_data_acceptance, knowing the rules the description states in words only."""
    if refusal_is_unstated_rule(case.operation.label, response.status_code, _refused_fields(response)):
        return None
    return positive_data_acceptance(ctx, response, case)


CHECKS = {"excluded_checks": [positive_data_acceptance], "additional_checks": [valid_data_is_accepted]}


def _needs_credentials(operation: dict[str, Any]) -> bool:
    """Whether an operation refuses anonymous callers: it names security requirements, none of them empty (``{}``,
    OpenAPI's "or without credentials")."""
    requirements = operation.get("security") or []
    return bool(requirements) and all(requirements)


def _protected(context: Any) -> bool:
    return _needs_credentials(context.operation.definition.raw)


public = schema.include(func=lambda context: not _protected(context))  # every case, valid and invalid


@public.parametrize()
@BUDGET
def test_anonymous(case: Any) -> None:
    case.call_and_validate(**CHECKS)


def test_anonymous_on_protected_operations(client: Any) -> None:
    """Anonymously a protected operation answers 401 in the error shape whatever it is sent (auth comes before
    parameters), so one request each, not the fuzzing budget, checks it."""
    refused = {}
    for path, operations in schema.raw_schema["paths"].items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or not _needs_credentials(operation):
                continue
            response = client.generic(method.upper(), re.sub(r"\{[^}]+\}", "1", path))
            if response.status_code != 401 or "code" not in response.json():
                refused[f"{method.upper()} {path}"] = response.status_code
    assert refused == {}


@schema_valid_boundaries.parametrize()
@BUDGET
def test_with_a_token(case: Any, token: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, **CHECKS)
