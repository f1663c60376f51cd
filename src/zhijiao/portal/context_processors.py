from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .desks import desks_of
from .platforms import nav_links


def site(request: HttpRequest) -> dict[str, Any]:
    """The site's name and main navigation, with the section the visitor is in."""
    match = getattr(request, "resolver_match", None)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "NAV_LINKS": nav_links(),
        "NAV_ACTIVE": match.namespace if match is not None else "",
    }


def desks(request: HttpRequest) -> dict[str, Any]:
    """The desks the signed-in person may open (``DESKS``) and their keys (``DESK_KEYS``), worked out only when a
    template looks (a visitor's page never does)."""
    listed = SimpleLazyObject(lambda: desks_of(getattr(request, "user", None)))
    return {"DESKS": listed, "DESK_KEYS": SimpleLazyObject(lambda: {desk.key for desk in listed})}
