"""Staff screens of the K-12 platform. Review and code changes go through the services (and the audit log)."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from zhijiao.core.errors import DomainError

from . import services
from .models import (
    Book,
    Code,
    CodeBatch,
    CodeTarget,
    Collection,
    CollectionItem,
    Edition,
    KnowledgePoint,
    Lesson,
    Resource,
    ResourceImage,
    SchoolClass,
    Subject,
    Unit,
)


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ("name", "stage", "position")
    list_filter = ("stage",)


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ("name", "publisher", "position")


@admin.register(Book)
class BookAdmin(admin.ModelAdmin):
    list_display = ("__str__", "subject", "edition", "grade", "volume")
    list_filter = ("edition", "subject__stage", "grade")
    list_select_related = ("subject", "edition")
    search_fields = ("subject__name", "edition__name")


class LessonInline(admin.TabularInline):
    model = Lesson
    extra = 0


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("title", "book", "position")
    list_select_related = ("book__subject", "book__edition")
    search_fields = ("title",)
    raw_id_fields = ("book",)
    inlines = [LessonInline]


class PointInline(admin.TabularInline):
    model = KnowledgePoint
    extra = 0


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    list_display = ("title", "unit", "position")
    search_fields = ("title",)
    raw_id_fields = ("unit",)
    inlines = [PointInline]


class ImageInline(admin.TabularInline):
    model = ResourceImage
    extra = 0


def _run(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Any], action: Any, **kw: Any) -> None:
    done = 0
    for obj in queryset:
        try:
            action(actor=request.user, resource=obj, **kw)
            done += 1
        except DomainError as exc:
            modeladmin.message_user(request, f"{obj}: {exc.message}", messages.WARNING)
    modeladmin.message_user(request, _("已处理 %(n)s 项") % {"n": done}, messages.SUCCESS)


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "status", "column", "owner", "published_at")
    list_filter = ("status", "kind", "column")
    search_fields = ("title", "teacher_name", "school_name", "tags")
    raw_id_fields = ("lesson", "unit", "book", "owner", "school", "points")
    readonly_fields = ("status", "review_note", "published_at", "mime_type", "size_bytes")
    inlines = [ImageInline]
    actions = ["publish", "reject_to_draft"]

    @admin.action(description=_("审核通过并发布"))
    def publish(self, request: HttpRequest, queryset: QuerySet[Resource]) -> None:
        _run(self, request, queryset, services.resource_publish)

    @admin.action(description=_("退回（原因：不符合平台资源要求）"))
    def reject_to_draft(self, request: HttpRequest, queryset: QuerySet[Resource]) -> None:
        _run(self, request, queryset, services.resource_reject, reason=str(_("不符合平台资源要求，请修改后重新提交")))


class CodeInline(admin.TabularInline):
    model = Code
    extra = 0
    fields = ("code", "status", "lesson", "point", "version")
    readonly_fields = fields
    can_delete = False
    show_change_link = True


@admin.register(CodeBatch)
class CodeBatchAdmin(admin.ModelAdmin):
    list_display = ("title", "book", "organization", "created_at")
    raw_id_fields = ("book", "collection", "organization", "created_by")
    inlines = [CodeInline]


class TargetInline(admin.TabularInline):
    model = CodeTarget
    extra = 0
    readonly_fields = ("version", "lesson", "point", "reason", "changed_by", "created_at")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Code)
class CodeAdmin(admin.ModelAdmin):
    """Codes are read-only here: re-linking and retiring go through the batch page (versioned, audit-logged)."""

    list_display = ("code", "status", "batch", "lesson", "point", "version")
    list_filter = ("status",)
    search_fields = ("code",)
    readonly_fields = ("code", "batch", "status", "lesson", "point", "version", "published_at")
    inlines = [TargetInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a code is never deleted, so it can never be issued again


class CollectionItemInline(admin.TabularInline):
    model = CollectionItem
    extra = 0
    raw_id_fields = ("resource",)


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ("title", "district", "is_published")
    raw_id_fields = ("district", "created_by", "subject")
    inlines = [CollectionItemInline]


@admin.register(SchoolClass)
class SchoolClassAdmin(admin.ModelAdmin):
    list_display = ("name", "school", "teacher", "join_code", "is_active")
    search_fields = ("name", "join_code")
    raw_id_fields = ("school", "teacher")
