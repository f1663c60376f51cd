"""Rate limits: fixed-window hit counters shared by every app server, per client address or per user.

Not only the API's: pages count with them too (the score lookup, verification by code). :func:`rate_limit` answers
429 through :class:`RateLimited`; :func:`count_hits` is the counter underneath, one Redis round trip when the
cache is Redis, one database statement per count otherwise (``core.counters``); the throttles give every API
operation a default limit per visitor and per user.
"""

import functools
import hashlib
import math
import time
from collections.abc import Sequence

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja.throttling import BaseThrottle

from . import counters
from .actors import client_ip, signed_in
from .errors import DomainError
from .rediscache import guarded


class RateLimited(DomainError):
    """Too many attempts from one client; ``retry_after`` says when to try again."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("rate_limited", gettext("操作过于频繁，请稍后再试"), status=429)
        self.retry_after = max(1, int(retry_after))


_PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


@functools.lru_cache(maxsize=64)
def parse_rate(rate: str) -> tuple[int, int]:
    """``"120/min"`` → ``(120, 60)``; also ``"5/10m"``."""
    count, _, period = rate.partition("/")
    digits = "".join(ch for ch in period if ch.isdigit())
    unit = period[len(digits) :]
    if not count.isdigit() or unit not in _PERIODS:
        raise ValueError(f"invalid rate {rate!r}")
    return int(count), int(digits or 1) * _PERIODS[unit]


def _hashed(value: str) -> str:
    # Cache keys never hold a raw address.
    return hashlib.sha256(value.encode()).hexdigest()[:24]


def client_key(request: HttpRequest) -> str:
    """The client's address as rate-limit keys hold it (hashed, never the address itself)."""
    return _hashed(client_ip(request) or "unknown")


def _window(key: str, window_seconds: int, now: float) -> tuple[str, int, float]:
    bucket = int(now // window_seconds)
    ends = (bucket + 1) * window_seconds
    return f"ratelimit:{key}:{bucket}", max(1, math.ceil(ends - now)), ends


def count_hits(
    counts: Sequence[tuple[str, int]], peeks: Sequence[tuple[str, int]] = ()
) -> tuple[list[tuple[int, int]], list[int]]:
    """Count one hit on each ``(key, window seconds)`` of ``counts`` and read each counter of ``peeks``.

    Answers, in order, (hits so far, seconds until the window ends) per count and the hits so far per peek.
    With Redis, all of it is one round trip: ``INCR`` and ``EXPIRE`` per count and ``GET`` per peek, pipelined
    (Django's ``incr`` asks ``EXISTS`` first, and a new window adds an ``add``). The expiry is set again on every
    hit; the key names its window, so it only outlives the window by a second. Without Redis, or while it is away
    (``core.rediscache``), the counters are rows in the database shared by every process (``core.counters``): one
    atomic upsert per count and one query for the peeks, never a per-process count that would multiply a limit by
    the number of processes. A window that began in Redis and ends in the database starts again from zero there.
    """
    now = time.time()
    windows = [_window(key, seconds, now) for key, seconds in counts]
    peeked = [_window(key, seconds, now)[0] for key, seconds in peeks]
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        answered = guarded(_location(backend), lambda: _count_in_redis(backend, windows, counts, peeked), lambda: None)
        if answered is not None:
            return answered
    hits = [counters.hit_until(cache_key, ends + 1, now=now) for cache_key, _retry, ends in windows]
    found = counters.peek(peeked, now=now) if peeked else {}
    return (
        [(count, retry) for count, (_key, retry, _ends) in zip(hits, windows, strict=True)],
        [found.get(cache_key, (0, 0.0))[0] for cache_key in peeked],
    )


def _location(backend: RedisCache) -> str:
    servers = backend._servers  # type: ignore[attr-defined]  # Django's, not in the stubs
    return servers if isinstance(servers, str) else ",".join(servers)


def _count_in_redis(
    backend: RedisCache,
    windows: list[tuple[str, int, float]],
    counts: Sequence[tuple[str, int]],
    peeked: list[str],
) -> tuple[list[tuple[int, int]], list[int]]:
    pipe = backend._cache.get_client(None, write=True).pipeline(transaction=False)
    for (cache_key, _retry, _ends), (_key, seconds) in zip(windows, counts, strict=True):
        full_key = backend.make_and_validate_key(cache_key)
        pipe.incr(full_key)
        pipe.expire(full_key, seconds + 1)
    for cache_key in peeked:
        pipe.get(backend.make_and_validate_key(cache_key))
    answers = pipe.execute()
    hits = [int(answers[2 * n]) for n in range(len(counts))]
    return (
        [(count, retry) for count, (_key, retry, _ends) in zip(hits, windows, strict=True)],
        [int(value or 0) for value in answers[2 * len(counts) :]],
    )


def count_hit(key: str, window_seconds: int) -> tuple[int, int]:
    """Count one hit in the current fixed window: (hits so far, seconds until the window ends). See count_hits."""
    return count_hits([(key, window_seconds)])[0][0]


def hits_so_far(key: str, window_seconds: int) -> int:
    """What :func:`count_hit` has counted for ``key`` in the current window, without counting."""
    return count_hits([], [(key, window_seconds)])[1][0]


def rate_limit(request: HttpRequest, key: str, limit: int, window_seconds: int) -> None:
    """Allow ``limit`` calls of operation ``key`` per client address per window; beyond that answer 429."""
    hits, retry_after = count_hit(f"{key}:{client_key(request)}", window_seconds)
    if hits > limit:
        raise RateLimited(retry_after)


class SettingsRateThrottle(BaseThrottle):
    """ninja throttle with its rate read from a setting on each request (so deployments and tests can tune it).

    ninja's own Anon/AuthRateThrottle keep per-request state on the shared throttle object (unsafe with
    threaded servers), trust any X-Forwarded-For and key users by ``str(user)``; this one counts with the
    same cache counter as :func:`rate_limit`, by :func:`client_ip` or by user id.
    """

    setting = ""
    default_rate = ""
    scope = ""

    def rate(self) -> tuple[int, int]:
        return parse_rate(getattr(settings, self.setting, self.default_rate))

    def ident(self, request: HttpRequest) -> str | None:
        raise NotImplementedError

    def allow_request(self, request: HttpRequest) -> bool:
        ident = self.ident(request)
        if ident is None:
            return True
        limit, window = self.rate()
        hits, retry_after = count_hit(f"api:{self.scope}:{ident}", window)
        if hits > limit:
            # For the 429 handler (core.api_errors), which answers after this object has moved on.
            request._zj_retry_after = retry_after  # type: ignore[attr-defined]
            return False
        return True

    def wait(self) -> float | None:
        return None  # shared object, no per-request state: the 429 handler reads Retry-After from the request


class AnonymousThrottle(SettingsRateThrottle):
    """Visitors who are not signed in, per client address (default 120 requests a minute)."""

    setting = "API_RATE_ANON"
    default_rate = "120/min"
    scope = "anon"

    def ident(self, request: HttpRequest) -> str | None:
        if signed_in(getattr(request, "user", None)):
            return None
        return client_key(request)


class UserThrottle(SettingsRateThrottle):
    """Signed-in people and tokens, per user (default 600 requests a minute)."""

    setting = "API_RATE_USER"
    default_rate = "600/min"
    scope = "user"

    def ident(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if not signed_in(user):
            return None
        return str(user.pk)
