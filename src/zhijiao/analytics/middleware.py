"""Counts every HTML page view and every API read, outside the page cache so cached pages count too."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .services import pageview_record

_API_PREFIX = "/api/v1/"
# API paths that read no content: the health check and the API's own documentation.
_API_EXCLUDED = ("/api/v1/health", "/api/v1/docs", "/api/v1/openapi.json")


class PageViewMiddleware:
    """Appends one view to the analytics buffer for a GET answered 2xx with a page or an API read.

    Not counted: other methods, redirects and errors, htmx fragments (part of a page already counted),
    health checks, static and media files, the admin, and crawlers or scripts (see ``services.device_of``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.excluded = (
            settings.STATIC_URL,
            settings.MEDIA_URL,
            "/admin/",
            "/healthz",
            "/readyz",
            "/favicon.ico",
            "/robots.txt",
            *_API_EXCLUDED,
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.counts(request, response):
            pageview_record(request)
        return response

    def counts(self, request: HttpRequest, response: HttpResponse) -> bool:
        if request.method != "GET" or not 200 <= response.status_code < 300:
            return False
        path = request.path
        if path.startswith(self.excluded) or "HTTP_HX_REQUEST" in request.META:
            return False
        if path.startswith(_API_PREFIX):
            return True
        return response.get("Content-Type", "").startswith("text/html")
