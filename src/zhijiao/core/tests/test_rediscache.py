"""Redis is an accelerator: while it is away the cache answers misses, limits count in the database, sessions
stay signed in from the database, and everything returns to Redis by itself when it answers again."""

import logging
import time
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext

from zhijiao.accounts.tests.factories import make_user
from zhijiao.core import rediscache
from zhijiao.core.models import RateCounter
from zhijiao.core.ratelimit import count_hit, count_hits
from zhijiao.core.sessions import CACHE_KEY_PREFIX, SessionStore

from .processes import free_port
from .redis import OwnRedis

pytestmark = pytest.mark.django_db

DEADLINE_SECONDS = 10  # a hang guard for "recovers by itself"


def use_redis(settings: Any, url: str, *, retry: float = 60.0, timeout: float = 0.5) -> Any:
    """The production cache settings, at ``url``; a fresh breaker."""
    settings.REDIS_URL = url
    settings.REDIS_RETRY_SECONDS = retry
    settings.CACHES = {
        "default": {
            "BACKEND": "zhijiao.core.rediscache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "t",
            "OPTIONS": {"socket_connect_timeout": timeout, "socket_timeout": timeout},
        }
    }
    rediscache.breakers_reset()
    return caches["default"]


@pytest.fixture(autouse=True)
def _fresh_breakers() -> Iterator[None]:
    rediscache.breakers_reset()
    yield
    rediscache.breakers_reset()


@pytest.fixture
def dead_redis(settings: Any) -> Any:
    """A Redis address where nothing listens: every connection is refused."""
    return use_redis(settings, f"redis://127.0.0.1:{free_port()}/0")


def until(condition: Any) -> bool:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_an_unreachable_redis_answers_misses_and_warns_once_per_outage(dead_redis: Any, caplog: Any) -> None:
    with caplog.at_level(logging.WARNING, logger="zhijiao.core.rediscache"):
        assert dead_redis.get("page:/") is None
        assert dead_redis.get("page:/", "fallback") == "fallback"
        dead_redis.set("page:/", b"html", 60)
        assert dead_redis.get_many(["a", "b"]) == {}
        assert dead_redis.add("once", 1) is False
        assert dead_redis.set_many({"a": 1}) == ["a"]
        assert dead_redis.delete("a") is False
        dead_redis.delete_many(["a", "b"])
        assert dead_redis.has_key("a") is False
        with pytest.raises(ValueError, match="not found"):
            dead_redis.incr("a")
    assert caplog.text.count("Redis unreachable") == 1
    state = dead_redis.breaker.status()
    # One connection tried; every later call answered without trying while the breaker was open.
    assert state["status"] == "down" and state["failures"] == 1 and state["outages"] == 1 and state["skipped"] >= 9
    assert state["last_error"] == "ConnectionError"


def test_while_redis_is_away_limits_count_in_the_database(dead_redis: Any) -> None:
    assert [count_hit("probe", 60)[0] for _ in range(3)] == [1, 2, 3]
    [(hits, retry)], [peeked] = count_hits([("other", 60)], [("probe", 60)])
    assert (hits, peeked) == (1, 3) and 1 <= retry <= 60
    assert RateCounter.objects.filter(key__startswith="ratelimit:probe:").get().hits == 3


def test_the_breaker_tries_again_after_a_while_and_recovers_by_itself(
    settings: Any, own_redis: OwnRedis, caplog: Any
) -> None:
    cache = use_redis(settings, own_redis.url, retry=0.2)
    cache.set("k", "before")
    own_redis.stop()
    with caplog.at_level(logging.WARNING, logger="zhijiao.core.rediscache"):
        assert cache.get("k") is None
        assert [cache.get("k") for _ in range(50)] == [None] * 50
        # Answered by the open breaker: no connection tried for them (an outage costs one per retry interval).
        assert cache.breaker.status()["skipped"] >= 40 and cache.breaker.status()["failures"] <= 2
        own_redis.start()

        def back() -> bool:
            cache.set("k", "after")
            return bool(cache.get("k") == "after")

        assert until(back)
    assert caplog.text.count("Redis unreachable") == 1
    assert caplog.text.count("answers again") == 1
    assert cache.breaker.status()["status"] == "ok"


