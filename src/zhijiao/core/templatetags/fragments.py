"""``{% fixed "name" a b %}…{% endfixed %}``: markup drawn once per process, language and the listed values.

Every page repeats the same frame: the brand, the search box, the platform navigation, the footer. They depend on
the code, the settings, the language and at most a value or two (the section a page is in), never on the person or
the database, yet Django draws them again on every request — about a millisecond of a signed-in page. A ``fixed``
block is drawn the first time its key is met and its HTML is reused after that; the key is the block's name, the
active language, the script prefix and the resolved values listed after the name.

What goes inside must not depend on anything else: no ``user``, no ``request`` beyond the listed values, no
database reads, and no ``{% csrf_token %}`` (refused when the template is compiled). The store is per process and
small (it is emptied when it grows past ``LIMIT`` keys, or when a setting changes, as tests do); with ``DEBUG`` on it
is bypassed, so edited templates show at once.
"""

from typing import Any

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.template.defaulttags import CsrfTokenNode
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

LIMIT = 512
_drawn: dict[tuple[Any, ...], SafeString] = {}


def _forget(**_kwargs: Any) -> None:
    _drawn.clear()


setting_changed.connect(_forget)


class FixedNode(template.Node):
    def __init__(self, name: str, values: list[template.base.FilterExpression], nodelist: template.NodeList):
        self.name = name
        self.values = values
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        if settings.DEBUG:
            return str(self.nodelist.render(context))
        key = (self.name, get_language(), get_script_prefix(), *(value.resolve(context) for value in self.values))
        drawn = _drawn.get(key)
        if drawn is None:
            if len(_drawn) >= LIMIT:
                _drawn.clear()
            drawn = _drawn[key] = mark_safe(self.nodelist.render(context))  # noqa: S308 -- rendered by the template engine
        return drawn


@register.tag("fixed")
def fixed(parser: template.base.Parser, token: template.base.Token) -> FixedNode:
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError("{% fixed %} takes a quoted name, then the values its markup varies with")
    nodelist = parser.parse(("endfixed",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(CsrfTokenNode):
        raise template.TemplateSyntaxError("{% fixed %} cannot hold a {% csrf_token %}: it is per person")
    return FixedNode(bits[1][1:-1], [parser.compile_filter(bit) for bit in bits[2:]], nodelist)
