"""Byte ranges as the file server reads them (the HTTP answers are tested through K-12's media pages)."""

import pytest

from zhijiao.core.files import Unsatisfiable, parse_range


def test_parse_range_edges() -> None:
    assert parse_range("bytes=0-0", 10) == (0, 0)
    assert parse_range("bytes=5-100", 10) == (5, 9)
    assert parse_range("bytes=-100", 10) == (0, 9)
    with pytest.raises(Unsatisfiable):
        parse_range("bytes=10-", 10)
