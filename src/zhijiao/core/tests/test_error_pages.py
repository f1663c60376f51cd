"""The site's own error pages, as Django draws them with DEBUG off: friendly, in the visitor's language, with the
search box and a way back (home, and the previous page when the visitor came from this site)."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import include, path

from zhijiao.core.errors import NotFound

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def raises_not_found(request: HttpRequest) -> HttpResponse:
    raise NotFound


def raises_permission_denied(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def raises_suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("bad")


def raises_error(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


urlpatterns = [
    path("broken/not-found/", raises_not_found),
    path("broken/forbidden/", raises_permission_denied),
    path("broken/suspicious/", raises_suspicious),
    path("broken/error/", raises_error),
    path("", include("zhijiao.config.urls")),
]

TEXT = {
    "zh-hans": {
        404: "页面不存在",
        403: "没有访问权限",
        400: "请求有误",
        500: "服务暂时不可用",
        "home": "返回首页",
        "back": "返回上一页",
        "search": "全站搜索",
    },
    "en": {
        404: "Page not found",
        403: "Access denied",
        400: "Bad request",
        500: "Service temporarily unavailable",
        "home": "Back to home",
        "back": "Back to the previous page",
        "search": "Site search",
    },
}
OTHER = {"zh-hans": "en", "en": "zh-hans"}


def visitor(language: str) -> Client:
    client = Client(raise_request_exception=False)
    client.cookies["zj_lang"] = language
    return client


def page_of(response: Any) -> str:
    return str(response.content.decode())


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/no-such-page/", 404),
        ("/broken/not-found/", 404),
        ("/broken/forbidden/", 403),
        ("/broken/suspicious/", 400),
        ("/broken/error/", 500),
    ],
)
@override_settings(DEBUG=False)
def test_error_pages_are_the_sites_own_in_the_visitors_language(language: str, url: str, status: int) -> None:
    response = visitor(language).get(url, HTTP_REFERER="http://testserver/k12/")
    assert response.status_code == status
    page = page_of(response)
    text = TEXT[language]
    assert text[status] in page
    assert TEXT[OTHER[language]][status] not in page
    assert "URLconf" not in page and "Traceback" not in page  # never Django's technical pages
    assert 'role="search"' in page and text["search"] in page
    assert f'<a class="button" href="/">{text["home"]}</a>' in page
    if status == 500:
        # Drawn without a request (nothing that could fail again): no account menu, no previous page.
        assert text["back"] not in page
    else:
        assert 'href="http://testserver/k12/"' in page and text["back"] in page


@override_settings(DEBUG=False)
def test_previous_page_is_offered_only_for_pages_of_this_site() -> None:
    client = visitor("zh-hans")
    assert "返回上一页" not in page_of(client.get("/no-such-page/"))
    assert "返回上一页" not in page_of(client.get("/no-such-page/", HTTP_REFERER="https://evil.example/"))
    assert "返回上一页" not in page_of(client.get("/no-such-page/", HTTP_REFERER="javascript:alert(1)"))


@override_settings(DEBUG=False)
def test_forbidden_page_offers_a_visitor_to_sign_in_and_come_back(client: Client) -> None:
    page = page_of(visitor("zh-hans").get("/broken/forbidden/"))
    assert 'href="/accounts/login/?next=/broken/forbidden/"' in page


@override_settings(DEBUG=False)
def test_the_500_page_needs_no_database() -> None:
    from django.template import loader

    for language, text in TEXT.items():
        from django.utils import translation

        with translation.override(language):
            page = loader.get_template("500.html").render()
        assert text[500] in page and text["home"] in page and 'role="search"' in page


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@override_settings(DEBUG=False)
def test_a_stale_form_gets_the_friendly_csrf_page(language: str) -> None:
    client = Client(enforce_csrf_checks=True)
    client.cookies["zj_lang"] = language
    response = client.post("/accounts/login/", {"login": "13800000000", "password": "x"})
    assert response.status_code == 403
    page = page_of(response)
    assert {"zh-hans": "页面已过期", "en": "Page expired"}[language] in page
    assert 'role="search"' in page
