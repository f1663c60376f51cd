"""What people write in the forum, made safe to store and show (nh3), and read back as plain text (mentions,
search, notifications)."""

import re

import nh3
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import BODY_MAX, TITLE_MAX

# Posts keep paragraphs, emphasis, code, lists, quotes and web links; no images, tables, headings, scripts, event
# handlers, styles or javascript: URLs (nh3 is a maintained binding of the Rust sanitiser ammonia, as in
# courses.blocks).
POST_TAGS = {"p", "br", "strong", "b", "em", "i", "code", "pre", "ul", "ol", "li", "blockquote", "a"}
POST_SCHEMES = {"http", "https", "mailto"}
_SPACES = re.compile(r"\s+")


def sanitise_post(html: str) -> str:
    """A post as it may be stored and shown."""
    return nh3.clean(html, tags=POST_TAGS, url_schemes=POST_SCHEMES, link_rel="noopener noreferrer nofollow")


def plain_text(html: str) -> str:
    """A stored post's text without markup (entities decoded), spaces collapsed."""
    from html import unescape

    return _SPACES.sub(" ", unescape(nh3.clean(html, tags=set()))).strip()


def clean_title(value: object) -> str:
    title = value.strip() if isinstance(value, str) else ""
    if not title:
        raise ValidationError({"title": [_("请填写标题")]})
    if len(title) > TITLE_MAX:
        raise ValidationError({"title": [_("标题不能超过 %(n)d 个字") % {"n": TITLE_MAX}]})
    return title


def clean_body(value: object, *, field: str = "body") -> str:
    """The sanitised body of a post; a field error when it is empty (or nothing but markup) or too long."""
    raw = value.strip() if isinstance(value, str) else ""
    if len(raw) > BODY_MAX:
        raise ValidationError({field: [_("内容不能超过 %(n)d 个字") % {"n": BODY_MAX}]})
    body = sanitise_post(raw)
    if not plain_text(body):
        raise ValidationError({field: [_("请填写内容")]})
    return body


def clean_reason(value: object) -> str:
    from .models import REASON_MAX

    reason = value.strip() if isinstance(value, str) else ""
    if not reason:
        raise ValidationError({"reason": [_("请填写原因")]})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": [_("原因不能超过 %(n)d 个字") % {"n": REASON_MAX}]})
    return reason


_MENTION = re.compile(r"@([^\s@,，。.!！?？:：;；、()（）\[\]【】<>《》\"'“”‘’]{1,30})")


def mention_candidates(text: str) -> set[str]:
    """Every name an ``@`` may stand for: what follows each ``@`` up to a space or punctuation, and each of its
    prefixes (Chinese runs on without spaces: “@王老师请问” names 王老师)."""
    names: set[str] = set()
    for match in _MENTION.finditer(text):
        word = match.group(1)
        names.update(word[:end] for end in range(1, len(word) + 1))
    return names
