"""Numbers and dates as people read them in each language: 3,161.1 万 / 31.6 million, 2026年12月4日 / 4 Dec 2026."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation


def render(source: str, language: str, **context: object) -> str:
    with translation.override(language):
        return Template("{% load figures %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("value", "chinese", "english"),
    [
        (31610752, "3,161.1 万", "31.6 million"),
        (316107520, "3.2 亿", "316.1 million"),
        (3161075200, "31.6 亿", "3.2 billion"),
        (20000, "2 万", "20,000"),
        (99999999, "1 亿", "100 million"),  # rounds up into the next unit rather than "10,000 万"
        (-52000, "-5.2 万", "-52,000"),
    ],
)
def test_large_counts_read_in_wan_and_yi_or_millions_with_the_exact_figure_on_hover(
    value: int, chinese: str, english: str
) -> None:
    exact = f"{value:,}"
    zh = render("{{ n|figure }}", "zh-hans", n=value)
    en = render("{{ n|figure }}", "en", n=value)
    assert f">{chinese}</data>" in zh and f'value="{value}"' in zh and f'title="{exact}"' in zh
    if english == exact:
        assert en == exact
    else:
        assert en == f'<data value="{value}" title="{exact}">{english}</data>'


def test_small_counts_and_non_numbers_are_shown_as_they_are() -> None:
    assert render("{{ n|figure }}", "zh-hans", n=9999) == "9,999"
    assert render("{{ n|figure }}", "zh-hans", n=0) == "0"
    assert render("{{ n|figure }}|{{ none|figure }}|{{ text|figure }}", "zh-hans", text="—") == "||—"


def test_dates_read_as_people_write_them_in_each_language() -> None:
    day = date(2026, 12, 4)
    moment = datetime(2026, 12, 4, 6, 30, tzinfo=ZoneInfo("UTC"))  # 14:30 in Beijing
    assert render("{{ d|day }} / {{ t|moment }}", "zh-hans", d=day, t=moment) == "2026年12月4日 / 2026年12月4日 14:30"
    assert render("{{ d|day }} / {{ t|moment }}", "en", d=day, t=moment) == "4 Dec 2026 / 4 Dec 2026, 14:30"
    assert render("{{ d|date }}", "en", d=day) == "4 Dec 2026"  # Django's date filter follows the same formats


def test_a_month_of_study_or_work_reads_as_people_write_it() -> None:
    start, end = date(2022, 9, 1), date(2026, 6, 30)
    assert render("{{ a|month }}–{{ b|month }}", "zh-hans", a=start, b=end) == "2022年9月–2026年6月"
    assert render("{{ a|month }}–{{ b|month }}", "en", a=start, b=end) == "Sep 2022–Jun 2026"
    assert render("{{ none|month }}", "en") == ""


def test_no_template_writes_a_date_in_a_fixed_pattern() -> None:
    """What people read goes through |day, |moment or |month; a fixed pattern only in machine-readable attributes
    (``<time datetime="{{ d|date:'c' }}">``), written with single quotes."""
    import re
    from pathlib import Path

    package = Path(__file__).resolve().parents[2]
    shown = re.compile(r"""(?<!datetime=")\{\{[^{}]*\|date:|\|date:"|with \w+=[^%]*\|date:""")
    fixed = [
        f"{path.relative_to(package)}:{number}"
        for path in package.rglob("*.html")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if shown.search(line)
    ]
    assert fixed == []
