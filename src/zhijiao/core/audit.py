"""What the codes in the audit log mean, in words: each app names the actions it records next to the code that
records them (``AUDIT_ACTIONS = audit_actions({...})``), and the staff screens show the name, not the code."""

from collections.abc import Mapping

from django.apps import apps
from django.utils.functional import Promise

_labels: dict[str, Promise | str] = {}


def audit_actions(labels: Mapping[str, Promise | str]) -> Mapping[str, Promise | str]:
    """Name the audit-log actions an app records (lazy translations: read in the reader's language)."""
    _labels.update(labels)
    return labels


def audit_action_label(code: str) -> str:
    """The action in words in the active language; an action nobody named shows its code."""
    label = _labels.get(code)
    return str(label) if label is not None else code


def audit_object_label(object_type: str) -> str:
    """ "k12.schoolclass" as people call that kind of thing ("班级"); a type no longer known shows as stored."""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type
