"""The issuing authorities come from settings: defaults, a province's file, the variable, and clear refusals."""

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from zhijiao.config.settings import ISSUING_AUTHORITIES_DEFAULT, issuing_authorities
from zhijiao.credentials.authorities import authority


def test_the_defaults_name_the_real_authorities() -> None:
    names = issuing_authorities()
    assert names["abroad.degree"]["zh"] == "教育部留学服务中心"
    assert names["abroad.returnee"]["zh"] == "教育部留学服务中心"
    assert names["records.qualification"]["zh"].startswith("教育部学生服务与素质发展中心")
    assert names["exams.cet6"]["zh"] == "教育部教育考试院"
    assert names["exams.putonghua"]["zh"] == "国家语言文字工作委员会"
    assert all(entry["en"] for entry in names.values())


def test_a_file_then_the_variable_override_the_defaults(tmp_path: Path) -> None:
    file = tmp_path / "authorities.json"
    file.write_text(
        json.dumps({"abroad.degree": {"zh": "某省留学服务中心", "en": "Provincial Center"}, "exams.cet4": "甲"}),
        encoding="utf-8",
    )
    names = issuing_authorities(json.dumps({"exams.cet4": {"zh": "乙"}}), str(file))
    assert names["abroad.degree"] == {"zh": "某省留学服务中心", "en": "Provincial Center"}
    assert names["exams.cet4"] == {"zh": "乙", "en": "乙"}  # a new Chinese name never keeps another body's English
    assert names["abroad.archive"] == ISSUING_AUTHORITIES_DEFAULT["abroad.archive"]


@pytest.mark.parametrize(
    "text",
    ['{"abroad.nonsense": "x"}', "not json", '["abroad.degree"]', '{"abroad.degree": {"zh": 3}}'],
)
def test_a_mistake_stops_the_start_with_a_message(text: str) -> None:
    with pytest.raises(ImproperlyConfigured):
        issuing_authorities(text)


def test_pages_read_the_name_in_their_language(settings: Any) -> None:
    settings.ISSUING_AUTHORITIES = issuing_authorities()
    with translation.override("en"):
        assert str(authority("exams.cet4")) == "National Education Examinations Authority, Ministry of Education"
    with translation.override("zh-hans"):
        assert str(authority("exams.cet4")) == "教育部教育考试院"
    assert authority("exams.cet4").name == "教育部教育考试院"
