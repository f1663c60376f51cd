"""What the kinds of messages are called: each app names the kinds it sends next to the code that sends them
(``NOTIFICATION_KINDS = notification_kinds({...})``), and the staff screens show the name, not the code."""

from collections.abc import Mapping

from django.utils.functional import Promise

_labels: dict[str, Promise | str] = {}


def notification_kinds(labels: Mapping[str, Promise | str]) -> Mapping[str, Promise | str]:
    """Name the kinds of message an app sends (lazy translations: read in the reader's language)."""
    _labels.update(labels)
    return labels


def kind_label(kind: str) -> str:
    """The kind in words in the active language; a kind nobody named shows its code."""
    label = _labels.get(kind)
    return str(label) if label is not None else kind
