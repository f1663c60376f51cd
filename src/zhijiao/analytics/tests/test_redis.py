"""With REDIS_URL set, counted views go to Redis (a list and HyperLogLogs) and the rollup reads them from there."""

import pytest
from django.utils import timezone

from zhijiao.analytics import services
from zhijiao.analytics.models import DailyPlatformStat, DailyVisitor, PageView
from zhijiao.core.tests.redis import needs_redis

from .conftest import BROWSER, PHONE

REDIS_URL = "redis://127.0.0.1:6379/15"


pytestmark = pytest.mark.django_db


@pytest.fixture
def redis(settings):
    settings.REDIS_URL = REDIS_URL
    client = services._redis()
    client.flushdb()
    yield client
    client.flushdb()


@needs_redis
def test_views_go_to_redis_and_visitors_are_counted_with_hyperloglog(client, redis) -> None:
    today = timezone.localdate()
    client.get("/k12/", HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="198.51.100.1")
    client.get("/k12/", HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="198.51.100.1")
    client.get("/k12/", HTTP_USER_AGENT=PHONE, REMOTE_ADDR="198.51.100.2")
    client.get("/hall/", HTTP_USER_AGENT=PHONE, REMOTE_ADDR="198.51.100.2")
    assert services.pageviews_flush() == 4
    assert PageView.objects.count() == 0  # nothing went to the database
    assert redis.llen(services.REDIS_VIEWS_KEY) == 4
    assert redis.pfcount(services.redis_uv_key(today, "k12")) == 2
    assert redis.pfcount(services.redis_uv_key(today, "all")) == 2
    entries = b" ".join(redis.lrange(services.REDIS_VIEWS_KEY, 0, -1))
    assert b"198.51" not in entries and b"Mozilla" not in entries

    report = services.pageviews_rollup()
    assert report.views == 4
    figures = {s.platform: (s.pv, s.uv) for s in DailyPlatformStat.objects.filter(day=today)}
    assert figures == {"k12": (3, 2), "hall": (1, 1), "all": (4, 2)}
    assert redis.llen(services.REDIS_VIEWS_KEY) == 0
    assert not DailyVisitor.objects.exists()  # Redis keeps the visitor sets; the database never sees the keys
    services.pageviews_rollup()
    assert DailyPlatformStat.objects.get(day=today, platform="all").pv == 4


def test_views_counted_while_redis_is_down_go_to_the_database_and_join_its_visitor_counts(
    client, settings, own_redis
) -> None:
    """A Redis of this test's own, stopped and started again: no view lost, none counted twice, visitors merged."""
    from zhijiao.core import rediscache

    settings.REDIS_URL = own_redis.url
    services._redis_clients.clear()
    rediscache.breakers_reset()
    today = timezone.localdate()
    own_redis.stop()
    client.get("/k12/", HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="198.51.100.1")
    client.get("/k12/", HTTP_USER_AGENT=PHONE, REMOTE_ADDR="198.51.100.2")
    assert services.pageviews_flush() == 2
    assert PageView.objects.count() == 2  # in the database
    assert services.pageviews_rollup().views == 2  # Redis down: the rollup works from the database alone
    own_redis.start()
    settings.REDIS_RETRY_SECONDS = 0.1
    rediscache.breakers_reset()
    client.get("/k12/", HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="198.51.100.1")  # a visitor of the outage, again
    client.get("/k12/", HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="198.51.100.3")  # a new one
    assert services.pageviews_flush() == 2
    assert PageView.objects.count() == 0  # to Redis again
    services.pageviews_rollup()
    stat = DailyPlatformStat.objects.get(day=today, platform="k12")
    # 4 views; 3 visitors: the outage's two joined the day's HyperLogLog, so the returning one counts once.
    assert (stat.pv, stat.uv) == (4, 3)
    rediscache.breakers_reset()
    services._redis_clients.clear()
