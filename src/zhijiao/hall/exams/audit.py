"""Audit entries of score lookups, buffered: on release night every lookup is logged without a write per request.

Entries hold what ``core.services.audit_record`` would write (same table, same hashed address, actor and detail)
and are written by one background thread per process as one multi-row INSERT every ``HALL_AUDIT_FLUSH_SECONDS``
or ``HALL_AUDIT_BATCH`` entries; ``at`` is the time of that write (at most a second or so after the lookup).
Where threads are off (tests: ``ANALYTICS_FLUSH_IN_THREAD = False``, or
``HALL_AUDIT_IN_THREAD = False``), each entry goes straight through ``audit_record``.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import threading
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connections, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, empty

from zhijiao.accounts.models import User
from zhijiao.core.actors import Origin, signed_in
from zhijiao.core.models import AuditLog
from zhijiao.core.services import audit_record

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_buffer: list[tuple[Any, ...]] = []
_wake = threading.Event()
_state: dict[str, Any] = {"thread": None, "pid": None}


def _in_thread() -> bool:
    return bool(getattr(settings, "HALL_AUDIT_IN_THREAD", getattr(settings, "ANALYTICS_FLUSH_IN_THREAD", True)))


def _batch() -> int:
    return int(getattr(settings, "HALL_AUDIT_BATCH", 500))


def _seconds() -> float:
    return float(getattr(settings, "HALL_AUDIT_FLUSH_SECONDS", 1.0))


_NOBODY = object()


def actor_of(request: HttpRequest | None) -> User | None:
    """The signed-in user behind ``request``, or None.

    A ``request.user`` not evaluated yet comes from the session; without a session cookie nobody is signed in,
    so it is left alone: evaluating it would load an empty session on every anonymous lookup."""
    user = getattr(request, "user", None) if request is not None else None
    if user is None:
        return None
    if (
        isinstance(user, SimpleLazyObject)
        and user._wrapped is empty
        and settings.SESSION_COOKIE_NAME not in request.COOKIES  # type: ignore[union-attr]
    ):
        return None
    return user if signed_in(user) else None


def record(
    *,
    request: HttpRequest | None,
    action: str,
    result: str,
    object_id: str = "",
    object_type: str = "exams.scorerecord",
    detail: dict[str, Any] | None = None,
    actor: Any = _NOBODY,
) -> None:
    """Log one lookup (the actor is the signed-in user, if any; never the ID number itself). ``actor`` saves
    asking again when the caller has it from :func:`actor_of`."""
    if actor is _NOBODY:
        actor = actor_of(request)
    if not _in_thread():
        audit_record(
            action=action,
            actor=actor,
            object_type=object_type,
            object_id=object_id,
            result=result,
            detail=detail,
            origin=Origin.of(request),
        )
        return
    entry = (
        actor.pk if actor is not None else None,
        str(actor) if actor is not None else "",
        action,
        object_type,
        object_id,
        result,
        Origin.of(request).ip_hash,
        detail or {},
    )
    with _lock:
        _buffer.append(entry)
        full = len(_buffer) >= _batch()
    _ensure_thread()
    if full:
        _wake.set()


def _take() -> list[tuple[Any, ...]]:
    with _lock:
        taken = list(_buffer)
        _buffer.clear()
    return taken


_COLUMNS = (
    "at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "result",
    "ip_hash",
    "detail",
)


def flush() -> int:
    """Write what is buffered now as one multi-row INSERT on this thread's connection; the number written.

    A plain ``executemany`` (the values prepared by the model's own fields, so JSON goes in as each database
    wants it): building a model instance per entry would cost more CPU than the lookup it records."""
    entries = _take()
    if not entries:
        return 0
    connection = connections[AuditLog.objects.db]
    detail_field = AuditLog._meta.get_field("detail")
    at_field = AuditLog._meta.get_field("at")
    now = at_field.get_db_prep_save(timezone.now(), connection)
    table = connection.ops.quote_name(AuditLog._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(name) for name in _COLUMNS)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(_COLUMNS))})"  # noqa: S608 - fixed names
    rows = [
        (
            now,
            actor_id,
            label,
            action,
            object_type,
            object_id,
            "",
            result,
            ip_hash,
            detail_field.get_db_prep_save(detail, connection),
        )
        for actor_id, label, action, object_type, object_id, result, ip_hash, detail in entries
    ]
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    return len(rows)


def _loop() -> None:
    while True:
        _wake.wait(_seconds())
        _wake.clear()
        try:
            close_old_connections()
            flush()
        except Exception:  # never let the thread die; the entries of a failed batch are logged
            logger.exception("could not write lookup audit entries")
        finally:
            connections.close_all()


def _ensure_thread() -> None:
    import os

    if _state["thread"] is not None and _state["pid"] == os.getpid() and _state["thread"].is_alive():
        return
    with _lock:
        if _state["thread"] is not None and _state["pid"] == os.getpid() and _state["thread"].is_alive():
            return
        thread = threading.Thread(target=_loop, name="zhijiao-hall-audit", daemon=True)
        _state.update(thread=thread, pid=os.getpid())
        thread.start()


@atexit.register
def _flush_at_exit() -> None:  # pragma: no cover - process shutdown
    with contextlib.suppress(Exception):  # the database may be gone already
        flush()
