"""Django's database sessions, read without compiling the query on every request.

Without Redis, every signed-in request reads its session row; the read is the same query Django's ``db`` backend
runs (the key, and an expiry after now), prepared once (``core.prepared``).
"""

from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from .prepared import Prepared

_SESSION = Prepared(lambda key, now: Session.objects.filter(session_key=key, expire_date__gt=now)[:1])


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Any:
        key = self.session_key
        found = _SESSION.first(key, timezone.now()) if isinstance(key, str) else None
        if found is None:
            self._session_key = None
        return found
