"""Browser tests drive Debian's Chromium through pytest-playwright against pytest-django's live server.

pytest-playwright's usual fixtures (``page``, ``new_context``, ``browser``) work here; they launch the
system Chromium at /usr/bin/chromium (never a browser fetched by `playwright install`) and ask for pages
in Chinese. Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls from a
thread with a running loop unless told this is deliberate, and here it is (test data is made between
page actions).
"""

import os
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    reason = f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)"
    skip = pytest.mark.skip(reason=reason)
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # Accept-Language zh-CN, as most visitors send; the language switch is tested on top of it.
    return {**browser_context_args, "locale": "zh-CN"}
