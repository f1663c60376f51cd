"""Staff screens of the course engine: courses with their team and publishing history, media files.

The tree itself is edited through the teaching team's API and pages (its ordering and revision rules live in the
services); here staff see it read-only, fix a title or summary, manage the team and publish through the service.
"""

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from zhijiao.core.errors import DomainError

from . import services
from .models import (
    Announcement,
    Asset,
    Block,
    BlockProgress,
    Certificate,
    Course,
    CourseGrade,
    CourseStaff,
    CourseVersion,
    Discipline,
    Enrolment,
    Node,
    Rating,
    Regrade,
    RosterEntry,
    Run,
    RunRelease,
    RunStaff,
    Score,
)


class StaffInline(admin.TabularInline):
    model = CourseStaff
    extra = 0
    raw_id_fields = ("user",)


class VersionInline(admin.TabularInline):
    model = CourseVersion
    extra = 0
    fields = ("number", "revision", "block_count", "note", "published_at", "published_by")
    readonly_fields = fields
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[CourseVersion]:
        return super().get_queryset(request).defer("outline").select_related("published_by")


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ("title", "university", "revision", "published_number", "created_at")
    list_select_related = ("university", "published_version")
    search_fields = ("title",)
    raw_id_fields = ("university", "created_by")
    readonly_fields = ("revision", "published_version", "origin", "source", "source_version")
    inlines = [StaffInline, VersionInline]
    actions = ["publish"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Course]:
        return super().get_queryset(request).defer("published_version__outline")

    @admin.display(description=_("发布版本"))
    def published_number(self, course: Course) -> int | None:
        return course.published_version.number if course.published_version else None

    @admin.action(description=_("发布所选课程的草稿"))
    def publish(self, request: HttpRequest, queryset: QuerySet[Course]) -> None:
        for course in queryset:
            try:
                version = services.course_publish(actor=request.user, course=course)
            except (DomainError, PermissionDenied, ValidationError) as exc:
                self.message_user(request, f"{course}: {exc}", messages.WARNING)
            else:
                message = _("%(course)s 已发布为第 %(n)d 版") % {"course": course, "n": version.number}
                self.message_user(request, message)


@admin.register(Node)
class NodeAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "course", "parent", "position", "content_id")
    list_filter = ("kind",)
    list_select_related = ("course", "parent")
    search_fields = ("title", "content_id")
    readonly_fields = ("course", "parent", "kind", "position", "content_id", "origin", "source", "source_version")


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ("__str__", "type", "course", "unit", "position", "content_id")
    list_filter = ("type",)
    list_select_related = ("course", "unit")
    search_fields = ("title", "content_id")
    readonly_fields = (
        "course",
        "unit",
        "type",
        "position",
        "data",
        "content_id",
        "origin",
        "source",
        "source_version",
    )


@admin.register(Asset)
class AssetAdmin(admin.ModelAdmin):
    list_display = ("name", "mime_type", "size_bytes", "course", "uploaded_by", "created_at")
    list_select_related = ("course", "uploaded_by")
    search_fields = ("name",)
    readonly_fields = ("course", "file", "name", "mime_type", "size_bytes", "duration_seconds", "uploaded_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # uploads are checked by content in the service; the admin offers no unchecked path


class RunReleaseInline(admin.TabularInline):
    model = RunRelease
    extra = 0
    fields = ("content_id", "opens_at")


class RunStaffInline(admin.TabularInline):
    model = RunStaff
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Run)
class RunAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "university", "enrol_opens_at", "enrol_closes_at", "starts_at", "ends_at")
    list_filter = ("kind",)
    list_select_related = ("course", "university")
    search_fields = ("title", "course__title")
    raw_id_fields = ("course", "university")
    readonly_fields = ("enrolment_count", "certificates_issued_at")
    inlines = [RunReleaseInline, RunStaffInline]
    actions = ["grant_certificates"]

    @admin.action(description=_("现在为所选开课发放证书（须已结课）"))
    def grant_certificates(self, request: HttpRequest, queryset: QuerySet[Run]) -> None:
        grant_certificates(self, request, queryset)


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ("user", "run", "created_at")
    list_select_related = ("user", "run__course")
    raw_id_fields = ("user", "run")


