"""The reason staff must give when they turn something down or take it back (a resource, a 云码)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_REASON_LENGTH = 300


def reason_given(reason: str) -> str:
    """The reason, trimmed; a ValidationError on ``reason`` when it is missing or longer than 300 characters."""
    text = (reason or "").strip()
    if not text:
        raise ValidationError({"reason": [_("请填写原因")]})
    if len(text) > MAX_REASON_LENGTH:
        raise ValidationError({"reason": [_("原因最多 300 个字符")]})
    return text
