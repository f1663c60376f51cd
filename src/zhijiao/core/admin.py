"""The audit log in the admin: searchable by platform admins, never editable by anyone.

Core knows no roles: the app that holds them says who besides superusers reads the log
(:func:`allow_audit_log_readers`, from its ``AppConfig.ready()``; orgs lets platform admins in).
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .actors import Actor, signed_in
from .audit import audit_action_label, audit_object_label
from .models import AuditLog, WorkerHeartbeat

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


class ReadOnlyAdmin(admin.ModelAdmin):
    """A staff list of records that only the platform writes (audit entries, answer files, search documents …):
    they can be read and searched, never added, changed or deleted here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ActionFilter(admin.SimpleListFilter):
    """The actions recorded so far, by name."""

    title = _("操作")
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        codes = AuditLog.objects.order_by("action").values_list("action", flat=True).distinct()
        return sorted(((code, audit_action_label(code)) for code in codes), key=lambda pair: pair[1])

    def queryset(self, request: HttpRequest, queryset: QuerySet[AuditLog]) -> QuerySet[AuditLog]:
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_label", "action_label", "result", "object_type_label", "object_id", "object_repr")
    list_filter = (ActionFilter, "result", ("at", admin.DateFieldListFilter))
    search_fields = ("action", "actor_label", "object_type", "=object_id", "object_repr")
    date_hierarchy = "at"
    readonly_fields = (
        "at",
        "actor",
        "actor_label",
        "action_label",
        "result",
        "object_type_label",
        "object_id",
        "object_repr",
        "ip_hash",
        "detail",
    )
    fields = readonly_fields
    list_per_page = 50
    show_full_result_count = False

    @admin.display(description=_("操作"), ordering="action")
    def action_label(self, entry: AuditLog) -> str:
        return audit_action_label(entry.action)

    @admin.display(description=_("对象类型"), ordering="object_type")
    def object_type_label(self, entry: AuditLog) -> str:
        return audit_object_label(entry.object_type) if entry.object_type else ""

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_view_audit_log(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return can_view_audit_log(request.user)


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    """The task workers on the roll and when each last answered (read only: the workers keep it)."""

    list_display = ("worker_id", "hostname", "pid", "started_at", "beat_at")
    ordering = ("-beat_at",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


from . import admin_language  # noqa: E402, F401 - Django's and the task queue's screens in the reader's language
