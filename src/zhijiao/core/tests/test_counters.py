"""The counters every process shares through the database (core.counters): atomic, windowed, pruned."""

import threading
import time
from typing import Any
from unittest import mock

import pytest
from django.db import connection

from zhijiao.core import counters, schedule
from zhijiao.core.models import RateCounter
from zhijiao.core.ratelimit import count_hit, hits_so_far
from zhijiao.core.tasks import prune_rate_counters


@pytest.mark.django_db
def test_a_counter_counts_up_and_keeps_its_end_until_it_passes() -> None:
    now = 1_000_000.0
    assert counters.hit("k", 60, now=now) == (1, now + 60)
    assert counters.hit("k", 60, now=now + 10) == (2, now + 60)
    assert counters.peek(["k", "missing"], now=now + 20) == {"k": (2, now + 60)}
    # Once it has ended, the next hit starts a new counter with a new end.
    assert counters.hit("k", 60, now=now + 61) == (1, now + 121)
    assert counters.peek(["k"], now=now + 200) == {}


@pytest.mark.django_db
def test_a_claim_is_granted_once_until_it_ends() -> None:
    assert counters.claim_once("captcha:abc", 600) is True
    assert counters.claim_once("captcha:abc", 600) is False
    assert counters.claim_once("captcha:other", 600) is True


@pytest.mark.django_db
def test_forgetting_and_pruning() -> None:
    now = time.time()
    counters.hit("old", 1, now=now - 10)
    counters.hit("live", 60, now=now)
    counters.hit("gone", 60, now=now)
    counters.forget(["gone"])
    assert counters.prune(now=now) == 1
    assert list(RateCounter.objects.values_list("key", flat=True)) == ["live"]


@pytest.mark.django_db
def test_long_keys_are_shortened_alike() -> None:
    key = "x" * 500
    assert counters.hit(key, 60)[0] == 1
    assert counters.hit(key, 60)[0] == 2
    assert counters.peek([key]) == {key: (2, mock.ANY)}
    assert len(RateCounter.objects.get().key) <= counters.MAX_KEY_LENGTH


@pytest.mark.django_db
def test_without_redis_rate_limits_count_in_fixed_windows_in_the_database(settings: Any) -> None:
    assert "locmem" in settings.CACHES["default"]["BACKEND"]
    start = 600 * 10_000 + 5.0  # 5 s into a 10-minute window
    with mock.patch("zhijiao.core.ratelimit.time.time", return_value=start):
        assert [count_hit("probe", 600) for _ in range(2)] == [(1, 595), (2, 595)]
        assert hits_so_far("probe", 600) == 2
    with mock.patch("zhijiao.core.ratelimit.time.time", return_value=start + 600):
        assert count_hit("probe", 600) == (1, 595)  # the next window
    assert RateCounter.objects.filter(key__startswith="ratelimit:probe:").count() == 2


@pytest.mark.django_db
def test_one_statement_per_count(django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(1) as queries:
        count_hit("probe", 60)
    assert "ON CONFLICT" in queries.captured_queries[0]["sql"]


@pytest.mark.django_db(transaction=True)
def test_counting_from_many_connections_at_once_loses_no_hit() -> None:
    threads, each = 4, 25
    seen: list[int] = []
    lock = threading.Lock()
    errors: list[BaseException] = []

    def count() -> None:
        try:
            for _ in range(each):
                hits, _ends = counters.hit("race", 60)
                with lock:
                    seen.append(hits)
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=count) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert not errors
    # Every hit got its own number: nobody read a count and wrote it back over another's.
    assert sorted(seen) == list(range(1, threads * each + 1))
    assert RateCounter.objects.get(key="race").hits == threads * each


def test_the_worker_prunes_ended_counters_every_few_minutes() -> None:
    entry = {periodic.name: periodic for periodic in schedule.registered()}["core.prune_rate_counters"]
    assert entry.task is prune_rate_counters and entry.seconds <= 600
