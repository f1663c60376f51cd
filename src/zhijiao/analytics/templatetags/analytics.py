"""``{% hot_list %}``: a "热门" list any page can show (the portal home uses it), read from the rollups."""

from typing import Any

from django import template

from ..selectors import HOT_PERIODS, hot_objects

register = template.Library()


@register.inclusion_tag("analytics/_hot.html")
def hot_list(platform: str = "", object_type: str = "", days: int = 7, limit: int = 10) -> dict[str, Any]:
    """The most viewed items of the last 7 (or 30) days, of one platform or type when given."""
    days = days if days in HOT_PERIODS else 7
    items = hot_objects(platform=platform or None, object_type=object_type or None, days=days, limit=limit)
    return {"hot_items": items, "hot_days": days}
