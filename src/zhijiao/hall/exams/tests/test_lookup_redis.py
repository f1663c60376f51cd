"""With REDIS_URL set, the lookup's limits live in Redis: every app server counts into the same windows."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import caches

from zhijiao.core.ratelimit import count_hit
from zhijiao.core.tests.redis import needs_redis
from zhijiao.hall.exams.models import ExamSitting, ScoreRecord

URL = "/api/v1/hall/scores/lookup"
REDIS_URL = "redis://127.0.0.1:6379/14"


pytestmark = [
    pytest.mark.django_db,
    needs_redis,
]


@pytest.fixture
def redis_cache(settings: Any) -> Iterator[Any]:
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "t"}
    }
    cache = caches["default"]
    cache.clear()
    yield cache
    cache.clear()


def test_counts_go_up_in_one_window_and_expire_with_it(redis_cache: Any) -> None:
    assert [count_hit("probe", 60)[0] for _ in range(3)] == [1, 2, 3]
    assert count_hit("other", 60)[0] == 1
    client = redis_cache._cache.get_client(None)
    [key] = [k for k in client.keys("*ratelimit:probe:*")]
    assert 0 < client.ttl(key) <= 61
    # the same counter Django's cache API reads
    assert redis_cache.get(key.decode().split(":", 2)[2]) == 3


def test_candidate_limit_holds_across_addresses_in_redis(
    client: Any, settings: Any, redis_cache: Any, sitting: ExamSitting, score: ScoreRecord
) -> None:
    settings.HALL_SCORES_CANDIDATE_RATE = "2/h"
    settings.HALL_SCORES_MISSES_BEFORE_CAPTCHA = 100
    statuses = [
        client.post(
            URL,
            {"sitting_id": sitting.pk, "ticket_number": "110120261000013", "name": name},
            content_type="application/json",
            REMOTE_ADDR=f"10.0.0.{n}",
        ).status_code
        for n, name in enumerate(["猜", "陈思远", "陈思远"])
    ]
    assert statuses == [404, 200, 429]
    assert redis_cache._cache.get_client(None).keys("*hall.scores.cand*")


def test_misses_counted_in_redis_bring_the_captcha(
    client: Any, settings: Any, redis_cache: Any, sitting: ExamSitting, score: ScoreRecord
) -> None:
    settings.HALL_SCORES_MISSES_BEFORE_CAPTCHA = 2
    data = {"sitting_id": sitting.pk, "ticket_number": "110120261000013"}
    for name in ("猜一", "猜二"):
        assert client.post(URL, {**data, "name": name}, content_type="application/json").status_code == 404
    third = client.post(URL, {**data, "name": "陈思远"}, content_type="application/json")
    assert third.status_code == 403
    assert third.json()["code"] == "captcha_required"
