"""``{% load places %}{{ location.region|place }}``: a region as people write it ("北京市海淀区")."""

from django import template

from ..models import Region
from ..selectors import region_display_name

register = template.Library()


@register.filter
def place(region: Region | str | None) -> str:
    """A region's full name without the 市辖区/县 placeholders; empty when there is none."""
    return region_display_name(region) if isinstance(region, Region) else ""
