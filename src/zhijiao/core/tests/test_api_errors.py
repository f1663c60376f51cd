"""Every 4xx of the API leaves in one shape: {"code", "message", "fields"}, in the request's language.

A small API built on the same ZhijiaoAPI class raises each kind of error; it is mounted beside the real one.
"""

from typing import Annotated, Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.test import override_settings
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext
from ninja import Schema
from ninja.errors import AuthorizationError, HttpError
from pydantic import AfterValidator, Field

from zhijiao.config.urls import urlpatterns as site_urlpatterns
from zhijiao.core.api import ZhijiaoAPI
from zhijiao.core.api_auth import require_scope, session_or_token
from zhijiao.core.api_errors import django_checked
from zhijiao.core.errors import DomainError, NotFound
from zhijiao.core.identifiers import normalize_phone
from zhijiao.core.ratelimit import parse_rate, rate_limit

pytestmark = [pytest.mark.urls("zhijiao.core.tests.test_api_errors"), pytest.mark.django_db]

probe = ZhijiaoAPI(title="probe", version="test", urls_namespace="probe-api")


class ItemIn(Schema):
    name: str = Field(..., max_length=10)


class ThingIn(Schema):
    phone: Annotated[str, AfterValidator(django_checked(normalize_phone))]
    count: int = Field(..., ge=1, le=5)
    items: list[ItemIn] = []


@probe.post("/things", operation_id="probe_thing_create", tags=["probe"])
def thing_create(request: HttpRequest, data: ThingIn) -> dict[str, Any]:
    return {"phone": data.phone, "count": data.count}


@probe.get("/domain", operation_id="probe_domain", tags=["probe"])
def domain(request: HttpRequest) -> None:
    raise DomainError("already_applied", gettext("您已投递过该岗位"), fields={"job": [gettext("已投递")]})


@probe.get("/missing", operation_id="probe_missing", tags=["probe"])
def missing(request: HttpRequest) -> None:
    raise NotFound


@probe.get("/http404", operation_id="probe_http404", tags=["probe"])
def http404(request: HttpRequest) -> None:
    raise Http404("no such thing")


@probe.get("/denied", operation_id="probe_denied", tags=["probe"])
def denied(request: HttpRequest) -> None:
    raise PermissionDenied


@probe.get("/ninja-forbidden", operation_id="probe_ninja_forbidden", tags=["probe"])
def ninja_forbidden(request: HttpRequest) -> None:
    raise AuthorizationError()


@probe.get("/http-error", operation_id="probe_http_error", tags=["probe"])
def http_error(request: HttpRequest) -> None:
    raise HttpError(409, gettext("名额已满"))


@probe.post("/service-invalid", operation_id="probe_service_invalid", tags=["probe"])
def service_invalid(request: HttpRequest) -> None:
    raise ValidationError({"phone": [gettext("该手机号码已注册")], "__all__": [gettext("请检查后重试")]})


@probe.post("/service-invalid-plain", operation_id="probe_service_invalid_plain", tags=["probe"])
def service_invalid_plain(request: HttpRequest) -> None:
    raise ValidationError(gettext("岗位已关闭"))


@probe.post("/limited", operation_id="probe_limited", tags=["probe"])
def limited(request: HttpRequest) -> dict[str, bool]:
    rate_limit(request, "probe-limited", 2, 86400)
    return {"ok": True}


@probe.get("/private", auth=session_or_token, operation_id="probe_private_read", tags=["probe"])
def private_read(request: HttpRequest) -> dict[str, Any]:
    return {"user": request.user.pk, "scopes": getattr(request, "auth_scopes", None)}


@probe.post("/private", auth=session_or_token, operation_id="probe_private_write", tags=["probe"])
def private_write(request: HttpRequest) -> dict[str, Any]:
    return {"user": request.user.pk}


@probe.get("/needs-write", auth=session_or_token, operation_id="probe_needs_write", tags=["probe"])
def needs_write(request: HttpRequest) -> dict[str, bool]:
    require_scope(request, "write")
    return {"ok": True}


urlpatterns = [path("probe/", probe.urls), *site_urlpatterns]


def assert_error_shape(body: dict[str, Any]) -> None:
    assert set(body) == {"code", "message", "fields"}
    assert isinstance(body["code"], str) and body["code"]
    assert isinstance(body["message"], str) and body["message"]
    assert all(isinstance(v, list) and all(isinstance(m, str) for m in v) for v in body["fields"].values())


