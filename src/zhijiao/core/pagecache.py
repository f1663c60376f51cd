"""A cache for public pages as anonymous visitors see them, one copy per path and language.

Signed-in visitors and anyone with pending messages always get a fresh page. The response says
``Cache-Control: public`` so a CDN in front may keep it too; ``Vary`` keeps languages and sessions apart.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

from .actors import signed_in


def _is_anonymous(request: HttpRequest) -> bool:
    if settings.SESSION_COOKIE_NAME in request.COOKIES and signed_in(request.user):
        return False
    return "messages" not in request.COOKIES


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        seconds = settings.PAGE_CACHE_SECONDS
        if request.method not in ("GET", "HEAD") or not _is_anonymous(request):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        key = f"page:{get_language()}:{request.get_full_path()}"
        stored = cache.get(key) if seconds else None
        if stored is not None:
            content, content_type, *viewed = stored
            response = HttpResponse(content, content_type=content_type)
            if viewed and viewed[0] is not None:
                # What the view marked for page-view counting (analytics.mark_viewed) holds for the copy too.
                request.viewed_object = viewed[0]  # type: ignore[attr-defined]
        else:
            response = view(request, *args, **kwargs)
            if seconds and response.status_code == 200 and not getattr(response, "streaming", False):
                if hasattr(response, "render"):
                    response.render()
                viewed_object = getattr(request, "viewed_object", None)
                cache.set(key, (response.content, response["Content-Type"], viewed_object), seconds)
        if seconds:
            patch_cache_control(response, public=True, max_age=seconds)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    return wrapper
