"""Staff screens. Verification goes through the same service as the review page (one verification for all)."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from zhijiao.core.actors import MemberRequest, Origin
from zhijiao.core.errors import DomainError

from . import services
from .models import (
    Agreement,
    AgreementSignature,
    Application,
    ApplicationEvent,
    EmployerProfile,
    Graduate,
    ImportBatch,
    Job,
    JobSource,
    PushRun,
)


@admin.register(EmployerProfile)
class EmployerProfileAdmin(admin.ModelAdmin):
    list_display = ("organization", "credit_code", "status", "needs_manual_review", "created_at", "reviewed_at")
    list_filter = ("status", "needs_manual_review")
    search_fields = ("organization__name", "credit_code")
    readonly_fields = ("organization", "status", "reviewed_by", "reviewed_at", "created_at", "updated_at")
    actions = ("approve", "suspend")

    @admin.action(description=_("通过认证"))
    def approve(self, request: MemberRequest, queryset: QuerySet[EmployerProfile]) -> None:
        done = 0
        for profile in queryset:
            try:
                services.employer_review(actor=request.user, profile=profile, approve=True, origin=Origin.of(request))
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{profile}: {exc.message}", messages.WARNING)
        self.message_user(request, _("已通过 %(n)d 家") % {"n": done})

    @admin.action(description=_("暂停（隐藏其岗位）"))
    def suspend(self, request: MemberRequest, queryset: QuerySet[EmployerProfile]) -> None:
        for profile in queryset:
            try:
                services.employer_suspend(
                    actor=request.user, profile=profile, reason=str(_("管理员暂停")), origin=Origin.of(request)
                )
            except DomainError as exc:
                self.message_user(request, f"{profile}: {exc.message}", messages.WARNING)


class JobSourceInline(admin.TabularInline):
    model = JobSource
    extra = 0
    readonly_fields = ("kind", "organization", "feed", "external_id", "created_at")
    can_delete = False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("title", "employer", "industry", "status", "date_posted", "valid_through")
    list_filter = ("status", "industry", "employment_type", "education")
    search_fields = ("title", "employer__name")
    raw_id_fields = ("employer", "owner_university", "created_by")
    readonly_fields = ("dedup_key",)
    inlines = (JobSourceInline,)

    def save_model(self, request: HttpRequest, obj: Job, form: Any, change: bool) -> None:
        # A plain edit here (status, dates, public flag) must reach the job list's index and the search index.
        super().save_model(request, obj, form, change)
        services.job_reindex(job_id=obj.pk)


class ApplicationEventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    readonly_fields = ("status", "actor", "scheduled_at", "place", "link", "note", "created_at")
    can_delete = False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("job", "graduate", "status", "created_at")
    list_filter = ("status",)
    raw_id_fields = ("job", "graduate", "resume")
    readonly_fields = ("status", "resume_snapshot")
    inlines = (ApplicationEventInline,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Graduate)
class GraduateAdmin(admin.ModelAdmin):
    list_display = ("real_name", "university", "graduation_year", "major", "status", "push_enabled")
    list_filter = ("status", "graduation_year", "education")
    search_fields = ("real_name", "student_number", "university__name")
    raw_id_fields = ("user", "university", "confirmed_by")


class SignatureInline(admin.TabularInline):
    model = AgreementSignature
    extra = 0
    readonly_fields = ("party", "signer", "signer_name", "signed_at", "text_sha256", "voided_at")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ("number", "employer", "university", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("number", "code")
    readonly_fields = [f.name for f in Agreement._meta.fields]
    inlines = (SignatureInline,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("created_at", "feed", "filename", "rows", "created", "merged", "created_by")
    readonly_fields = [f.name for f in ImportBatch._meta.fields]


@admin.register(PushRun)
class PushRunAdmin(admin.ModelAdmin):
    list_display = ("day", "pushes", "recipients", "seconds")
