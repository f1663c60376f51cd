"""The grading rules of each question type: tables of cases, and seeded random sweeps of properties that must
hold for every answer (a score is between 0 and the points; the key earns full marks; …)."""

import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ..question_types import Scoring, get_type, normalise_text, question_types

P = Decimal("4.00")
OPTIONS = ["甲", "乙", "丙", "丁", "戊"]


def test_every_type_is_registered() -> None:
    assert [t.name for t in question_types()] == ["single", "multiple", "truefalse", "fill", "short", "essay", "file"]


@pytest.mark.parametrize(
    ("scoring", "chosen", "score"),
    [
        (Scoring.ALL, [0, 1, 2], "4.00"),
        (Scoring.ALL, [0, 1], "0.00"),
        (Scoring.ALL, [0, 1, 2, 3], "0.00"),
        (Scoring.SHARE, [0, 1, 2], "4.00"),
        (Scoring.SHARE, [0, 1], "2.67"),
        (Scoring.SHARE, [0], "1.33"),
        (Scoring.SHARE, [0, 1, 3], "0.00"),
        (Scoring.SHARE, [], "0.00"),
        (Scoring.NET, [0, 1, 3], "1.33"),
        (Scoring.NET, [0, 3], "0.00"),
        (Scoring.NET, [0, 3, 4], "0.00"),
        (Scoring.NET, [0, 1, 2, 3], "2.67"),
    ],
)
def test_multiple_choice_partial_credit(scoring: str, chosen: list[int], score: str) -> None:
    kind = get_type("multiple")
    assert kind is not None
    data = kind.clean({"options": OPTIONS, "answer": [2, 1, 0], "scoring": scoring})
    assert kind.grade(data, chosen, points=P) == Decimal(score)


def test_multiple_choice_properties_hold_for_random_answers() -> None:
    kind = get_type("multiple")
    assert kind is not None
    rng = random.Random(14)
    for _ in range(500):
        count = rng.randint(2, 10)
        key = sorted(rng.sample(range(count), rng.randint(2, count)))
        points = Decimal(rng.randint(1, 2000)) / 100
        chosen = sorted(rng.sample(range(count), rng.randint(0, count)))
        scores = {}
        for scoring in (Scoring.ALL, Scoring.SHARE, Scoring.NET):
            data = kind.clean({"options": [f"选项{i}" for i in range(count)], "answer": key, "scoring": scoring})
            score = kind.grade(data, chosen, points=points)
            assert score is not None and Decimal("0") <= score <= points
            assert kind.grade(data, key, points=points) == points
            scores[scoring] = score
        # All-or-nothing never gives more than a share; a share never less than right-minus-wrong.
        assert scores[Scoring.ALL] <= scores[Scoring.NET] <= scores[Scoring.SHARE] or set(chosen) - set(key)
        if set(chosen) - set(key):
            assert scores[Scoring.SHARE] == 0 and scores[Scoring.NET] <= points
        if not set(chosen) - set(key):
            assert scores[Scoring.SHARE] == scores[Scoring.NET]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (["北京", "上海"], "4.00"),
        (["上海", "北京"], "0.00"),
        (["ＢＥＩＪＩＮＧ", " shanghai "], "4.00"),
        (["北京"], "2.00"),
    ],
)
def test_fill_in_blanks_in_order_normalises_width_and_case(given: list[str], expected: str) -> None:
    kind = get_type("fill")
    assert kind is not None
    data = kind.clean({"blanks": [["北京", "Beijing"], ["上海", "Shanghai"]]})
    assert kind.grade(data, given, points=P) == Decimal(expected)


def test_fill_in_blanks_any_order_uses_each_answer_once() -> None:
    kind = get_type("fill")
    assert kind is not None
    data = kind.clean({"blanks": [["入栈", "push"], ["出栈", "pop"]], "any_order": True})
    assert kind.grade(data, ["POP", "push"], points=P) == P
    assert kind.grade(data, ["push", "push"], points=P) == Decimal("2.00")
    # Blank 1 takes a or b, blank 2 only a: "b, a" is fully right only when matched the best way.
    tricky = kind.clean({"blanks": [["a", "b"], ["a"]], "any_order": True})
    assert kind.grade(tricky, ["a", "b"], points=P) == P


