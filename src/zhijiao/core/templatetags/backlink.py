"""``{% previous_page as back %}``: the page a visitor came from on this site, for a "back" link without script.

The strict CSP rules out ``history.back()`` in a link; the ``Referer`` (sent for same-origin navigation under our
``same-origin`` referrer policy) says the same, and only an address on this site is offered.
"""

from django import template
from django.core.exceptions import DisallowedHost
from django.utils.http import url_has_allowed_host_and_scheme

register = template.Library()


@register.simple_tag(takes_context=True)
def previous_page(context: template.Context) -> str:
    """The previous page's address when it is on this site and not the current page; else empty."""
    request = context.get("request")
    if request is None:  # 500 pages are drawn without a request
        return ""
    back = request.headers.get("Referer", "")
    try:
        host = request.get_host()
    except DisallowedHost:  # the 400 page for a request to a host we do not serve
        return ""
    if not back or not url_has_allowed_host_and_scheme(back, allowed_hosts={host}, require_https=request.is_secure()):
        return ""
    if back == request.build_absolute_uri() or back == request.get_full_path():
        return ""
    return back
