"""Chinese pages show Chinese where Django itself supplies the words (its catalogue lags its new strings)."""

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_a_select_offers_its_blank_choice_in_chinese(client: Any, student: Any) -> None:
    client.force_login(student)
    page = client.get("/employment/me/").content.decode()
    assert "- 请选择 -" in page
    assert "Select an option" not in page


def test_and_in_english_when_the_visitor_reads_english(client: Any, student: Any) -> None:
    client.force_login(student)
    client.cookies["zj_lang"] = "en"
    page = client.get("/employment/me/").content.decode()
    assert "- Select an option -" in page
    assert "请选择 -" not in page
