"""What a web worker does once, after the app is loaded and before its first request.

A worker holds about 300,000 long-lived Python objects (Django, the URLconf, every view and schema, the pinyin
dictionaries). CPython's cyclic garbage collector walks all of them on each full collection — about 0.1 s with the
GIL held, during which the worker answers nothing. Under load that happens every few seconds and is the whole of
the p99: on release night a score lookup that takes 0.5 ms would wait 100 ms behind a collection. So the worker
loads what it would otherwise load on its first requests (the URLconf imports every view and API schema), then
moves everything alive into the collector's permanent generation (``gc.freeze``): those objects are never walked
again, and a full collection only looks at what requests create.
"""

from __future__ import annotations

import gc
import logging

from django.urls import get_resolver

logger = logging.getLogger(__name__)


def worker_ready() -> None:
    """Load the URLconf (and with it every view and API), then freeze what is alive out of the collector's way."""
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 - imports every view module and builds the API's schemas
    resolver.reverse_dict  # noqa: B018 - builds the reverse lookup tables used by every page
    gc.collect()
    gc.freeze()
    logger.debug("worker ready: %d objects frozen", gc.get_freeze_count())
