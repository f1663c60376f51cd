"""Counting page views: what counts, what doesn't, the anonymous visitor key, batching and failure."""

import logging
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zhijiao.analytics import services
from zhijiao.analytics.models import DailySalt, PageView
from zhijiao.core.platforms import Platform
from zhijiao.portal.tests.factories import make_article, make_topic

from .conftest import BROWSER, PHONE, TABLET

pytestmark = pytest.mark.django_db


def flushed() -> list[PageView]:
    services.pageviews_flush()
    return list(PageView.objects.order_by("id"))


def test_a_page_view_and_an_api_read_are_counted_once_each(client) -> None:
    article = make_article(Platform.K12, "课后服务指南")
    assert client.get("/", HTTP_USER_AGENT=BROWSER).status_code == 200
    assert client.get(f"/articles/{article.pk}/", HTTP_USER_AGENT=PHONE).status_code == 200
    assert client.get("/api/v1/portal/articles", HTTP_USER_AGENT=TABLET).status_code == 200
    assert services.buffered_count() == 3
    home, page, api = flushed()
    assert (home.platform, home.object_type, home.object_id, home.device) == ("portal", "", None, "desktop")
    # A page showing one object counts for that object and for the platform it belongs to.
    assert (page.platform, page.object_type, page.object_id, page.device) == (
        "k12",
        "portal.article",
        article.pk,
        "mobile",
    )
    assert (api.platform, api.device) == ("portal", "tablet")
    assert len(home.visitor) == 16
    assert abs((timezone.now() - home.created_at).total_seconds()) < 60
    assert home.day == timezone.localdate()


def test_platform_comes_from_the_url_namespace(client) -> None:
    for path in ("/k12/", "/vocational/", "/higher/", "/employment/", "/hall/", "/data/"):
        assert client.get(path, HTTP_USER_AGENT=BROWSER).status_code == 200
    assert [view.platform for view in flushed()] == ["k12", "vocational", "higher", "employment", "hall", "portal"]


def test_topic_pages_count_for_the_topic(client) -> None:
    topic = make_topic("心理健康", slug="mental-health")
    client.get("/topics/mental-health/", HTTP_USER_AGENT=BROWSER)
    (view,) = flushed()
    assert (view.object_type, view.object_id) == ("portal.topic", topic.pk)


def test_pages_served_from_the_page_cache_count_too_with_their_object(client, settings) -> None:
    settings.PAGE_CACHE_SECONDS = 60
    article = make_article(Platform.HIGHER, "慕课上线")
    for _ in range(3):
        assert client.get(f"/articles/{article.pk}/", HTTP_USER_AGENT=BROWSER).status_code == 200
    views = flushed()
    assert len(views) == 3
    assert {(v.platform, v.object_type, v.object_id) for v in views} == {("higher", "portal.article", article.pk)}


@pytest.mark.parametrize(
    "agent",
    [
        "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)",
        "Mozilla/5.0 (compatible; Bytespider; spider-feedback@bytedance.com)",
        "curl/8.5.0",
        "python-requests/2.32",
        "",
    ],
)
def test_crawlers_and_scripts_are_not_counted(client, agent: str) -> None:
    assert client.get("/", HTTP_USER_AGENT=agent).status_code == 200
    assert services.buffered_count() == 0


def test_health_static_admin_posts_errors_and_fragments_are_not_counted(client, platform_admin) -> None:
    client.get("/healthz", HTTP_USER_AGENT=BROWSER)
    client.get("/api/v1/health", HTTP_USER_AGENT=BROWSER)
    client.get("/static/js/charts.js", HTTP_USER_AGENT=BROWSER)
    client.get("/api/v1/openapi.json", HTTP_USER_AGENT=BROWSER)
    client.get("/articles/999999/", HTTP_USER_AGENT=BROWSER)  # 404
    client.post("/accounts/login/", {"username": "x", "password": "y"}, HTTP_USER_AGENT=BROWSER)
    client.head("/", HTTP_USER_AGENT=BROWSER)
    client.get("/newest/?platform=k12", HTTP_USER_AGENT=BROWSER, HTTP_HX_REQUEST="true")
    client.force_login(platform_admin)
    assert client.get("/admin/", HTTP_USER_AGENT=BROWSER).status_code == 200
    assert services.buffered_count() == 0


