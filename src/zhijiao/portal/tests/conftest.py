import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_page_cache() -> None:
    """Pages cached by one test must never answer another."""
    cache.clear()