@admin.register(BlockProgress)
class BlockProgressAdmin(admin.ModelAdmin):
    """Read-only: progress is the learner's record, written only by their learning page."""

    list_display = ("user", "content_id", "position_seconds", "watched", "opened", "completed_at")
    list_select_related = ("user",)
    search_fields = ("content_id",)
    readonly_fields = ("user", "content_id", "run", "position_seconds", "watched", "opened", "completed_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """A screen to look things up: the rows are written elsewhere (a data migration, a service)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Discipline)
class DisciplineAdmin(ReadOnlyAdmin):
    """The official 学科门类 / 一级学科 catalogue, loaded by a data migration; read-only."""

    list_display = ("code", "name", "parent")
    list_select_related = ("parent",)
    list_filter = (("parent", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("code", "name")


@admin.register(RosterEntry)
class RosterEntryAdmin(admin.ModelAdmin):
    list_display = ("student_number", "name", "run", "user", "created_at")
    list_select_related = ("run__course", "user")
    search_fields = ("student_number", "name", "run__title", "run__course__title")
    raw_id_fields = ("run", "user")


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    """Posted by a run's teachers through the service, which also notifies the learners; staff may correct the
    text here (no second notification is sent)."""

    list_display = ("title", "run", "author", "created_at")
    list_select_related = ("run__course", "author")
    search_fields = ("title", "run__course__title")
    raw_id_fields = ("run", "author")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # posting notifies learners: only through the service (the run's pages and API)


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    """Learners' ratings, read-only: the course keeps their count and sum, which only the rating service changes."""

    list_display = ("course", "user", "stars", "created_at")
    list_filter = ("stars",)
    list_select_related = ("course", "user")
    search_fields = ("course__title", "comment")


# --- Course certificates -------------------------------------------------------------------------------------


def grant_certificates(model_admin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Run]) -> None:
    """Staff process ended runs now instead of at the scheduler's next pass (safe to repeat)."""
    for run in queryset.select_related("course__university"):
        try:
            result = services.run_certificates_grant_now(actor=request.user, run=run)
        except DomainError as exc:
            model_admin.message_user(request, f"{run}: {exc.message}", messages.WARNING)
        else:
            text = _("%(run)s：新增证书 %(created)d 张，发放 %(issued)d 张，%(awaiting)d 张待学习者实名认证") % {
                "run": run,
                "created": result.created,
                "issued": result.issued,
                "awaiting": result.awaiting,
            }
            model_admin.message_user(request, text)


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    """Read-only: certificates are granted by the certificate pass and revoked through their credential."""

    list_display = ("user", "run", "completion", "level", "status", "credential", "created_at")
    list_filter = ("status",)
    list_select_related = ("user", "run__course", "credential")
    search_fields = ("run__course__title", "credential__code")
    readonly_fields = ("run", "user", "completion", "level", "percent", "status", "credential")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(CourseGrade)
class CourseGradeAdmin(ReadOnlyAdmin):
    """Kept by the grading services as scores arrive; teachers override scores on the run's gradebook."""

    list_display = ("user", "run", "percent", "level", "scored", "updated_at")
    list_filter = ("level",)
    list_select_related = ("user", "run__course")
    search_fields = ("run__course__title",)


@admin.register(Score)
class ScoreAdmin(ReadOnlyAdmin):
    """Reported by the score sources through ``services.score_record``; overrides go through the gradebook."""

    list_display = ("user", "run", "content_id", "category", "earned", "possible", "source", "overridden")
    list_filter = ("category", "overridden")
    list_select_related = ("user", "run__course")
    search_fields = ("run__course__title",)


@admin.register(Regrade)
class RegradeAdmin(ReadOnlyAdmin):
    list_display = ("run", "status", "reason", "learners", "seconds", "created_at", "finished_at")
    list_filter = ("status",)
    list_select_related = ("run__course",)
