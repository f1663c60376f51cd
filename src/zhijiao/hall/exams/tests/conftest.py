"""Exam-service fixtures: a clean cache (rate limits, captcha memory) and fresh sitting cache per test."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from zhijiao.hall.exams import selectors
from zhijiao.hall.exams.models import ExamSitting, ExamType, ScoreRecord

from .factories import id_number, make_score, make_sitting

CHEN_ID = id_number(13, birth="20030412")


@pytest.fixture(autouse=True)
def hall_settings(settings: Any, tmp_path: Any) -> Iterator[None]:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.HALL_CAPTCHA_MAX_COUNTER = 300
    settings.HALL_CAPTCHA_COST = 1
    cache.clear()
    selectors.sittings_clear_cache()
    yield
    cache.clear()
    selectors.sittings_clear_cache()


@pytest.fixture
def sitting(db: None) -> ExamSitting:
    return make_sitting(ExamType.CET4, session="2026年6月")


@pytest.fixture
def score(sitting: ExamSitting) -> ScoreRecord:
    return make_score(sitting, ticket="110120261000013", name="陈思远", number=CHEN_ID, total=568)
