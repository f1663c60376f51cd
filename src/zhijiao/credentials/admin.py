"""Staff screens of the credentials kernel. Revocations go through the same service as the pages and the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from zhijiao.core.actors import Origin
from zhijiao.core.errors import DomainError

from . import services
from .models import Credential, CredentialRevocation


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
                actor=request.user, credential_id=obj.credential_id, reason=obj.reason, origin=Origin.of(request)
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
