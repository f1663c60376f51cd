"""Real processes for fault figures and fault tests: the production server (granian, as ``zhijiao serve`` runs it)
on a free loopback port, the task worker's command line, and plain HTTP calls that read an answer to its end.

``zhijiao bench faults`` and the fault tests (``core/tests/test_stopping.py`` …) share these; the tests add only
what points a child process at the test database.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import IO

from zhijiao.cli import granian_argv

START_TIMEOUT_SECONDS = 60  # a hang guard, not a speed check
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(
    env: dict[str, str], *, port: int, workers: int = 2, log: IO[bytes] | None = None
) -> subprocess.Popen[bytes]:
    """The production server on ``port``, once it answers /healthz (AssertionError if it exits or hangs); its
    errors go to ``log`` (else to this process's stderr)."""
    server = subprocess.Popen(
        granian_argv("127.0.0.1", port, workers=workers, blocking_threads=1),
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while True:
        if server.poll() is not None:
            raise AssertionError("the server exited at start")
        if time.monotonic() > deadline:
            kill(server)
            raise AssertionError("the server did not answer /healthz")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return server
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)


def kill(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL to the process and its children (its session), then reap it."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


@contextlib.contextmanager
def running_server(env: dict[str, str], *, workers: int = 2) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """The production server answering on a free loopback port; killed at the end."""
    port = free_port()
    server = start_server(env, port=port, workers=workers)
    try:
        yield server, f"http://127.0.0.1:{port}"
    finally:
        kill(server)


def get(url: str, **headers: str) -> int:
    return _status(urllib.request.Request(url, headers={"User-Agent": BROWSER, **headers}))  # noqa: S310 - loopback


def post_json(url: str, body: bytes, **headers: str) -> int:
    headers = {"User-Agent": BROWSER, "Content-Type": "application/json", **headers}
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
