"""Writes of the shared kernel: the audit log."""

from typing import Any

from django.db import models

from .actors import Actor, Origin
from .models import AuditLog


def audit_record(
    *,
    action: str,
    actor: Actor | None = None,
    actor_label: str = "",
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    result: str = AuditLog.Result.SUCCESS,
    detail: dict[str, Any] | None = None,
    origin: Origin | None = None,
) -> AuditLog:
    """Append one entry to the audit log; entries are never changed afterwards.

    ``origin`` says where the action came from (``Origin.of(request)`` in a view; none for commands and tasks).
    """
    if actor is not None and not actor.is_authenticated:
        actor = None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)
    entry = AuditLog(
        actor=actor,
        actor_label=actor_label or (str(actor) if actor is not None else ""),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        result=result,
        ip_hash=origin.ip_hash if origin is not None else "",
        detail=detail or {},
    )
    entry.save()
    return entry