def post_json(client: Any, url: str, body: str, **extra: Any) -> Any:
    return client.post(url, body, content_type="application/json", **extra)


# --- validation -------------------------------------------------------------------------------------------


def test_schema_validation_answers_422_with_messages_under_each_field(client):
    response = post_json(client, "/probe/things", '{"phone": "12345", "count": 9, "items": [{"name": "x"}, {}]}')
    assert response.status_code == 422
    body = response.json()
    assert_error_shape(body)
    assert body["code"] == "invalid"
    assert body["fields"]["phone"] == ["请输入正确的手机号码"] or body["fields"]["phone"] == [
        "请输入正确的中国大陆手机号码"
    ]
    assert body["fields"]["count"] == ["不能大于 5"]
    assert body["fields"]["items.1.name"] == ["此项为必填项"]
    assert "body" not in "".join(body["fields"]) and "data" not in body["fields"]


def test_missing_fields_are_named(client):
    body = post_json(client, "/probe/things", "{}").json()
    assert body["fields"] == {"phone": ["此项为必填项"], "count": ["此项为必填项"]}


def test_chinese_travels_as_utf8_not_escapes(client):
    response = post_json(client, "/probe/things", "{}")
    assert "此项为必填项".encode() in response.content
    assert b"\\u" not in response.content


def test_wrong_types_are_422_not_500(client):
    response = post_json(client, "/probe/things", '{"phone": 13812341234, "count": "many", "items": "x"}')
    assert response.status_code == 422
    fields = response.json()["fields"]
    assert fields["phone"] == ["请输入文本"]
    assert fields["count"] == ["请输入整数"]
    assert fields["items"] == ["应为列表"]


@pytest.mark.parametrize("raw", ["[1, 2, 3]", '"text"', "42"])
def test_a_body_that_is_not_an_object_is_422(client, raw):
    response = post_json(client, "/probe/things", raw)
    assert response.status_code == 422
    assert response.json()["fields"] == {"__all__": ["应为 JSON 对象"]}


def test_a_list_item_that_is_not_an_object_is_named(client):
    response = post_json(client, "/probe/things", '{"phone": "13812341234", "count": 1, "items": [{"name": "a"}, 7]}')
    assert response.status_code == 422
    assert response.json()["fields"] == {"items.1": ["应为 JSON 对象"]}


@pytest.mark.parametrize("raw", ["{bad json", "\xff\xfe", '{"phone": "1"', "null x"])
def test_malformed_json_is_400_invalid_json(client, raw):
    response = client.post("/probe/things", raw.encode("latin-1"), content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert_error_shape(body)
    assert body["code"] == "invalid_json"
    assert body["message"] == "请求内容不是有效的 JSON"


def test_a_form_post_to_a_json_endpoint_is_400(client):
    response = client.post("/probe/things", {"phone": "13812341234", "count": 1})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_json"


def test_empty_body_is_422(client):
    response = client.post("/probe/things", b"", content_type="application/json")
    assert response.status_code == 422
    assert response.json()["fields"] == {"__all__": ["请提交 JSON 格式的请求内容"]}


def test_choices_are_listed_plainly(client):
    response = client.get("/api/v1/portal/articles?platform=mars")
    assert response.status_code == 422
    assert response.json()["fields"] == {
        "platform": ["请从以下选项中选择：portal, k12, vocational, higher, employment, hall"]
    }


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024 * 1024)
def test_oversized_body_is_413(client):
    response = post_json(client, "/probe/things", '{"phone": "' + "1" * (2 * 1024 * 1024) + '"}')
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_valid_input_passes_through_the_django_normaliser(client):
    response = post_json(client, "/probe/things", '{"phone": "+86 138 1234 1234", "count": 2}')
    assert response.status_code == 200
    assert response.json() == {"phone": "13812341234", "count": 2}


# --- errors raised by services ------------------------------------------------------------------------------


def test_domain_error_passes_through_with_its_status_code_and_fields(client):
    response = client.get("/probe/domain")
    assert response.status_code == 409
    assert response.json() == {"code": "already_applied", "message": "您已投递过该岗位", "fields": {"job": ["已投递"]}}


