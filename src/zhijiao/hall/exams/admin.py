"""Staff screens for the exam services; publishing and release times go through the services (audited)."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from zhijiao.core.actors import Origin

from . import selectors, services
from .models import ExamNotice, ExamSitting, NoticeAttachment, ScoreImport, ScoreRecord, SpecialCandidate, SpecialList


class OfficerAdmin(admin.ModelAdmin):
    """Visible to service-hall officers (who are also staff) and platform admins."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return selectors.is_hall_officer(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return selectors.is_hall_officer(request.user) or super().has_view_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return selectors.is_hall_officer(request.user) or super().has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return selectors.is_hall_officer(request.user) or super().has_add_permission(request)


class AttachmentInline(admin.TabularInline):
    model = NoticeAttachment
    extra = 0
    fields = ("name", "mime_type", "size_bytes", "created_at")
    readonly_fields = fields
    can_delete = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # uploads go through the officers' desk, where files are checked by content


@admin.register(ExamNotice)
class ExamNoticeAdmin(OfficerAdmin):
    list_display = ("title", "kind", "province", "year", "status", "published_at")
    list_filter = ("status", "kind", "year", "province")
    search_fields = ("title",)
    readonly_fields = ("status", "published_at", "author")
    inlines = (AttachmentInline,)
    actions = ("publish", "withdraw")

    def save_model(self, request: HttpRequest, obj: ExamNotice, form: Any, change: bool) -> None:
        if not change:
            obj.author = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)

    @admin.action(description=_("发布"))
    def publish(self, request: HttpRequest, queryset: QuerySet[ExamNotice]) -> None:
        for notice in queryset:
            services.notice_publish(actor=request.user, notice=notice, origin=Origin.of(request))
        self.message_user(request, _("已发布"), messages.SUCCESS)

    @admin.action(description=_("撤回为草稿"))
    def withdraw(self, request: HttpRequest, queryset: QuerySet[ExamNotice]) -> None:
        for notice in queryset:
            services.notice_withdraw(actor=request.user, notice=notice, origin=Origin.of(request))
        self.message_user(request, _("已撤回"), messages.SUCCESS)


class CandidateInline(admin.TabularInline):
    model = SpecialCandidate
    extra = 0
    fields = ("line", "name", "gender", "id_number_masked", "school", "province", "university", "major")
    readonly_fields = fields
    can_delete = False
    max_num = 0
    show_change_link = False


@admin.register(SpecialList)
class SpecialListAdmin(OfficerAdmin):
    list_display = ("title", "program", "year", "notice_start", "notice_end", "is_published")
    list_filter = ("program", "year", "is_published")
    search_fields = ("title",)
    readonly_fields = ("created_by",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # lists are imported on the officers' desk (every row checked)


@admin.register(ExamSitting)
class ExamSittingAdmin(OfficerAdmin):
    list_display = ("__str__", "exam_type", "session", "held_on", "release_at")
    list_filter = ("exam_type",)
    readonly_fields = ("created_by",)

    def save_model(self, request: HttpRequest, obj: ExamSitting, form: Any, change: bool) -> None:
        if change and "release_at" in form.changed_data:
            new = obj.release_at
            obj.release_at = form.initial["release_at"]
            services.sitting_set_release(actor=request.user, sitting=obj, release_at=new, origin=Origin.of(request))
            return
        obj.created_by = obj.created_by or request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)
        selectors.sittings_clear_cache()


@admin.register(ScoreImport)
class ScoreImportAdmin(OfficerAdmin):
    list_display = ("sitting", "filename", "row_count", "seconds", "created_by", "created_at")
    readonly_fields = ("sitting", "filename", "row_count", "seconds", "created_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ScoreRecord)
class ScoreRecordAdmin(OfficerAdmin):
    list_display = ("ticket_number", "name", "id_number_masked", "sitting", "total", "grade", "passed")
    list_filter = ("sitting",)
    search_fields = ("=ticket_number",)
    show_full_result_count = False
    list_select_related = ("sitting",)
    readonly_fields = ("sitting", "ticket_number", "id_number_masked")
    exclude = ("id_number",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
