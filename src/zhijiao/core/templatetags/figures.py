"""Numbers, dates and places as people write them in the visitor's language.

- ``{{ n|figure }}``: a large count the way a reader takes it in at a glance: 3,161.1 万 and 3.2 亿 in Chinese,
  31.6 million and 3.2 billion in English, wrapped in ``<data value="31610752" title="31,610,752">`` so the exact
  figure is one hover away and machine-readable. Tables keep the exact figure (``intcomma``).
- ``{{ when|day }}``: a date as people write it: 2026年12月4日 in Chinese, 4 Dec 2026 in English (the ``DATE_FORMAT``
  of ``zhijiao/formats/<language>/``); ``{{ when|moment }}`` adds the time of day.
"""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

register = template.Library()

# (threshold, unit) from the largest down; a figure below the smallest threshold is shown exactly.
_CHINESE_UNITS = ((10**8, "亿"), (10**4, "万"))
_ENGLISH_UNITS = ((10**9, "billion"), (10**6, "million"))


def _exact(value: int) -> str:
    return f"{value:,}"


def short_figure(value: int, language: str | None = None) -> str:
    """``value`` rounded to one decimal of the largest unit people use for it (万/亿, million/billion)."""
    language = language or get_language() or "zh-hans"
    units = _CHINESE_UNITS if language.startswith("zh") else _ENGLISH_UNITS
    magnitude = abs(value)
    for index, (threshold, unit) in enumerate(units):
        if magnitude < threshold:
            continue
        scaled = (Decimal(magnitude) / threshold).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        # 99,995,000 is 9,999.5 万 but 99,999,999 rounds to 10,000.0 万: say 1 亿 then.
        if index > 0 and scaled * threshold >= units[index - 1][0]:
            threshold, unit = units[index - 1]
            scaled = (Decimal(magnitude) / threshold).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        number = f"{scaled:,.1f}".removesuffix(".0")
        sign = "-" if value < 0 else ""
        return f"{sign}{number} {unit}"
    return _exact(value)


@register.filter(is_safe=True)
def figure(value: Any) -> SafeString | str:
    """A count for reading (万/亿, million/billion) with the exact figure on hover; smaller counts as they are."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return "" if value is None else str(value)
    shown = short_figure(number)
    exact = _exact(number)
    if shown == exact:  # below 万 (English: a million) the figure is already exact
        return exact
    return format_html('<data value="{}" title="{}">{}</data>', number, exact, shown)


@register.filter(expects_localtime=True)
def day(value: date | datetime | None) -> str:
    """A date as people write it in the visitor's language (2026年12月4日 / 4 Dec 2026)."""
    return date_filter(value, "DATE_FORMAT") if value else ""


@register.filter(expects_localtime=True)
def month(value: date | datetime | None) -> str:
    """A month as people write it in the visitor's language (2026年12月 / Dec 2026): periods of study and work."""
    return date_filter(value, "YEAR_MONTH_FORMAT") if value else ""


@register.filter(expects_localtime=True)
def moment(value: datetime | None) -> str:
    """A date and time of day as people write them (2026年12月4日 14:30 / 4 Dec 2026, 14:30)."""
    return date_filter(value, "DATETIME_FORMAT") if value else ""
