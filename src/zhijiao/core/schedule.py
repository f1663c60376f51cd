"""Periodic tasks: ``every(seconds, task)`` registrations and the scheduler loop ``zhijiao worker`` runs.

An app registers its periodic work at import of its ``tasks`` module::

    from zhijiao.core import schedule

    @task()
    def rollup() -> None: ...

    schedule.every(300, rollup, name="analytics.rollup")

Time is cut into slots of ``seconds`` (slot = epoch seconds // seconds). When a slot begins, each scheduler
inserts a ``ScheduledRun(name, slot)`` row and enqueues the task in the same transaction; the row's unique
constraint lets exactly one insert win, so with several workers on several machines the task is enqueued once
per slot, whichever scheduler comes first. A slot that every scheduler missed (all workers down) is skipped,
not caught up: periodic work here always covers everything outstanding when it runs.
"""

import contextlib
import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

logger = logging.getLogger(__name__)

KEEP_RUNS = timedelta(days=2)


@dataclass(frozen=True)
class Periodic:
    name: str
    seconds: int
    task: Any  # a django.tasks Task

    def slot(self, now: datetime) -> int:
        return int(now.timestamp()) // self.seconds


_registry: dict[str, Periodic] = {}


def every(seconds: int, task: Any, *, name: str | None = None) -> Periodic:
    """Run ``task`` (a ``django.tasks`` task taking no arguments) once every ``seconds`` seconds."""
    if seconds < 1:
        raise ValueError("a periodic task needs an interval of at least one second")
    key = name or f"{task.module_path}"
    entry = Periodic(name=key, seconds=int(seconds), task=task)
    _registry[key] = entry
    return entry


def registered() -> list[Periodic]:
    """Every registration, after importing each installed app's ``tasks`` module."""
    autodiscover_modules("tasks")
    return sorted(_registry.values(), key=lambda entry: entry.name)


def claim_and_enqueue(entry: Periodic, *, now: datetime | None = None) -> bool:
    """Enqueue ``entry``'s run for the current slot unless some scheduler already did; True when this one did."""
    from .models import ScheduledRun

    slot = entry.slot(now or timezone.now())
    try:
        with transaction.atomic():
            ScheduledRun.objects.create(name=entry.name, slot=slot)
            entry.task.enqueue()
    except IntegrityError:
        return False
    return True


class Scheduler:
    """Checks the registrations every ``interval`` seconds and enqueues the ones whose slot has begun."""

    def __init__(self, entries: list[Periodic] | None = None, *, interval: float = 1.0) -> None:
        self.entries = entries if entries is not None else registered()
        self.interval = interval
        self._seen: dict[str, int] = {}
        self._last_prune = 0.0
        self.stopped = threading.Event()

    def tick(self, now: datetime | None = None) -> list[str]:
        """Enqueue what is due now; the names this scheduler enqueued."""
        now = now or timezone.now()
        enqueued = []
        for entry in self.entries:
            slot = entry.slot(now)
            if self._seen.get(entry.name) == slot:
                continue
            if claim_and_enqueue(entry, now=now):
                enqueued.append(entry.name)
            self._seen[entry.name] = slot
        return enqueued

    def prune(self, now: datetime | None = None) -> None:
        """Forget run records older than two days (the constraint only matters for the current slot)."""
        from .models import ScheduledRun

        ScheduledRun.objects.filter(created_at__lt=(now or timezone.now()) - KEEP_RUNS).delete()

    def run(self) -> None:
        """Loop until ``stop()``; a failing tick (database briefly away) is logged and retried."""
        while not self.stopped.is_set():
            close_old_connections()
            try:
                self.tick()
                if time.monotonic() - self._last_prune > 3600:
                    self.prune()
                    self._last_prune = time.monotonic()
            except Exception:
                logger.exception("scheduler tick failed")
            self.stopped.wait(self.interval)
        with contextlib.suppress(Exception):
            close_old_connections()

    def stop(self) -> None:
        self.stopped.set()

    def start_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.run, name="zhijiao-scheduler", daemon=True)
        thread.start()
        return thread
