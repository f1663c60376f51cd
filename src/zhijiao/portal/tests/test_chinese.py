"""Chinese pages show Chinese where Django itself supplies the words (its catalogue lags its new strings)."""

import re
from pathlib import Path
from typing import Any

import django
import pytest
from django.utils import translation


@pytest.mark.django_db
def test_a_select_offers_its_blank_choice_in_chinese(client: Any, teacher: Any) -> None:
    client.force_login(teacher)
    page = client.get("/k12/classes/").content.decode()  # the school of a new class
    assert "- 请选择 -" in page
    assert "Select an option" not in page


@pytest.mark.django_db
def test_and_in_english_when_the_visitor_reads_english(client: Any, teacher: Any) -> None:
    client.force_login(teacher)
    client.cookies["zj_lang"] = "en"
    page = client.get("/k12/classes/").content.decode()  # the school of a new class
    assert "- Select an option -" in page
    assert "请选择 -" not in page


def _string(lines: str) -> str:
    body = "".join(re.findall(r'"(.*)"', lines))
    return re.sub(r'\\(["\\nt])', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)


def _msgids(po: Path) -> set[str]:
    """The catalogue keys of one of Django's catalogues (its English one lists every string Django marks)."""
    found = set()
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        context = re.search(r'^msgctxt ((?:".*"\n?)+)', block, re.M)
        if msgid:
            key = _string(msgid.group(1))
            found.add(f"{_string(context.group(1))}\x04{key}" if context else key)
    return found - {""}


@pytest.mark.parametrize("app", ["", "contrib/admin", "contrib/auth", "contrib/contenttypes", "contrib/humanize"])
def test_every_string_of_django_has_a_chinese_translation(app: str) -> None:
    """Django's zh_Hans catalogue lags its new strings; the project's catalogue fills the gaps it shows."""
    folder = Path(django.__file__).parent / (app or "conf")
    catalog = translation.trans_real.translation("zh-hans")._catalog  # type: ignore[attr-defined]
    missing = [
        msgid
        for msgid in sorted(_msgids(folder / "locale" / "en" / "LC_MESSAGES" / "django.po"))
        if not (catalog.get(msgid) or catalog.get((msgid, 0)))
    ]
    assert missing == []
