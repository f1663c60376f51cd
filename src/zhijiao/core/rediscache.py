"""Redis as an accelerator, never a single point of failure: the cache backend ``REDIS_URL`` selects, and the
circuit breaker every Redis user in the process shares.

When Redis stops answering (stopped, refusing connections, out of memory, a read-only replica after a failover),
:class:`RedisCache` answers every read as a miss and drops every write instead of raising, so each page works as it
does without a cache: the page cache and the content cache rebuild from the database, sessions are read from the
database (``core.sessions`` writes them through), rate limits count in the database (``core.ratelimit``), page
views are written to the database (``analytics.services``). Short socket timeouts (``REDIS_CONNECT_TIMEOUT`` /
``REDIS_SOCKET_TIMEOUT``) keep a request from hanging on an unreachable server.

After a failure the breaker stays open for ``REDIS_RETRY_SECONDS``: nothing tries Redis during that time, so an
outage costs one failed connection per process every few seconds, not one per request. The first call after that
tries again; when it succeeds Redis is used again and the process logs that it is back. One warning is logged per
outage, not per request; the failures, outages and calls answered without Redis are counted (:func:`status`, shown
by the readiness check ``/readyz``).

Keys written or deleted while Redis was away are deleted when it returns (up to ``PENDING_LIMIT`` per process):
a session that signed out, an article edited, a 云码 unpublished during the outage must not come back from a copy
Redis kept from before it. With Redis up the only cost is one comparison per operation.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

logger = logging.getLogger(__name__)

PENDING_LIMIT = 10_000


def _outage_errors() -> tuple[type[BaseException], ...]:
    from redis import exceptions

    return (
        exceptions.ConnectionError,  # refused, reset, DNS, authentication, loading, too many connections
        exceptions.TimeoutError,
        exceptions.ReadOnlyError,  # a replica promoted or demoted under us
        exceptions.OutOfMemoryError,
        exceptions.ClusterDownError,
        exceptions.TryAgainError,
        OSError,
    )


OUTAGE_ERRORS = _outage_errors()


@dataclass
class Breaker:
    """Whether Redis is worth trying now; shared by every thread of the process (one per Redis address)."""

    retry_seconds: float = 2.0
    open_until: float = 0.0  # time.monotonic() before which nothing tries Redis
    down_since: float | None = None  # epoch seconds of the failure that began the current outage
    failures: int = 0
    outages: int = 0
    skipped: int = 0
    last_error: str = ""
    pending: set[str] = field(default_factory=set)
    pending_overflow: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def allows(self) -> bool:
        """Whether to try Redis now (always while it answers; once every ``retry_seconds`` while it does not)."""
        if time.monotonic() >= self.open_until:
            return True
        self.skipped += 1
        return False

    def failed(self, exc: BaseException) -> None:
        with self.lock:
            self.failures += 1
            self.last_error = type(exc).__name__
            self.open_until = time.monotonic() + self.retry_seconds
            if self.down_since is not None:
                return
            self.down_since = time.time()
            self.outages += 1
        logger.warning(
            "Redis unreachable (%s: %s): serving without it (cache misses, sessions and counters in the database); "
            "trying again every %.0f s",
            type(exc).__name__,
            exc,
            self.retry_seconds,
        )

    def succeeded(self) -> None:
        if self.down_since is None:
            return
        with self.lock:
            if self.down_since is None:
                return
            seconds = time.time() - self.down_since
            self.down_since = None
            self.open_until = 0.0
        logger.warning("Redis answers again after %.1f s of outage; using it again", seconds)

    def remember(self, keys: Iterable[str]) -> None:
        """Keys written or deleted during the outage: deleted from Redis once it answers again."""
        with self.lock:
            for key in keys:
                if len(self.pending) >= PENDING_LIMIT:
                    self.pending_overflow = True
                    break
                self.pending.add(key)

    def take_pending(self) -> list[str]:
        with self.lock:
            keys = list(self.pending)
            self.pending.clear()
            if self.pending_overflow:
                self.pending_overflow = False
                logger.warning(
                    "more than %d cache entries changed while Redis was away: some may show their old value until "
                    "they expire",
                    PENDING_LIMIT,
                )
        return keys

    def status(self) -> dict[str, Any]:
        return {
            "status": "down" if self.down_since is not None else "ok",
            "down_since": self.down_since,
            "failures": self.failures,
            "outages": self.outages,
            "skipped": self.skipped,
            "last_error": self.last_error,
        }


_breakers: dict[str, Breaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(location: str) -> Breaker:
    """The process's breaker for the Redis at ``location`` (made once)."""
    found = _breakers.get(location)
    if found is None:
        with _breakers_lock:
            found = _breakers.setdefault(location, Breaker(retry_seconds=settings.REDIS_RETRY_SECONDS))
    return found


