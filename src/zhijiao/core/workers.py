"""Tasks outlive the worker that runs them: heartbeats, and what becomes of a task whose worker died.

django-tasks-db marks a task RUNNING when a worker claims it and never looks at it again: a worker killed
mid-task (SIGKILL, out of memory, a machine lost) leaves it RUNNING for ever. So each ``zhijiao worker`` stamps a
:class:`~zhijiao.core.models.WorkerHeartbeat` row every ``TASK_HEARTBEAT_SECONDS`` and, at each stamp, looks for
RUNNING tasks whose worker has been silent for ``TASK_WORKER_LEASE_SECONDS``. Such a task goes back to the queue
when it is marked :func:`idempotent` and has been tried at most ``TASK_LOST_RETRIES`` times more than once;
otherwise it is marked failed with :class:`WorkerLost` and a line saying why (the task admin shows it). Running a
task twice is only safe when running it again does no harm, which is why the mark exists: an email sent or a
regrade half-done must not be repeated blindly.

The lease should be several heartbeats long: a heartbeat that waits on a busy SQLite write (up to its 20-second
timeout) must not look like a dead worker. Workers started some other way (``manage db_worker``) beat nothing, so
their tasks count as lost once they have run longer than the lease: run workers through ``zhijiao worker``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import socket
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import close_old_connections
from django.tasks import TaskResultStatus
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

_idempotent: set[str] = set()


class WorkerLost(Exception):
    """The worker running a task stopped answering before the task finished."""


def idempotent[TaskT](task: TaskT) -> TaskT:
    """Mark a ``django.tasks`` task as safe to run again after its worker died (put it above ``@task()``)."""
    _idempotent.add(task.module_path)  # type: ignore[attr-defined]
    return task


def is_idempotent(task_path: str) -> bool:
    """Whether the task at ``task_path`` is marked idempotent (its module is imported to find out)."""
    if task_path not in _idempotent:
        with contextlib.suppress(ImportError, AttributeError, ValueError):
            import_string(task_path)
    return task_path in _idempotent


def idempotent_tasks() -> list[str]:
    """Every task marked idempotent, after importing each installed app's ``tasks`` module."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("tasks")
    return sorted(_idempotent)


def new_worker_id() -> str:
    """Unique across machines and restarts, and readable: host, process, random tail (at most 64 characters)."""
    return f"{socket.gethostname()[:32]}-{os.getpid()}-{secrets.token_hex(4)}"


def heartbeat_beat(*, worker_id: str, started_at: datetime, now: datetime | None = None) -> None:
    """Stamp this worker as alive."""
    from .models import WorkerHeartbeat

    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "beat_at": now or timezone.now(),
        },
    )


def heartbeat_end(*, worker_id: str) -> None:
    """A worker stopping cleanly leaves the roll."""
    from .models import WorkerHeartbeat

    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


@dataclass
class Recovery:
    retried: list[str]
    failed: list[str]


def tasks_recover_lost(*, now: datetime | None = None) -> Recovery:
    """Requeue or fail every RUNNING task whose worker has been silent longer than the lease."""
    from django_tasks_db.models import DBTaskResult

    from .models import WorkerHeartbeat

    now = now or timezone.now()
    lease_start = now - timedelta(seconds=settings.TASK_WORKER_LEASE_SECONDS)
    alive = set(WorkerHeartbeat.objects.filter(beat_at__gte=lease_start).values_list("worker_id", flat=True))
    recovery = Recovery(retried=[], failed=[])
    # Claimed before the lease began: a worker that claimed a task a moment ago is never judged on a stale roll.
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=lease_start)
    for result in running.only("id", "task_path", "worker_ids", "started_at"):
        worker = result.worker_ids[-1] if result.worker_ids else ""
        if worker in alive:
            continue
        attempts = len(result.worker_ids)
        # Only where nobody else changed it since it was read (another worker may be recovering it too).
        same = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at)
        retry = is_idempotent(result.task_path) and attempts <= settings.TASK_LOST_RETRIES
        if retry:
            if same.update(status=TaskResultStatus.READY, started_at=None):
                recovery.retried.append(str(result.pk))
                logger.warning("task %s (%s) lost its worker %s; queued again", result.pk, result.task_path, worker)
            continue
        if is_idempotent(result.task_path):
            reason = _("已重试 %(retries)s 次，不再重试") % {"retries": attempts - 1}
        else:
            reason = _("该任务未标记为可重复执行，不自动重试")
        message = _("执行此任务的处理进程 %(worker)s 在任务完成前停止响应（第 %(attempt)s 次执行）；%(reason)s。") % {
            "worker": worker or "?",
            "attempt": attempts,
            "reason": reason,
        }
        if same.update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            return_value=None,
            exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
            traceback=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}: {message}\n",
        ):
            recovery.failed.append(str(result.pk))
            logger.error("task %s (%s) lost its worker %s; failed: %s", result.pk, result.task_path, worker, message)
    # Workers silent for many leases are gone for good: keep the roll short.
    WorkerHeartbeat.objects.filter(
        beat_at__lt=now - timedelta(seconds=10 * settings.TASK_WORKER_LEASE_SECONDS)
    ).delete()
    return recovery


class Heartbeat:
    """The thread a worker runs beside its task loop: stamp, then recover what dead workers left."""

    def __init__(self, worker_id: str) -> None:
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self.stopped = threading.Event()
        self._last_recovery = float("-inf")

    def tick(self) -> None:
        heartbeat_beat(worker_id=self.worker_id, started_at=self.started_at)
        # Looking for lost tasks reads the RUNNING ones (no index on that status): a few times per lease is enough.
        if time.monotonic() - self._last_recovery >= settings.TASK_WORKER_LEASE_SECONDS / 4:
            self._last_recovery = time.monotonic()
            tasks_recover_lost()

    def run(self) -> None:
        while not self.stopped.is_set():
            close_old_connections()
            try:
                self.tick()
            except Exception:  # the database may be away for a moment: try again at the next beat
                logger.exception("worker heartbeat failed")
            self.stopped.wait(settings.TASK_HEARTBEAT_SECONDS)

    def start_thread(self) -> threading.Thread:
        heartbeat_beat(worker_id=self.worker_id, started_at=self.started_at)  # on the roll before the first claim
        thread = threading.Thread(target=self.run, name="zhijiao-heartbeat", daemon=True)
        thread.start()
        return thread

    def stop(self, *_args: Any) -> None:
        self.stopped.set()
        with contextlib.suppress(Exception):
            heartbeat_end(worker_id=self.worker_id)