def test_counting_can_be_switched_off(client, settings) -> None:
    settings.ANALYTICS_ENABLED = False
    client.get("/", HTTP_USER_AGENT=BROWSER)
    assert services.buffered_count() == 0


def test_visitor_key_is_stable_within_a_day_and_changes_the_next_day() -> None:
    today, tomorrow = date(2026, 9, 1), date(2026, 9, 2)
    one = services.visitor_key(day=today, ip="203.0.113.7", user_agent=BROWSER)
    assert services.visitor_key(day=today, ip="203.0.113.7", user_agent=BROWSER) == one
    assert services.visitor_key(day=today, ip="203.0.113.8", user_agent=BROWSER) != one
    assert services.visitor_key(day=today, ip="203.0.113.7", user_agent=PHONE) != one
    assert services.visitor_key(day=tomorrow, ip="203.0.113.7", user_agent=BROWSER) != one
    # The new day's salt destroyed the old one: yesterday's keys can never be made again.
    assert list(DailySalt.objects.values_list("day", flat=True)) == [tomorrow]


def test_same_visitor_on_one_day_gets_one_key_across_pages(client) -> None:
    client.get("/", HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="198.51.100.4")
    client.get("/k12/", HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="198.51.100.4")
    client.get("/k12/", HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="198.51.100.5")
    first, second, other = flushed()
    assert first.visitor == second.visitor != other.visitor


def test_no_address_or_browser_string_is_stored(client) -> None:
    ip, agent = "198.51.100.23", BROWSER + " ZhijiaoProbe/1.0"
    client.get("/", HTTP_USER_AGENT=agent, REMOTE_ADDR=ip)
    (view,) = flushed()
    row = PageView.objects.filter(pk=view.pk).values().first()
    assert row is not None
    stored = " ".join(str(value) for value in row.values())
    assert ip not in stored and "ZhijiaoProbe" not in stored and "Mozilla" not in stored
    assert "198.51" not in stored
    assert not client.cookies.get("sessionid")


def test_signed_in_members_views_carry_their_organisations_region(client, teacher) -> None:
    client.force_login(teacher)
    client.get("/", HTTP_USER_AGENT=BROWSER)
    (view,) = flushed()
    region = teacher.memberships.get().organization.region_id
    assert view.region == region and region


def test_the_request_path_never_inserts_views(client) -> None:
    with CaptureQueriesContext(connection) as queries:
        for _ in range(5):
            client.get("/k12/", HTTP_USER_AGENT=BROWSER)
    assert not [q for q in queries.captured_queries if "analytics_pageview" in q["sql"]]
    assert services.buffered_count() == 5
    with CaptureQueriesContext(connection) as queries:
        assert services.pageviews_flush() == 5
    inserts = [q for q in queries.captured_queries if "INSERT INTO" in q["sql"]]
    assert len(inserts) == 1  # one batch (executemany) for all five views


def test_redis_unavailable_pages_still_serve_and_views_go_to_the_database(client, settings, caplog) -> None:
    from zhijiao.core import rediscache

    settings.REDIS_URL = "redis://127.0.0.1:6390/0"  # nothing listens there
    rediscache.breakers_reset()
    with caplog.at_level(logging.WARNING):
        assert client.get("/", HTTP_USER_AGENT=BROWSER).status_code == 200
        assert services.pageviews_flush() == 1
        client.get("/", HTTP_USER_AGENT=BROWSER)
        assert services.pageviews_flush() == 1  # the breaker is open: the database at once
    assert services.buffered_count() == 0
    assert PageView.objects.count() == 2
    assert caplog.text.count("Redis unreachable") == 1
    rediscache.breakers_reset()


def test_a_failing_database_drops_the_batch_and_logs(client, monkeypatch, caplog) -> None:
    client.get("/", HTTP_USER_AGENT=BROWSER)

    def broken(rows: list) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(services, "_flush_to_database", broken)
    services._state["last_warning"] = 0.0
    with caplog.at_level(logging.WARNING, logger="zhijiao.analytics.services"):
        assert services.pageviews_flush() == 0
    assert "disk full" in caplog.text


def test_failure_to_make_the_salt_never_breaks_the_page(client, monkeypatch) -> None:
    def broken(day: date) -> bytes:
        raise RuntimeError("database away")

    monkeypatch.setattr(services, "daily_salt", broken)
    assert client.get("/", HTTP_USER_AGENT=BROWSER).status_code == 200
    assert services.buffered_count() == 0
