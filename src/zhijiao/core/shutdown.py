"""Work a process finishes before it exits: writing what it holds in memory (the page-view buffer).

``on_shutdown(hook)`` registers a function; :func:`run_hooks` runs every hook once per process, each in its own
``try`` so one failing store does not keep the others from writing. It runs on a normal interpreter exit
(``atexit``: the task worker after SIGTERM, commands) and when a ``multiprocessing`` child ends: granian's web
workers are such children, and they leave through ``os._exit`` after ``multiprocessing``'s own exit function, which
skips ``atexit`` but runs the finalizers registered with ``multiprocessing.util.Finalize``. granian turns SIGTERM
into a graceful stop of each worker (requests in flight are answered, then the worker function returns), so a
SIGTERM to the server ends in these hooks in every worker.
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing.util
import os
from collections.abc import Callable

logger = logging.getLogger(__name__)

_hooks: list[Callable[[], object]] = []
_ran_in: set[int] = set()


def on_shutdown(hook: Callable[[], object]) -> Callable[[], object]:
    """Run ``hook`` when this process stops cleanly (usable as a decorator); registering twice runs it once."""
    if hook not in _hooks:
        _hooks.append(hook)
    return hook


def run_hooks() -> None:
    """Run every registered hook, once per process (both exit paths may call this)."""
    pid = os.getpid()
    if pid in _ran_in:
        return
    _ran_in.add(pid)
    for hook in list(_hooks):
        try:
            hook()
        except Exception:  # the database may be gone already: say so, and let the other hooks run
            logger.exception("shutdown hook %s failed", getattr(hook, "__qualname__", hook))


atexit.register(run_hooks)
# Runs before multiprocessing's plain exit in a child process (priority >= 0 runs first).
multiprocessing.util.Finalize(None, run_hooks, exitpriority=100)
