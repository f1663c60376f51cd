"""Readiness: what each dependency of this app server says now, for load balancers and operators (``/readyz``).

``/healthz`` is liveness: the process answers and reaches its database, nothing more, cheap enough for every few
seconds (``zhijiao serve`` waits on it at start). Readiness looks at everything the site leans on, each with its
status and how long asking took:

- ``database`` — a trivial query. Down: the answer is 503, the server cannot serve (take it out of rotation).
- ``redis`` (when ``REDIS_URL`` is set) — a ``PING`` past the circuit breaker, with what this process counted of
  outages (``core.rediscache``). Down: 200 with ``"status": "degraded"``: pages, sign-in and limits work from the
  database, only slower.
- ``worker`` — the newest task-worker heartbeat (``core.workers``). None within ``TASK_WORKER_LEASE_SECONDS``:
  degraded (emails, search indexing and the periodic work wait; pages are served).
- ``media_disk`` — the local media directories exist, are writable and keep ``DISK_MIN_FREE_BYTES`` free (not checked
  with ``MEDIA_STORAGE=s3``). Otherwise degraded (uploads fail; pages are served).

Errors name their kind only (``ConnectionError``), never an address or a path: the answer is public.
"""

import os
import shutil
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.utils import timezone

from . import rediscache

DISK_MIN_FREE_BYTES = 256 * 1024 * 1024

Check = dict[str, Any]


def _timed(probe: Callable[[], Check]) -> Check:
    started = time.perf_counter()
    try:
        result = probe()
    except Exception as exc:  # a probe never breaks the report: its dependency is down
        result = {"status": "down", "error": type(exc).__name__}
    result["ms"] = round((time.perf_counter() - started) * 1000, 2)
    return result


def _database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return {"status": "down", "error": type(exc).__name__}
    return {"status": "ok"}


def _redis() -> Check:
    backend = caches["default"]
    if not isinstance(backend, rediscache.RedisCache):
        return {"status": "ok", "note": "not a Redis cache"}
    answered = backend.ping()
    return {**backend.breaker.status(), "status": "ok" if answered else "down"}


def _worker() -> Check:
    from .models import WorkerHeartbeat

    newest = WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()
    if newest is None:
        return {"status": "down", "error": "no worker has started"}
    age = (timezone.now() - newest).total_seconds()
    alive = timezone.now() - newest <= timedelta(seconds=settings.TASK_WORKER_LEASE_SECONDS)
    return {"status": "ok" if alive else "down", "last_beat_seconds": round(max(age, 0.0), 1)}


def _existing(path: Path) -> Path:
    """``path``, or its nearest existing ancestor (media directories are made at the first upload)."""
    while not path.exists() and path.parent != path:
        path = path.parent
    return path


def _media_disk() -> Check:
    from .uploads import private_root

    free = None
    for root in (Path(settings.MEDIA_ROOT), Path(private_root())):
        found = _existing(root)
        if not found.is_dir() or not os.access(found, os.W_OK):
            return {"status": "down", "error": "not writable"}
        left = shutil.disk_usage(found).free
        free = left if free is None else min(free, left)
    if free is not None and free < DISK_MIN_FREE_BYTES:
        return {"status": "down", "error": "disk almost full", "free_bytes": free}
    return {"status": "ok", "free_bytes": free}


def readiness() -> tuple[int, dict[str, Any]]:
    """(HTTP status, report): 503 when the database is down; 200 ``ok``, or 200 ``degraded`` when something the
    site can do without for a while is down."""
    checks: dict[str, Check] = {"database": _timed(_database)}
    if settings.REDIS_URL:
        checks["redis"] = _timed(_redis)
    if checks["database"]["status"] == "ok":
        checks["worker"] = _timed(_worker)
    if settings.MEDIA_STORAGE == "local":
        checks["media_disk"] = _timed(_media_disk)
    if checks["database"]["status"] != "ok":
        return 503, {"status": "down", "checks": checks}
    degraded = any(check["status"] != "ok" for check in checks.values())
    return 200, {"status": "degraded" if degraded else "ok", "checks": checks}