def breakers_reset() -> None:
    """Forget every breaker (tests start from a Redis that has never failed)."""
    with _breakers_lock:
        _breakers.clear()


def breaker() -> Breaker | None:
    """The breaker of ``REDIS_URL``; None when Redis is not configured."""
    return breaker_for(settings.REDIS_URL) if settings.REDIS_URL else None


def guarded[T](location: str, call: Callable[[], T], fallback: Callable[[], T]) -> T:
    """``call()`` against Redis, or ``fallback()`` while Redis is away (an outage error opens the breaker)."""
    state = breaker_for(location)
    if not state.allows():
        return fallback()
    try:
        result = call()
    except OUTAGE_ERRORS as exc:
        state.failed(exc)
        return fallback()
    state.succeeded()
    return result


def status() -> dict[str, Any] | None:
    """What this process knows of Redis (for ``/readyz``); None when Redis is not configured."""
    found = breaker()
    return None if found is None else found.status()


class _ReusedClients(RedisCacheClient):
    """Django's Redis cache client, keeping one redis-py client per connection pool.

    Django builds a new redis-py client object for every cache operation: about 0.1 ms of CPU each with redis-py 8
    (its command table is copied into every new client), a tenth of a saved exam answer's whole work. A redis-py
    client is safe to share between threads (each command takes a connection from the pool), so one per pool serves
    them all.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)  # type: ignore[attr-defined]
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(index)  # type: ignore[attr-defined]
            client = self._clients.setdefault(index, self._client(connection_pool=pool))  # type: ignore[attr-defined]
        return client


class RedisCache(DjangoRedisCache):
    """Django's Redis cache that answers as a miss while Redis is away (see the module's docstring), with one
    redis-py client per connection pool (:class:`_ReusedClients`)."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _ReusedClients
        self._location = server if isinstance(server, str) else ",".join(server)

    @property
    def breaker(self) -> Breaker:
        return breaker_for(self._location)

    def _guard[T](
        self, call: Callable[[], T], fallback: Callable[[], T], lost: Callable[[], Iterable[str]] | None = None
    ) -> T:
        state = self.breaker
        if state.allows():
            try:
                result = call()
            except OUTAGE_ERRORS as exc:
                state.failed(exc)
            else:
                if state.down_since is not None or state.pending:
                    state.succeeded()
                    self._forget_pending()
                return result
        if lost is not None:
            state.remember(lost())
        return fallback()

    def _forget_pending(self) -> None:
        keys = self.breaker.take_pending()
        for start in range(0, len(keys), 1000):
            part = keys[start : start + 1000]
            try:
                self._cache.delete_many(part)
            except OUTAGE_ERRORS as exc:
                self.breaker.remember(keys[start:])
                self.breaker.failed(exc)
                return

    def _full(self, keys: Iterable[str], version: int | None) -> list[str]:
        return [self.make_and_validate_key(key, version=version) for key in keys]

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._guard(lambda: super(RedisCache, self).add(key, value, timeout, version), lambda: False)

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._guard(lambda: super(RedisCache, self).get(key, default, version), lambda: default)

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self._guard(
            lambda: super(RedisCache, self).set(key, value, timeout, version),
            lambda: None,
            lost=lambda: self._full([key], version),
        )

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._guard(lambda: super(RedisCache, self).touch(key, timeout, version), lambda: False)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._guard(
            lambda: super(RedisCache, self).delete(key, version), lambda: False, lost=lambda: self._full([key], version)
        )

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        return self._guard(lambda: super(RedisCache, self).get_many(keys, version), dict)

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._guard(lambda: super(RedisCache, self).has_key(key, version), lambda: False)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        def missing() -> int:
            raise ValueError(f"Key {key!r} not found (Redis is away).")

        return self._guard(lambda: super(RedisCache, self).incr(key, delta, version), missing)

    def set_many(self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> list[Any]:
        return self._guard(
            lambda: super(RedisCache, self).set_many(data, timeout, version),
            lambda: list(data),
            lost=lambda: self._full(data, version),
        )

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        keys = list(keys)
        self._guard(
            lambda: super(RedisCache, self).delete_many(keys, version),
            lambda: None,
            lost=lambda: self._full(keys, version),
        )

    def clear(self) -> None:
        self._guard(lambda: super(RedisCache, self).clear(), lambda: None)

    def ping(self) -> bool:
        """Ask Redis directly, whatever the breaker says (the readiness check); closes the breaker when it answers."""
        try:
            answered = bool(self._cache.get_client(None, write=True).ping())
        except OUTAGE_ERRORS as exc:
            self.breaker.failed(exc)
            return False
        if self.breaker.down_since is not None or self.breaker.pending:
            self.breaker.succeeded()
            self._forget_pending()
        return answered
