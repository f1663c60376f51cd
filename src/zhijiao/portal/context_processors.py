from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .platforms import nav_links


def site(request: HttpRequest) -> dict[str, Any]:
    """The site's name and main navigation, with the section the visitor is in."""
    match = getattr(request, "resolver_match", None)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "NAV_LINKS": nav_links(),
        "NAV_ACTIVE": match.namespace if match is not None else "",
    }
