"""Staff screens for study-abroad applications. Status changes go through the same services as the officers'
queue (the state machine, the history, the notification and the audit log); nothing is edited by hand."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from zhijiao.core.actors import Origin
from zhijiao.core.errors import NotFound

from . import services, workflow
from .models import Application, Document, StatusChange


class DocumentInline(admin.TabularInline):
    model = Document
    extra = 0
    fields = ("kind_label", "stage", "original_name", "content_type", "size", "checked", "checked_by", "checked_at")
    readonly_fields = fields
    can_delete = False
    show_change_link = False

    @admin.display(description=_("材料类型"))
    def kind_label(self, document: Document) -> str:
        spec = workflow.spec_of(document.application.service).document(document.kind)
        return str(spec.label) if spec is not None else document.kind

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    fields = ("at", "actor_label", "action_label", "from_status", "to_status", "note")
    readonly_fields = fields
    can_delete = False

    @admin.display(description=_("操作"))
    def action_label(self, change: StatusChange) -> str:
        return change.action_label

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("number", "service", "applicant_name", "status", "submitted_at", "decided_at")
    list_filter = ("service", "status", "submitted_at")
    search_fields = ("applicant_name", "applicant__phone")
    date_hierarchy = "submitted_at"
    list_select_related = ()
    readonly_fields = (
        "service",
        "applicant",
        "applicant_name",
        "status",
        "stage",
        "data",
        "submitted_at",
        "decided_at",
        "decided_by",
        "decision_reason",
        "created_at",
        "updated_at",
    )
    inlines = (DocumentInline, StatusChangeInline)
    actions = ("receive", "approve")

    @admin.display(description=_("申请编号"), ordering="pk")
    def number(self, application: Application) -> str:
        return application.reference

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def _bulk(self, request: HttpRequest, queryset: QuerySet[Application], action: str) -> None:
        try:
            result = services.applications_bulk_decide(
                actor=request.user,
                application_ids=list(queryset.values_list("pk", flat=True)),
                action=action,
                origin=Origin.of(request),
            )
        except NotFound:
            self.message_user(request, _("只有服务大厅工作人员可以办理留学服务申请"), messages.ERROR)
            return
        if result.done:
            self.message_user(request, _("已处理 %(n)d 份申请") % {"n": len(result.done)})
        for application_id, why in result.failed:
            self.message_user(request, f"{Application(pk=application_id).reference}: {why}", messages.WARNING)

    @admin.action(description=_("受理所选申请"))
    def receive(self, request: HttpRequest, queryset: QuerySet[Application]) -> None:
        self._bulk(request, queryset, "receive")

    @admin.action(description=_("通过所选申请（认证、确认、存档或登记）"))
    def approve(self, request: HttpRequest, queryset: QuerySet[Application]) -> None:
        self._bulk(request, queryset, "approve")
