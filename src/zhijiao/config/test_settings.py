"""Test settings: the production settings with a fast hasher and the immediate task backend.

Tests about the task queue itself switch back to the database backend (see core/tests/test_worker.py).
"""

import os
import tempfile
from pathlib import Path

from .settings import *  # noqa: F403
from .settings import DATABASES, STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
SECURE_SSL_REDIRECT = False
PAGE_CACHE_SECONDS = 0
CONTENT_CACHE_SECONDS = 0
# The API's default throttles (120/min per address) would trip across a busy test process; tests of the
# throttle itself lower these with override_settings.
API_RATE_ANON = API_RATE_USER = CHOOSER_RATE = CODE_SCAN_RATE = "100000/min"
# Counted page views are written only when a test flushes them, on the test's own database connection.
ANALYTICS_FLUSH_IN_THREAD = False
ANALYTICS_BATCH_SIZE = 1_000_000
ANALYTICS_FLUSH_SECONDS = 1e9
# Views left in a test process's buffer must not be written at exit: by then the test database is gone and the
# connection names the developer's own database again.
ANALYTICS_FLUSH_AT_EXIT = False

# The task-queue tests start a real worker process on the test database, so on SQLite the test database is a
# file (in RAM-backed /dev/shm where there is one; one per test process) instead of Django's in-memory default.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _shm = Path("/dev/shm")  # noqa: S108 - a throwaway test database, named per process
    _test_db_dir = _shm if _shm.is_dir() else Path(tempfile.gettempdir())
    DATABASES["default"]["TEST"] = {"NAME": str(_test_db_dir / f"zhijiao-test-{os.getpid()}.sqlite3")}
