"""Staff screens. Revocations and imports go through the same services as the pages and the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from zhijiao.core.errors import DomainError
from zhijiao.orgs.models import Organization

from . import selectors, services
from .models import AcademicRecord, Credential, CredentialRevocation, VerificationReport


class RevocationInline(admin.StackedInline):
    model = CredentialRevocation
    extra = 0
    can_delete = False
    readonly_fields = ("reason", "revoked_by", "revoked_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Credential)
class CredentialAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "holder_id_masked", "issuer_name", "issued_on", "valid_until", "revoked")
    list_filter = ("kind", "issued_on")
    search_fields = ("source_key", "title", "issuer_name")
    list_select_related = ("revocation",)
    readonly_fields = [f.name for f in Credential._meta.fields if f.name not in ("holder_id_number",)]
    exclude = ("holder_id_number", "code")
    inlines = (RevocationInline,)

    @admin.display(boolean=True, description=_("已撤销"))
    def revoked(self, obj: Credential) -> bool:
        return obj.is_revoked

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # credentials are issued by the services that decide them

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RevocationForm(forms.ModelForm):
    class Meta:
        model = CredentialRevocation
        fields = ("credential", "reason")


@admin.register(CredentialRevocation)
class CredentialRevocationAdmin(admin.ModelAdmin):
    """Adding a revocation here calls credential_revoke: the same permission check, audit entry and notice."""

    form = RevocationForm
    list_display = ("credential", "reason", "revoked_by", "revoked_at")
    raw_id_fields = ("credential",)
    search_fields = ("reason", "credential__source_key")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("credential", "reason", "revoked_by", "revoked_at") if obj else ()

    def save_model(self, request: HttpRequest, obj: CredentialRevocation, form: Any, change: bool) -> None:
        if change:
            return
        try:
            services.credential_revoke(
                actor=request.user, credential_id=obj.credential_id, reason=obj.reason, request=request
            )
        except (DomainError, ValidationError) as exc:
            self.message_user(request, str(getattr(exc, "message", exc)), messages.ERROR)
            return
        saved = CredentialRevocation.objects.get(credential_id=obj.credential_id)
        obj.pk, obj.revoked_by, obj.revoked_at = saved.pk, saved.revoked_by, saved.revoked_at

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


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
    change_list_template = "admin/credentials/academicrecord/change_list.html"

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="credentials_academicrecord_import",
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
            try:
                report = services.records_import(
                    actor=request.user,
                    university_id=form.cleaned_data["university"].pk,
                    data=upload.read(),
                    filename=upload.name or "",
                    request=request,
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            except DomainError as exc:
                form.add_error(None, str(exc.message))
            else:
                if report.ok:
                    self.message_user(request, _("已导入 %(n)d 条记录") % {"n": report.created})
        context = {
            **self.admin_site.each_context(request),
            "title": _("导入学籍学历学位记录"),
            "form": form,
            "report": report,
            "opts": self.model._meta,
        }
        return render(request, "admin/credentials/academicrecord/import.html", context)


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
