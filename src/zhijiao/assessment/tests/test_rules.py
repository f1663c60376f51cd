"""An assessment block's rules: what a teacher may set, and the dates they make in a run."""

import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from zhijiao.assessment.rules import Keep, ShowAnswers, parse_rules

SHANGHAI = ZoneInfo("Asia/Shanghai")
RUN = SimpleNamespace(
    starts_at=datetime(2026, 9, 7, 8, 0, tzinfo=SHANGHAI), ends_at=datetime(2027, 1, 15, 18, 0, tzinfo=SHANGHAI)
)


def pick() -> dict:
    return {"question": str(uuid.uuid4()), "version": 1}


def test_defaults_round_trip_through_storage() -> None:
    rules = parse_rules({"picks": [pick()]}, kind="quiz")
    assert rules.category == "quiz" and rules.attempts_allowed == 1 and rules.keep == Keep.BEST
    assert rules.show_answers == ShowAnswers.AFTER_SUBMIT and rules.closes_at(RUN) == RUN.ends_at
    assert parse_rules(rules.as_json(), kind="quiz") == rules


def test_dates_are_relative_to_the_run_and_late_work_loses_its_share_per_started_day() -> None:
    rules = parse_rules(
        {"picks": [pick()], "closes_after_days": 14, "close_time": "22:00", "late_days": 3, "late_penalty": "10"},
        kind="homework",
    )
    due = rules.closes_at(RUN)
    assert due == datetime(2026, 9, 21, 22, 0, tzinfo=SHANGHAI)
    assert rules.late_until(RUN) == due + timedelta(days=3)
    assert rules.late_factor(RUN, due) == Decimal("1")
    assert rules.late_factor(RUN, due + timedelta(minutes=1)) == Decimal("0.9")
    assert rules.late_factor(RUN, due + timedelta(days=1, minutes=1)) == Decimal("0.8")


@pytest.mark.parametrize(
    ("kind", "data", "field"),
    [
        ("quiz", {}, "picks"),
        ("quiz", {"picks": [{"question": "x", "version": 1}]}, "picks.0.question"),
        ("exam", {"picks": [pick()]}, "time_limit_minutes"),
        ("exam", {"picks": [pick()], "time_limit_minutes": 90, "late_days": 2}, "late_days"),
        ("quiz", {"picks": [pick()], "peer_review": {"reviewers": 3}}, "peer_review"),
        ("homework", {"picks": [pick()], "opens_after_days": 10, "closes_after_days": 3}, "closes_after_days"),
        ("homework", {"picks": [pick()], "late_penalty": "120"}, "late_penalty"),
        ("quiz", {"draws": [{"count": 0}]}, "draws.0.count"),
        ("quiz", {"picks": [pick()], "category": "期末"}, "category"),
    ],
)
def test_bad_rules_name_the_field(kind: str, data: dict, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_rules(data, kind=kind)
    assert field in caught.value.message_dict
