"""Fixtures of the kernel's tests."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from .redis import REDIS_SERVER, OwnRedis


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[OwnRedis]:
    if REDIS_SERVER is None:
        pytest.skip("needs redis-server installed (to stop and start)")
    server = OwnRedis(tmp_path)
    server.start()
    try:
        yield server
    finally:
        if server.process is not None:
            server.thaw()
        server.stop()
