"""Counters every process of every app server shares through the database: rate limits without Redis, lockouts.

Without ``REDIS_URL`` the cache is per process, so a limit counted there lets each process through its own
allowance (with the default two server processes a lockout after 5 failures let 10 through). These counters are
rows of :class:`~zhijiao.core.models.RateCounter`, each counted by one statement, atomic on SQLite (≥ 3.35, for
``RETURNING``) and PostgreSQL alike::

    INSERT INTO core_ratecounter (key, hits, expires_at) VALUES (%s, 1, %s)
    ON CONFLICT (key) DO UPDATE SET hits = CASE WHEN <expired> THEN 1 ELSE hits + 1 END, expires_at = …
    RETURNING hits, expires_at

A counter lives until ``expires_at`` (epoch seconds); a hit on an expired one starts it again at 1, so one
primitive serves fixed windows (the key names its window, see ``core.ratelimit``), windows that start at the first
hit (login failures), holds (a lockout until a time) and one-time claims (a captcha solution used once). The
worker prunes expired rows every few minutes (``core.tasks.prune_rate_counters``).

A count made inside a transaction that rolls back is rolled back with it: count outside ``transaction.atomic``
(views and the API's throttles do).
"""

import hashlib
import time
from collections.abc import Iterable, Sequence

from django.db import connection

_TABLE = "core_ratecounter"
MAX_KEY_LENGTH = 200

_HIT_SQL = (
    f"INSERT INTO {_TABLE} (key, hits, expires_at) VALUES (%s, 1, %s) "  # noqa: S608 - our table
    "ON CONFLICT (key) DO UPDATE SET "
    f"hits = CASE WHEN {_TABLE}.expires_at <= %s THEN 1 ELSE {_TABLE}.hits + 1 END, "
    f"expires_at = CASE WHEN {_TABLE}.expires_at <= %s THEN excluded.expires_at ELSE {_TABLE}.expires_at END "
    "RETURNING hits, expires_at"
)


def _key(key: str) -> str:
    # Keys are ours (hashed addresses, ids); a long one keeps a readable head and a digest of the whole.
    if len(key) <= MAX_KEY_LENGTH:
        return key
    return key[: MAX_KEY_LENGTH - 41] + ":" + hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()


def hit(key: str, seconds: float, *, now: float | None = None) -> tuple[int, float]:
    """Count one hit on ``key``: (hits so far, epoch seconds when the counter ends). A new or expired counter
    starts at 1 and ends ``seconds`` from now; a live one keeps its end."""
    now = time.time() if now is None else now
    with connection.cursor() as cursor:
        cursor.execute(_HIT_SQL, [_key(key), now + seconds, now, now])
        hits, expires_at = cursor.fetchone()
    return int(hits), float(expires_at)


def hit_until(key: str, expires_at: float, *, now: float | None = None) -> int:
    """Count one hit on ``key``, a counter that ends at ``expires_at`` (a fixed window); the hits so far."""
    now = time.time() if now is None else now
    return hit(key, expires_at - now, now=now)[0]


def peek(keys: Iterable[str], *, now: float | None = None) -> dict[str, tuple[int, float]]:
    """The live counters among ``keys``: key → (hits, epoch seconds when it ends); one query."""
    now = time.time() if now is None else now
    stored = {_key(key): key for key in keys}
    if not stored:
        return {}
    marks = ", ".join(["%s"] * len(stored))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT key, hits, expires_at FROM {_TABLE} WHERE key IN ({marks}) AND expires_at > %s",  # noqa: S608
            [*stored, now],
        )
        return {stored[key]: (int(hits), float(until)) for key, hits, until in cursor.fetchall()}


def forget(keys: Sequence[str]) -> None:
    """Drop the counters ``keys`` (a successful sign-in clears its failures)."""
    if not keys:
        return
    marks = ", ".join(["%s"] * len(keys))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_TABLE} WHERE key IN ({marks})", [_key(key) for key in keys])  # noqa: S608


def claim_once(key: str, seconds: float) -> bool:
    """True for the first claim of ``key`` within ``seconds``, False for every later one until it ends."""
    return hit(key, seconds)[0] == 1


def prune(*, now: float | None = None) -> int:
    """Delete the counters that have ended; how many."""
    now = time.time() if now is None else now
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_TABLE} WHERE expires_at <= %s", [now])  # noqa: S608
        return int(cursor.rowcount)
