"""The audit log in the admin: searchable by platform admins, never editable by anyone.

Core knows no roles: the app that holds them says who besides superusers reads the log
(:func:`allow_audit_log_readers`, from its ``AppConfig.ready()``; orgs lets platform admins in).
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.http import HttpRequest

from .actors import Actor, signed_in
from .models import AuditLog

if TYPE_CHECKING:  # the kernel names the user type for the type checker only; it imports no domain app
    from zhijiao.accounts.models import User

_audit_log_readers: list[Callable[["User"], bool]] = []


def allow_audit_log_readers(check: Callable[["User"], bool]) -> None:
    """Let staff members for whom ``check`` holds read the audit log too (superusers always do)."""
    if check not in _audit_log_readers:
        _audit_log_readers.append(check)


def can_view_audit_log(user: Actor) -> bool:
    """Superusers and platform admins read the audit log; nobody else does, whatever their permissions."""
    if not signed_in(user) or not user.is_staff:
        return False
    if user.is_superuser:
        return True
    return any(check(user) for check in _audit_log_readers)


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_label", "action", "result", "object_type", "object_id", "object_repr")
    list_filter = ("action", "result", ("at", admin.DateFieldListFilter))
    search_fields = ("action", "actor_label", "object_type", "=object_id", "object_repr")
    date_hierarchy = "at"
    readonly_fields = (
        "at",
        "actor",
        "actor_label",
        "action",
        "result",
        "object_type",
        "object_id",
        "object_repr",
        "ip_hash",
        "detail",
    )
    fields = readonly_fields
    list_per_page = 50
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_view_audit_log(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return can_view_audit_log(request.user)
