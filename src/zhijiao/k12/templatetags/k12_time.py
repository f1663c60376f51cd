"""Learning time as people say it: 45 秒, 12 分钟, 1 小时 5 分钟 (with the exact seconds for a title attribute)."""

from typing import Any

from django import template
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def study_time(seconds: Any) -> str:
    """Seconds spent as a short phrase; under a minute in seconds, so a short clip watched is never "0 分钟"."""
    try:
        total = max(0, int(seconds or 0))
    except (TypeError, ValueError):
        total = 0
    if total < 60:
        return ngettext("%(n)d 秒", "%(n)d 秒", total) % {"n": total}
    minutes = round(total / 60)
    if minutes < 60:
        return ngettext("%(n)d 分钟", "%(n)d 分钟", minutes) % {"n": minutes}
    hours, rest = divmod(minutes, 60)
    text = ngettext("%(n)d 小时", "%(n)d 小时", hours) % {"n": hours}
    if rest:
        text += " " + ngettext("%(n)d 分钟", "%(n)d 分钟", rest) % {"n": rest}
    return text
