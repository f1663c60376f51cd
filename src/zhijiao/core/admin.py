"""The audit log in the admin: searchable by platform admins, never editable by anyone."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import AuditLog


def can_view_audit_log(user: Any) -> bool:
    """Superusers and platform admins read the audit log; nobody else does, whatever their permissions."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.is_staff:
        return False
    if user.is_superuser:
        return True
    from zhijiao.orgs.selectors import has_role  # the role lives in orgs; core itself knows no domains

    return has_role(user, "platform_admin")


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
