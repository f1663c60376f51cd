import pytest
from django.core.cache import cache

from zhijiao.analytics import services

BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148"
TABLET = (
    "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/604.1"
)


@pytest.fixture(autouse=True)
def _fresh_analytics() -> None:
    """Every test starts with an empty buffer, no remembered salt and an empty cache."""
    services.flush_wait()
    services.buffer_clear()
    services._salt_memo.clear()
    services._visitor_memo.clear()
    cache.clear()
