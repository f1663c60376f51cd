"""The assignment figure's function runs on a small scale and leaves nothing behind."""

import pytest

from zhijiao.bench.reviews import measure_assignment
from zhijiao.reviews.models import Submission

pytestmark = pytest.mark.django_db


def test_measure_assignment_reports_loads_and_rolls_back() -> None:
    figures = measure_assignment(submissions=40, experts=12)
    assert figures["assigned"] + figures["short"] == 120
    assert figures["smallest_load"] <= 120 / 12 <= figures["largest_load"]
    assert figures["seconds"] >= 0
    assert not Submission.objects.exists()
