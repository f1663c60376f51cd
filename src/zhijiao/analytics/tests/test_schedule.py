"""The periodic scheduler: each slot's run is enqueued once, however many schedulers tick."""

from datetime import UTC, datetime, timedelta

import pytest
from django.tasks import task

from zhijiao.core.models import ScheduledRun
from zhijiao.core.schedule import Periodic, Scheduler, every, registered

RUNS: list[str] = []


@task()
def remember() -> None:
    RUNS.append("ran")


@pytest.fixture(autouse=True)
def _no_runs() -> None:
    RUNS.clear()


@pytest.mark.django_db
def test_two_schedulers_enqueue_each_slot_once() -> None:
    entry = Periodic(name="test.remember", seconds=300, task=remember)
    first, second = Scheduler([entry]), Scheduler([entry])
    now = datetime(2026, 9, 1, 8, 0, 10, tzinfo=UTC)
    assert first.tick(now) == ["test.remember"]
    assert second.tick(now) == []
    assert first.tick(now + timedelta(seconds=60)) == []  # same slot
    assert RUNS == ["ran"]
    # The next slot: whichever scheduler comes first enqueues it, the other skips.
    assert second.tick(now + timedelta(seconds=300)) == ["test.remember"]
    assert first.tick(now + timedelta(seconds=301)) == []
    assert RUNS == ["ran", "ran"]
    assert ScheduledRun.objects.filter(name="test.remember").count() == 2


@pytest.mark.django_db
def test_old_run_records_are_pruned() -> None:
    entry = Periodic(name="test.remember", seconds=60, task=remember)
    scheduler = Scheduler([entry])
    scheduler.tick(datetime(2026, 9, 1, 8, 0, tzinfo=UTC))
    ScheduledRun.objects.update(created_at=datetime(2026, 8, 1, tzinfo=UTC))
    scheduler.prune(datetime(2026, 9, 1, 8, 0, tzinfo=UTC))
    assert not ScheduledRun.objects.exists()


def test_the_rollup_is_registered_every_five_minutes() -> None:
    rollup = next(entry for entry in registered() if entry.name == "analytics.rollup")
    assert rollup.seconds == 300


def test_an_interval_must_be_positive() -> None:
    with pytest.raises(ValueError):
        every(0, remember)
