"""Pages of the portal: home, topics, articles, the language switch and the health check."""

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from zhijiao.analytics.services import mark_viewed
from zhijiao.core.cache import content_cached
from zhijiao.core.pagecache import public_page
from zhijiao.core.platforms import Platform
from zhijiao.core.readiness import readiness

from .platforms import PLATFORM_SECTIONS, PLATFORM_URL_NAMES, nav_links
from .selectors import (
    access_article,
    access_topic,
    articles_latest,
    articles_latest_by_platform,
    database_is_up,
    newest_cache_key,
    platform_choice,
    platform_totals,
    topic_entries,
    topics_published,
)

HOME_TOPICS = 6
NEWEST_PER_PLATFORM = 5
NEWEST_OF_ONE_PLATFORM = 10


def _newest_context(platform: str | None) -> dict[str, Any]:
    """The "newest" block of the home page: every platform's newest, or one platform's."""
    context: dict[str, Any] = {"newest_platform": platform or "", "newest_tabs": Platform.choices}
    if platform:
        context["newest_label"] = Platform(platform).label
        context["newest_articles"] = articles_latest(platform=platform, limit=NEWEST_OF_ONE_PLATFORM)
    else:
        context["newest_blocks"] = articles_latest_by_platform(per_platform=NEWEST_PER_PLATFORM)
    return context


def _newest_html(request: HttpRequest, platform: str | None) -> str:
    """The rendered "newest" block: the same for every visitor, so kept for ``CONTENT_CACHE_SECONDS``.

    Signed-in visitors, whom the page cache never serves, reuse it too; an article change drops it.
    """
    key = newest_cache_key(language=get_language(), platform=platform)
    html = content_cached(key, lambda: render_to_string("portal/_newest.html", _newest_context(platform), request))
    return mark_safe(html)  # noqa: S308 -- our own template's output, escaped when it was rendered


@require_safe
@public_page
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "topics": topics_published(limit=HOME_TOPICS),
        "totals": platform_totals(),
        "sections": [(section, url) for section, url in nav_links() if section in PLATFORM_SECTIONS],
        "newest_html": _newest_html(request, platform_choice(request.GET.get("platform"))),
    }
    return render(request, "portal/home.html", context)


@require_safe
@public_page
def newest(request: HttpRequest) -> HttpResponse:
    """The home page's "newest" block alone, for htmx to swap in when a platform tab is chosen."""
    return HttpResponse(_newest_html(request, platform_choice(request.GET.get("platform"))))


@require_safe
@never_cache
def language(request: HttpRequest, code: str) -> HttpResponse:
    """Remember the visitor's language in a cookie and go back to the page they came from."""
    if code not in dict(settings.LANGUAGES):
        raise Http404
    next_url = request.GET.get("next", "")
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("portal:home")
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite="Lax",
    )
    return response


@require_safe
@public_page
def topics(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/topics.html", {"topics": topics_published()})


@require_safe
@public_page
def topic(request: HttpRequest, slug: str) -> HttpResponse:
    found = access_topic(actor=request.user, slug=slug)
    mark_viewed(request, found)
    return render(request, "portal/topic.html", {"topic": found, "entries": topic_entries(topic=found)})


@require_safe
@public_page
def article(request: HttpRequest, pk: int) -> HttpResponse:
    found = access_article(actor=request.user, article_id=pk)
    mark_viewed(request, found)
    more = [a for a in articles_latest(platform=found.platform, limit=6) if a.pk != found.pk][:5]
    platform_url = reverse(PLATFORM_URL_NAMES.get(found.platform, "portal:home"))
    return render(request, "portal/article.html", {"article": found, "more": more, "platform_url": platform_url})


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers: "ok" while the database answers; never cached, never touches the session."""
    if not database_is_up():
        return HttpResponse("database unavailable", status=503, content_type="text/plain; charset=utf-8")
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """For load balancers and operators: each dependency's status and latency (core.readiness); 503 only when the
    database is down, 200 ``degraded`` when the site works without something (Redis, the task worker, media disk)."""
    status, report = readiness()
    return JsonResponse(report, status=status)