def test_fill_in_blanks_properties_hold_for_random_answers() -> None:
    kind = get_type("fill")
    assert kind is not None
    rng = random.Random(9)
    words = ["甲", "乙", "丙", "丁", "Ａ", "a", "b "]
    for _ in range(300):
        blanks = [rng.sample(words, rng.randint(1, 3)) for _ in range(rng.randint(1, 5))]
        any_order = rng.random() < 0.5
        data = kind.clean({"blanks": blanks, "any_order": any_order})
        given = [rng.choice([*words, ""]) for _ in blanks]
        score = kind.grade(data, given, points=P)
        assert score is not None and 0 <= score <= P
        assert kind.grade(data, [blank[0] for blank in blanks], points=P) == P
        if any_order:
            assert kind.grade(data, list(reversed(given)), points=P) == score


def test_normalise_text_folds_full_width_and_case() -> None:
    assert normalise_text("  ＨＥＬＬＯ\u3000World１２３ ") == "hello world123"


@pytest.mark.parametrize(("response", "score"), [(True, "4.00"), ("对", "4.00"), ("错", "0.00"), (False, "0.00")])
def test_true_false(response: object, score: str) -> None:
    kind = get_type("truefalse")
    assert kind is not None
    assert kind.grade({"answer": True}, response, points=P) == Decimal(score)


def test_single_choice_and_bad_responses() -> None:
    kind = get_type("single")
    assert kind is not None
    data = kind.clean({"options": OPTIONS, "answer": 2})
    assert kind.grade(data, 2, points=P) == P
    assert kind.grade(data, 1, points=P) == 0
    with pytest.raises(ValidationError):
        kind.grade(data, 9, points=P)
    with pytest.raises(ValidationError):
        kind.grade(data, True, points=P)


@pytest.mark.parametrize("name", ["short", "essay", "file"])
def test_people_grade_open_questions(name: str) -> None:
    kind = get_type(name)
    assert kind is not None and kind.manual
    data = kind.clean({"rubric": [{"criterion": "要点", "points": "4"}]})
    assert kind.grade(data, "答案", points=P) is None
    assert kind.max_points(data) == P


@pytest.mark.parametrize(
    ("name", "data", "field"),
    [
        ("single", {"options": ["甲"], "answer": 0}, "options"),
        ("single", {"options": ["甲", "甲"], "answer": 0}, "options"),
        ("single", {"options": ["甲", "乙"], "answer": 5}, "answer"),
        ("multiple", {"options": ["甲", "乙", "丙"], "answer": [0]}, "answer"),
        ("multiple", {"options": ["甲", "乙", "丙"], "answer": [0, 1], "scoring": "half"}, "scoring"),
        ("truefalse", {"answer": "对"}, "answer"),
        ("fill", {"blanks": []}, "blanks"),
        ("fill", {"blanks": [[]]}, "blanks"),
        ("short", {"rubric": [{"criterion": "", "points": "1"}]}, "rubric"),
        ("essay", {"grading": "robot"}, "grading"),
        ("file", {"formats": ["exe"]}, "formats"),
    ],
)
def test_wrong_data_names_the_field(name: str, data: dict, field: str) -> None:
    kind = get_type(name)
    assert kind is not None
    with pytest.raises(ValidationError) as caught:
        kind.clean(data)
    assert field in caught.value.message_dict


@pytest.mark.parametrize(
    ("name", "flat", "data"),
    [
        ("single", {"options": "甲\n乙\n丙", "answer": "ｂ"}, {"options": ["甲", "乙", "丙"], "answer": 1}),
        ("multiple", {"options": ["甲", "乙", "丙"], "answer": "A,C", "scoring": "net"}, {"answer": [0, 2]}),
        ("truefalse", {"answer": "×"}, {"answer": False}),
        ("fill", {"answer": "北京|Beijing；上海", "any_order": "是"}, {"blanks": [["北京", "Beijing"], ["上海"]]}),
        ("short", {"answer": "参考", "rubric": "要点一|2\n要点二：3分"}, {"reference": "参考"}),
    ],
)
def test_flat_fields_parse_and_round_trip(name: str, flat: dict, data: dict) -> None:
    kind = get_type(name)
    assert kind is not None
    parsed = kind.from_flat(flat)
    for key, value in data.items():
        assert parsed[key] == value
    assert kind.from_flat(kind.to_flat(parsed)) == parsed
