"""Real processes on the test database, for fault tests: the server and worker helpers are the bench's
(:mod:`zhijiao.bench.processes`); here is what points a child process at this test's database and keys."""

import http.cookiejar
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings as django_settings
from django.db import connection

from zhijiao.bench.processes import BROWSER, free_port, get, post_json, running_server, worker_argv

__all__ = [
    "BROWSER",
    "Visitor",
    "database_url",
    "free_port",
    "get",
    "post_json",
    "process_env",
    "running_server",
    "server_user",
    "worker_argv",
]


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


def server_user(**fields: Any) -> Any:
    """A person who can sign in on a production server (its password hashed the way production settings read it;
    the tests' own fast hasher is not among them)."""
    from django.contrib.auth.hashers import Argon2PasswordHasher

    from zhijiao.accounts.tests.factories import PASSWORD, make_user

    user = make_user(**fields)
    hasher = Argon2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt())
    user.save(update_fields=["password"])
    return user


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class Visitor:
    """One browser against a running server: its own cookies (session, CSRF), redirects not followed."""

    def __init__(self) -> None:
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect())

    def open(self, url: str, data: dict[str, str] | None = None, **headers: str) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers={"User-Agent": BROWSER, **headers})  # noqa: S310
        try:
            with self.opener.open(request, timeout=30) as response:
                return int(response.status), response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            return int(error.code), error.read().decode(errors="replace")

    def post_form(self, url: str, data: dict[str, str]) -> tuple[int, str]:
        """GET the form's page for its CSRF token, then POST ``data`` with it."""
        status, html = self.open(url)
        assert status == 200, f"{url} answered {status}"
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert found, "no CSRF token on the page"
        return self.open(url, {**data, "csrfmiddlewaretoken": found.group(1)}, Referer=url)