def test_not_found_is_404(client):
    response = client.get("/probe/missing")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "找不到您要的内容", "fields": {}}


def test_http404_is_404_without_leaking_its_text(client):
    response = client.get("/probe/http404")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "找不到您要的内容", "fields": {}}


def test_permission_denied_is_403_forbidden(client):
    response = client.get("/probe/denied")
    assert response.status_code == 403
    body = response.json()
    assert_error_shape(body)
    assert body["code"] == "forbidden"


def test_ninja_http_errors_keep_the_shape(client):
    forbidden = client.get("/probe/ninja-forbidden")
    assert forbidden.status_code == 403
    assert forbidden.json() == {"code": "forbidden", "message": "您没有权限执行此操作", "fields": {}}
    conflict = client.get("/probe/http-error")
    assert conflict.status_code == 409
    assert conflict.json() == {"code": "conflict", "message": "名额已满", "fields": {}}


def test_django_validation_error_from_a_service_is_422_with_fields(client):
    response = client.post("/probe/service-invalid")
    assert response.status_code == 422
    assert response.json() == {
        "code": "invalid",
        "message": "请检查后重试",
        "fields": {"phone": ["该手机号码已注册"], "__all__": ["请检查后重试"]},
    }


def test_plain_django_validation_error_is_422_with_its_message(client):
    response = client.post("/probe/service-invalid-plain")
    assert response.status_code == 422
    assert response.json() == {"code": "invalid", "message": "岗位已关闭", "fields": {}}


def test_rate_limit_answers_429_after_the_limit_with_retry_after(client):
    assert post_json(client, "/probe/limited", "{}").status_code == 200
    assert post_json(client, "/probe/limited", "{}").status_code == 200
    response = post_json(client, "/probe/limited", "{}")
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert int(response["Retry-After"]) >= 1
    # Another address has its own allowance.
    assert post_json(client, "/probe/limited", "{}", REMOTE_ADDR="10.0.0.9").status_code == 200


def test_global_throttle_limits_anonymous_visitors(client):
    with override_settings(API_RATE_ANON="3/day"):
        answers = [client.get("/api/v1/portal/topics", REMOTE_ADDR="10.1.2.3") for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert_error_shape(answers[-1].json())
    assert answers[-1].json()["code"] == "rate_limited"
    assert int(answers[-1]["Retry-After"]) >= 1


def test_forwarded_for_header_does_not_escape_the_throttle(client):
    with override_settings(API_RATE_ANON="2/day"):
        answers = [
            client.get("/api/v1/portal/topics", REMOTE_ADDR="10.1.2.4", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
            for n in range(3)
        ]
    assert [a.status_code for a in answers] == [200, 200, 429]


# --- anything else under /api/v1/ ----------------------------------------------------------------------------


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/no/such/thing")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_wrong_method_is_json_405_with_allow(client):
    response = client.delete("/api/v1/portal/topics")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert "GET" in response["Allow"]


def test_error_answers_are_not_cached(client):
    assert client.get("/probe/missing")["Cache-Control"] == "no-store"


# --- language -------------------------------------------------------------------------------------------------


def _in_english(message: str) -> str:
    with translation.override("en"):
        return gettext(message)


def test_messages_follow_accept_language(client):
    response = post_json(client, "/probe/things", "{}", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "en"
    body = response.json()
    assert body["message"] == _in_english("提交的内容有误，请检查各项后重试")
    assert body["fields"]["count"] == [_in_english("此项为必填项")]


def test_messages_follow_the_language_cookie(client):
    client.cookies["zj_lang"] = "en"
    response = client.get("/probe/missing", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response["Content-Language"] == "en"
    assert response.json()["message"] == _in_english("找不到您要的内容")


def test_chinese_is_the_default(client):
    response = client.get("/probe/missing")
    assert response["Content-Language"] == "zh-hans"
    assert response.json()["message"] == "找不到您要的内容"


def test_api_root_is_json_404(client):
    response = client.get("/api/v1/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_rates_parse():
    assert parse_rate("120/min") == (120, 60)
    assert parse_rate("5/10m") == (5, 600)
    assert parse_rate("1000/day") == (1000, 86400)
    for bad in ("", "fast", "10/fortnight", "x/min"):
        with pytest.raises(ValueError):
            parse_rate(bad)
