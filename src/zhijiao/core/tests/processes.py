"""Real processes on the test database: the production server (granian) and the task worker, for fault tests."""

import contextlib
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings as django_settings
from django.db import connection

from zhijiao.cli import granian_argv

START_TIMEOUT_SECONDS = 60  # a hang guard, not a speed check
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"


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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def running_server(env: dict[str, str], *, workers: int = 2) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """The production server as `zhijiao serve` runs it, answering on a free loopback port; killed at the end."""
    port = free_port()
    server = subprocess.Popen(
        granian_argv("127.0.0.1", port, workers=workers, blocking_threads=1),
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while True:
            assert server.poll() is None, "the server exited at start"
            assert time.monotonic() < deadline, "the server did not answer /healthz"
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:  # noqa: S310 - loopback
                    if response.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        yield server, base
    finally:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def get(url: str, **headers: str) -> int:
    return _status(urllib.request.Request(url, headers={"User-Agent": BROWSER, **headers}))  # noqa: S310 - loopback


def post_json(url: str, body: bytes) -> int:
    headers = {"User-Agent": BROWSER, "Content-Type": "application/json"}
    return _status(urllib.request.Request(url, data=body, headers=headers, method="POST"))  # noqa: S310 - loopback


def _status(request: urllib.request.Request) -> int:
    """The answer's status, its body read to the end."""
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def worker_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "zhijiao.cli", "worker", *args]


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
