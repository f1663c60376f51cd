"""Staff screens of the case library: cases (status and metadata; files come from accepted submissions) and the
member universities."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from . import services
from .models import Case, CaseAuthor, CaseCollection, LibraryMember


class CaseAuthorInline(admin.TabularInline):
    model = CaseAuthor
    extra = 0
    fields = ("position", "name", "organization_name")


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("accession_no", "title", "category", "case_type", "field", "year", "status", "download_count")
    list_filter = ("status", "case_type", "category")
    search_fields = ("accession_no", "title")
    readonly_fields = ("accession_no", "accepted_at", "applicant", "organization", "download_count", "adoption_count")
    inlines = (CaseAuthorInline,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # cases enter the library from accepted submissions (intake.accept_case_submission)

    def save_model(self, request: HttpRequest, obj: Case, form: Any, change: bool) -> None:
        services.case_save(case=obj)


@admin.register(LibraryMember)
class LibraryMemberAdmin(admin.ModelAdmin):
    list_display = ("organization", "joined_on", "is_active")
    list_filter = ("is_active",)
    autocomplete_fields = ("organization",)
    search_fields = ("organization__name",)

    def save_model(self, request: HttpRequest, obj: LibraryMember, form: Any, change: bool) -> None:
        services.library_member_save(member=obj)


@admin.register(CaseCollection)
class CaseCollectionAdmin(admin.ModelAdmin):
    list_display = ("title", "owner", "run", "updated_at")
    raw_id_fields = ("owner", "run")
