"""The task ``zhijiao bench faults`` kills a worker in: imported by the worker that runs it, not by the bench."""

import time
from pathlib import Path

from django.tasks import task

from zhijiao.core.workers import idempotent

HANG_SECONDS = 120  # the first run: far beyond the bench, only the kill ends it


@idempotent
@task()
def count_then_hang(path: str) -> int:
    """Each run adds a line to ``path``; the first run then hangs until its worker is killed. Safe to run again
    (it only counts its runs)."""
    file = Path(path)
    with file.open("a", encoding="utf-8") as handle:
        handle.write("run\n")
    runs = len(file.read_text(encoding="utf-8").splitlines())
    if runs == 1:
        time.sleep(HANG_SECONDS)
    return runs
