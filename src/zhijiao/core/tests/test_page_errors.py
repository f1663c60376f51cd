"""What a person sees when a service or selector refuses: one middleware says it for every page."""

from typing import Any

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.test import override_settings
from django.urls import include, path

from zhijiao.core.actors import Origin, signed_in
from zhijiao.core.errors import DomainError, NotFound
from zhijiao.core.views import service_errors

pytestmark = pytest.mark.django_db


def _missing(request: HttpRequest) -> HttpResponse:
    raise NotFound


def _refused(request: HttpRequest) -> HttpResponse:
    raise DomainError("job_closed", "该职位已截止")


def _invalid(request: HttpRequest) -> HttpResponse:
    raise ValidationError({"name": ["名称不能为空"]})


class _NameForm(forms.Form):
    name = forms.CharField(label="名称")


def _with_form(request: HttpRequest) -> HttpResponse:
    form = _NameForm(request.POST)
    assert form.is_valid()
    with service_errors(form) as outcome:
        raise DomainError("taken", "已被占用", fields={"name": ["名称已被占用"]})
    return HttpResponse(f"ok={outcome.ok} errors={form.errors['name'][0]}", status=422)


urlpatterns = [
    path("missing/", _missing),
    path("refused/", _refused),
    path("invalid/", _invalid),
    path("form/", _with_form),
    path("", include("zhijiao.config.urls")),
]


@override_settings(ROOT_URLCONF=__name__)
def test_a_missing_or_forbidden_thing_shows_the_sites_404_page(client: Any) -> None:
    response = client.get("/missing/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


@override_settings(ROOT_URLCONF=__name__)
def test_a_refused_post_goes_back_to_the_form_with_the_reason(client: Any) -> None:
    response = client.post("/refused/", HTTP_REFERER="http://testserver/employment/jobs/")
    assert response.status_code == 303
    assert response["Location"] == "http://testserver/employment/jobs/"
    page = client.get("/")
    assert "该职位已截止" in page.content.decode()


@override_settings(ROOT_URLCONF=__name__)
def test_a_foreign_referer_is_not_followed(client: Any) -> None:
    response = client.post("/invalid/", HTTP_REFERER="https://evil.example/")
    assert response.status_code == 303
    assert response["Location"] == "/invalid/"


@override_settings(ROOT_URLCONF=__name__)
def test_a_refused_get_says_why_with_the_errors_status(client: Any) -> None:
    response = client.get("/refused/")
    assert response.status_code == 409
    assert "该职位已截止" in response.content.decode()


@override_settings(ROOT_URLCONF=__name__)
def test_service_errors_land_next_to_the_field(client: Any) -> None:
    response = client.post("/form/", {"name": "张三"})
    assert response.content.decode() == "ok=False errors=名称已被占用"


def test_only_active_members_are_signed_in(student: Any) -> None:
    assert signed_in(student)
    assert not signed_in(AnonymousUser())
    assert not signed_in(None)
    student.is_active = False
    assert not signed_in(student)


def test_an_origin_keeps_a_hash_of_the_address_never_the_address(rf: Any) -> None:
    origin = Origin.of(rf.get("/", REMOTE_ADDR="203.0.113.7"))
    assert len(origin.ip_hash) == 16
    assert "203.0.113.7" not in origin.ip_hash
    assert Origin.of(None) == Origin()
