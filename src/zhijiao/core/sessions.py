"""Sessions in the database, read without compiling the query on every request; with Redis, read from Redis first.

Without Redis, every signed-in request reads its session row; the read is the same query Django's ``db`` backend
runs (the key, and an expiry after now), prepared once (``core.prepared``).

With ``REDIS_URL`` the store works like Django's ``cached_db``: a read is one Redis ``GET`` and goes to the
database only on a miss (then fills Redis again); a save writes the database row and then Redis. Saves are rare
(``core.middleware.SessionIdleMiddleware`` renews a session once a tenth of its idle age has passed), reads are on
every signed-in request, so Redis keeps the hot path one round trip while the database keeps every session: when
Redis is away (``core.rediscache`` answers misses) people stay signed in, read from the database. The cache keys
differ from those of Django's ``cache`` backend on purpose: a session that lived only in Redis has no row to renew,
so after the upgrade to this store people signed in before it sign in once more.
"""

from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.utils import timezone

from .prepared import Prepared
from .rediscache import RedisCache

_SESSION = Prepared(lambda key, now: Session.objects.filter(session_key=key, expire_date__gt=now)[:1])

CACHE_KEY_PREFIX = "zhijiao.sessions."


class SessionStore(DatabaseSessionStore):
    def __init__(self, session_key: str | None = None) -> None:
        backend = caches[settings.SESSION_CACHE_ALIAS]
        # Only a shared cache helps: a per-process one would serve a session another process has ended.
        self._redis = backend if isinstance(backend, RedisCache) else None
        super().__init__(session_key)

    def _get_session_from_db(self) -> Any:
        key = self.session_key
        found = _SESSION.first(key, timezone.now()) if isinstance(key, str) else None
        if found is None:
            self._session_key = None
        return found

    def _cache_key(self, session_key: str) -> str:
        return CACHE_KEY_PREFIX + session_key

    def load(self) -> dict[str, Any]:
        redis = self._redis
        key = self.session_key
        if redis is None or not isinstance(key, str) or len(key) < 8:
            return super().load()
        data = redis.get(self._cache_key(key))
        if data is not None:
            return data
        found = self._get_session_from_db()
        if found is None:
            return {}
        data = self.decode(found.session_data)
        redis.set(self._cache_key(key), data, self.get_expiry_age(expiry=found.expire_date))
        return data

    def save(self, must_create: bool = False) -> None:
        if self.session_key is None:
            return self.create()  # which saves again with a key: written to Redis once, there
        super().save(must_create)
        if self._redis is not None and self.session_key:
            self._redis.set(self._cache_key(self.session_key), self._session, self.get_expiry_age())  # type: ignore[attr-defined]

    def delete(self, session_key: str | None = None) -> None:
        super().delete(session_key)
        if self._redis is None:
            return
        key = session_key or self.session_key
        if key:
            self._redis.delete(self._cache_key(key))
