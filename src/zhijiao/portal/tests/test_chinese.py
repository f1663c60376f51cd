"""Chinese pages show Chinese where Django itself supplies the words (its catalogue lags its new strings)."""

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_a_select_offers_its_blank_choice_in_chinese(client: Any, teacher: Any) -> None:
    client.force_login(teacher)
    page = client.get("/k12/classes/").content.decode()  # the school of a new class
    assert "- 请选择 -" in page
    assert "Select an option" not in page


def test_and_in_english_when_the_visitor_reads_english(client: Any, teacher: Any) -> None:
    client.force_login(teacher)
    client.cookies["zj_lang"] = "en"
    page = client.get("/k12/classes/").content.decode()  # the school of a new class
    assert "- Select an option -" in page
    assert "请选择 -" not in page
