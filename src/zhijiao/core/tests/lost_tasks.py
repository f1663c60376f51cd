"""Tasks for the worker-loss tests: each run appends a line to a file; the first run then hangs until killed."""

import time
from pathlib import Path

from django.tasks import task

from zhijiao.core.workers import idempotent

HANG_SECONDS = 120  # far beyond the test: only a kill ends it


def _run(path: str) -> int:
    file = Path(path)
    with file.open("a", encoding="utf-8") as handle:
        handle.write("run\n")
    runs = len(file.read_text(encoding="utf-8").splitlines())
    if runs == 1:
        time.sleep(HANG_SECONDS)
    return runs


@idempotent
@task()
def count_then_hang(path: str) -> int:
    """Safe to run again: it only counts its runs."""
    return _run(path)


@task()
def count_then_hang_once(path: str) -> int:
    """The same work, not marked idempotent."""
    return _run(path)
