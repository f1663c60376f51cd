"""Recorded page views for tests, written the way the buffer writes them."""

import time
from datetime import date

from zhijiao.analytics import services


def record(
    *,
    day: date,
    platform: str = "portal",
    visitor: str = "v1",
    device: str = "desktop",
    obj: tuple[str, int] | None = None,
    region: str = "",
    times: int = 1,
) -> None:
    """Buffer ``times`` views with these fields and write them as one batch."""
    row = (day, platform, obj[0] if obj else "", obj[1] if obj else None, device, visitor, region, int(time.time()))
    for _ in range(times):
        services._buffer.append(row)
    services.pageviews_flush()
