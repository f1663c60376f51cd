"""Sizes in the environment: bytes or K/M/G, and a wrong value stops the start naming the variable."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from zhijiao.config.settings import env_bytes


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("", 7),
        ("1048576", 1048576),
        ("512K", 512 * 1024),
        ("20M", 20 * 1024 * 1024),
        ("1GiB", 1024**3),
        (" 20mb ", 20 * 1024 * 1024),
    ],
)
def test_a_size_reads_as_bytes(monkeypatch, given: str, expected: int) -> None:
    monkeypatch.setenv("SOME_MAX_BYTES", given)
    assert env_bytes("SOME_MAX_BYTES", 7) == expected


@pytest.mark.parametrize("given", ["0", "-5", "20 MB", "twenty", "1.5M", "M"])
def test_a_wrong_size_stops_the_start_naming_the_variable(monkeypatch, given: str) -> None:
    monkeypatch.setenv("SOME_MAX_BYTES", given)
    with pytest.raises(ImproperlyConfigured, match="SOME_MAX_BYTES"):
        env_bytes("SOME_MAX_BYTES", 7)
