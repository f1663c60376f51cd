"""Staff screens of the academic records. Imports go through the same service as the pages and the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from zhijiao.core.actors import Origin
from zhijiao.core.views import service_errors
from zhijiao.orgs.models import Organization

from . import selectors, services
from .models import AcademicRecord, VerificationReport


class RecordImportForm(forms.Form):
    university: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("院校"), queryset=Organization.objects.none()
    )
    file = forms.FileField(label=_("文件（.xlsx 或 .csv）"))

    def __init__(self, *args: Any, universities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["university"].queryset = universities  # type: ignore[attr-defined]


@admin.register(AcademicRecord)
class AcademicRecordAdmin(admin.ModelAdmin):
    list_display = ("holder_name", "id_number_masked", "university", "record_type", "level", "status", "end_date")
    list_filter = ("record_type", "level", "status")
    search_fields = ("certificate_number", "holder_name", "programme")
    list_select_related = ("university",)
    raw_id_fields = ("university", "imported_by")
    readonly_fields = ("id_number_masked", "imported_by", "created_at", "updated_at")
    change_list_template = "admin/records/academicrecord/change_list.html"

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="records_academicrecord_import",
            )
        ]
        return own + super().get_urls()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # records arrive through the import, which checks every row

    def import_view(self, request: HttpRequest) -> HttpResponse:
        universities = selectors.registrar_universities(request.user)
        if not universities.exists():
            raise PermissionDenied
        form = RecordImportForm(request.POST or None, request.FILES or None, universities=universities)
        report = None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            with service_errors(form) as outcome:
                report = services.records_import(
                    actor=request.user,
                    university_id=form.cleaned_data["university"].pk,
                    data=upload.read(),
                    filename=upload.name or "",
                    origin=Origin.of(request),
                )
            if outcome.ok and report is not None and report.ok:
                self.message_user(request, _("已导入 %(n)d 条记录") % {"n": report.created})
        context = {
            **self.admin_site.each_context(request),
            "title": _("导入学籍学历学位记录"),
            "form": form,
            "report": report,
            "opts": self.model._meta,
        }
        return render(request, "admin/records/academicrecord/import.html", context)


@admin.register(VerificationReport)
class VerificationReportAdmin(admin.ModelAdmin):
    list_display = ("__str__", "record", "holder_user", "days", "created_at")
    list_select_related = ("record", "holder_user")
    raw_id_fields = ("record", "holder_user", "credential")
    readonly_fields = ("record", "holder_user", "credential", "days", "created_at", "updated_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