def test_a_hung_redis_costs_one_request_the_timeout_and_the_next_ones_nothing(
    settings: Any, own_redis: OwnRedis
) -> None:
    cache = use_redis(settings, own_redis.url, retry=60, timeout=0.2)
    cache.set("k", "v")
    own_redis.freeze()  # keeps the port, answers nothing
    try:
        started = time.monotonic()
        assert cache.get("k") is None
        assert time.monotonic() - started < 5  # the 0.2 s read timeout, not a hang (a hang guard, not a speed check)
        assert cache.get("k") is None
        state = cache.breaker.status()
        # The second read did not wait: the breaker answered it without asking the hung server.
        assert state["last_error"] == "TimeoutError" and state["failures"] == 1 and state["skipped"] == 1
    finally:
        own_redis.thaw()


def test_entries_changed_while_redis_was_away_are_deleted_when_it_returns(settings: Any, own_redis: OwnRedis) -> None:
    cache = use_redis(settings, own_redis.url, retry=0.2, timeout=0.2)
    cache.set_many({"article:1": "old title", "code:ABC": "published", "untouched": "kept"})
    own_redis.freeze()
    try:
        cache.set("article:1", "new title")  # lost: Redis is away
        cache.delete("code:ABC")  # lost too
    finally:
        own_redis.thaw()
    # Redis still holds the copies from before the outage; the first call that reaches it deletes them first.
    assert until(lambda: cache.get("untouched") == "kept")
    assert cache.get("article:1") is None and cache.get("code:ABC") is None


def test_sessions_are_written_through_and_read_with_one_redis_get(settings: Any, own_redis: OwnRedis) -> None:
    cache = use_redis(settings, own_redis.url)
    store = SessionStore()
    store["who"] = "甲"
    store.create()
    assert store.session_key is not None
    assert cache.get(CACHE_KEY_PREFIX + store.session_key) == {"who": "甲"}
    assert Session.objects.filter(session_key=store.session_key).exists()  # and in the database
    with CaptureQueriesContext(connection) as queries:
        assert SessionStore(store.session_key).load() == {"who": "甲"}
    assert len(queries) == 0
    own_redis.stop()
    with CaptureQueriesContext(connection) as queries:
        assert SessionStore(store.session_key).load() == {"who": "甲"}  # from the database
    assert len(queries) == 1


def test_a_signed_in_person_stays_signed_in_when_redis_stops(client: Any, settings: Any, own_redis: OwnRedis) -> None:
    use_redis(settings, own_redis.url)
    person = make_user(display_name="在线甲")
    client.force_login(person)
    assert client.get("/accounts/me/").status_code == 200
    own_redis.stop()
    page = client.get("/accounts/me/")
    assert page.status_code == 200 and "在线甲" in page.content.decode()
    own_redis.start()  # empty: what was in Redis is gone; the database still has the session
    settings.REDIS_RETRY_SECONDS = 0.1
    rediscache.breakers_reset()
    assert client.get("/accounts/me/").status_code == 200


def test_readiness_says_degraded_while_redis_is_away(client: Any, dead_redis: Any) -> None:
    answer = client.get("/readyz")
    assert answer.status_code == 200
    report = answer.json()
    assert report["status"] == "degraded"
    assert report["checks"]["database"]["status"] == "ok"
    assert report["checks"]["redis"]["status"] == "down" and report["checks"]["redis"]["failures"] >= 1
    assert "ms" in report["checks"]["redis"]
    assert "127.0.0.1" not in answer.content.decode()  # kinds of errors, never addresses
    assert client.get("/healthz").status_code == 200  # liveness does not look at Redis


def test_readiness_answers_503_when_the_database_does_not_answer(client: Any, monkeypatch: Any) -> None:
    def refused(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refused)
    answer = client.get("/readyz")
    assert answer.status_code == 503
    report = answer.json()
    assert report["status"] == "down"
    assert report["checks"]["database"] == {"status": "down", "error": "OperationalError", "ms": mock.ANY}
    assert "worker" not in report["checks"]  # it would need the database
