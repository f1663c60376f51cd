"""Staff screens of the question bank: questions with their versions, read-only (a version never changes; teachers
edit through the bank's pages and API, which add versions), and archiving through the service; learners' answer
files, read-only (they are answers: only their learner replaces them, and only while the attempt runs)."""

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from zhijiao.core.admin import ReadOnlyAdmin

from . import services
from .models import AttemptFile, Question, QuestionVersion


class VersionInline(admin.TabularInline):
    model = QuestionVersion
    extra = 0
    fields = ("number", "type", "points", "difficulty", "note", "created_at", "created_by")
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("summary", "course", "type", "difficulty", "current_version", "archived_at", "updated_at")
    list_filter = ("type", "difficulty", ("archived_at", admin.EmptyFieldListFilter))
    search_fields = ("summary", "course__title", "=identifier")
    raw_id_fields = ("course", "created_by")
    readonly_fields = ("course", "identifier", "type", "difficulty", "summary", "current_version", "archived_at",
                       "created_by", "created_at", "updated_at")  # fmt: skip
    fields = readonly_fields
    inlines = [VersionInline]
    actions = ["archive"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Question]:
        return super().get_queryset(request).select_related("course", "current_version")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("归档所选题目"))
    def archive(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        done = 0
        for question in queryset.select_related("course"):
            try:
                services.question_archive(actor=request.user, question=question)
                done += 1
            except PermissionDenied as error:
                messages.error(request, f"{question}: {error}")
        if done:
            messages.success(request, _("已归档 %(n)d 道题") % {"n": done})


@admin.register(QuestionVersion)
class QuestionVersionAdmin(ReadOnlyAdmin):
    """Versions are never changed or deleted: attempts and exams point at them."""

    list_display = ("question", "number", "type", "points", "difficulty", "created_at", "created_by")
    list_filter = ("type", "difficulty")
    search_fields = ("question__summary", "stem")
    list_select_related = ("question", "created_by")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in QuestionVersion._meta.fields]


@admin.register(AttemptFile)
class AttemptFileAdmin(ReadOnlyAdmin):
    """Who uploaded what to which attempt, for support questions ("my file is missing"). The file itself is private
    and not offered here: it leaves only through the download view, to the people allowed to read the answer."""

    list_display = ("original_name", "attempt", "learner", "position", "size", "mime", "created_at")
    list_filter = ("mime", "created_at")
    search_fields = ("=attempt__user__phone", "attempt__user__display_name", "original_name")
    date_hierarchy = "created_at"
    list_select_related = ("attempt__user",)
    fields = ("attempt", "learner", "position", "original_name", "size", "mime", "uploaded_by", "created_at")
    readonly_fields = fields
    ordering = ("-created_at", "-id")

    @admin.display(description=_("学习者"), ordering="attempt__user__display_name")
    def learner(self, stored: AttemptFile) -> str:
        return str(stored.attempt.user)  # the name, else the masked phone or email: staff search by the full phone
