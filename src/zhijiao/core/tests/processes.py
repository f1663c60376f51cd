"""Real processes on the test database, for fault tests: the server and worker helpers are the bench's
(:mod:`zhijiao.bench.processes`); here is what points a child process at this test's database and keys."""

import os
from pathlib import Path
from urllib.parse import quote

from django.conf import settings as django_settings
from django.db import connection

from zhijiao.bench.processes import BROWSER, free_port, get, post_json, running_server, worker_argv

__all__ = ["BROWSER", "database_url", "free_port", "get", "post_json", "process_env", "running_server", "worker_argv"]


def database_url() -> str:
    """The test database as a DATABASE_URL, so a child process opens the very same database."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def process_env(var_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a child process: production settings on the test database, this test's keys."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "zhijiao.config.settings",
            "DATABASE_URL": database_url(),
            "ZHIJIAO_VAR_DIR": str(var_dir),
            # DEBUG without EMAIL_URL writes mail to var/mail/, which a test can read.
            "DEBUG": "1",
            "EMAIL_URL": "",
            "SECRET_KEY": django_settings.SECRET_KEY,
            "DATA_ENCRYPTION_KEY": django_settings.DATA_ENCRYPTION_KEY,
            "LOG_LEVEL": "WARNING",
            **extra,
        }
    )
    env.pop("REDIS_URL", None)
    return env
