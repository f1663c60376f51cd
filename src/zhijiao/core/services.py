"""Writes of the shared kernel: the audit log."""

import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest

from .models import AuditLog


def client_ip(request: HttpRequest) -> str:
    forwarded = (
        request.META.get("HTTP_X_FORWARDED_FOR", "") if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) else ""
    )
    return (forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR", "")) or ""


def ip_hash(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    ip = client_ip(request)
    return hmac.new(settings.SECRET_KEY.encode(), ip.encode(), hashlib.sha256).hexdigest()[:16] if ip else ""


def audit_record(
    *,
    action: str,
    actor: Any = None,
    actor_label: str = "",
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    result: str = AuditLog.Result.SUCCESS,
    detail: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditLog:
    """Append one entry to the audit log; entries are never changed afterwards."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
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
        ip_hash=ip_hash(request),
        detail=detail or {},
    )
    entry.save()
    return entry
