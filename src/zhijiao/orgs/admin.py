"""Staff screens for regions, organisations and memberships. Role changes go through the audited services."""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from zhijiao.core.actors import Origin
from zhijiao.core.identifiers import normalize_uscc
from zhijiao.core.masking import mask_phone
from zhijiao.search.services import index_later

from . import services
from .models import Membership, Organization, Region
from .search import OrganizationDocuments


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "indented_name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)
    ordering = ("code",)

    @admin.display(description=_("名称"), ordering="name")
    def indented_name(self, obj: Region) -> str:
        return "　" * (obj.level - 1) + obj.name


class OrganizationAdminForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = (
            "kind",
            "name",
            "short_name",
            "region",
            "uscc",
            "stage",
            "website",
            "description",
            "is_verified",
            "is_active",
        )

    def clean_uscc(self) -> str | None:
        value = self.cleaned_data.get("uscc")
        return normalize_uscc(value) if value else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == Organization.Kind.EMPLOYER and not data.get("uscc") and "uscc" not in self.errors:
            self.add_error("uscc", _("用人单位必须填写统一社会信用代码"))
        return data


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    form = OrganizationAdminForm
    list_display = ("name", "kind", "region", "uscc", "is_verified", "is_active")
    list_filter = ("kind", "region__level", "is_verified", "is_active")
    search_fields = ("name", "short_name", "=uscc")
    autocomplete_fields = ("region",)
    list_select_related = ("region",)

    def save_form(self, request: HttpRequest, form: Any, change: bool) -> Any:
        if change:
            return super().save_form(request, form, change)
        data = form.cleaned_data
        form.save_m2m = lambda: None  # the service saved the organisation
        organization = services.organization_create(
            actor=request.user,
            kind=data["kind"],
            name=data["name"],
            region=data["region"],
            uscc=data.get("uscc"),
            stage=data.get("stage") or "",
            short_name=data.get("short_name") or "",
            website=data.get("website") or "",
            description=data.get("description") or "",
            origin=Origin.of(request),
        )
        if data.get("is_verified") or not data.get("is_active", True):
            organization.is_verified = bool(data.get("is_verified"))
            organization.is_active = bool(data.get("is_active", True))
            organization.save(update_fields=["is_verified", "is_active", "updated_at"])
        return organization

    def save_model(self, request: HttpRequest, obj: Organization, form: Any, change: bool) -> None:
        if change:  # a new organisation was saved by organization_create in save_form
            super().save_model(request, obj, form, change)
            index_later(OrganizationDocuments.kind, obj.pk)


class MembershipAdminForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ("user", "organization", "role", "title", "is_active")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.pk is None and data.get("user") and data.get("organization") and data.get("role"):
            exists = Membership.objects.filter(
                user=data["user"], organization=data["organization"], role=data["role"]
            ).exists()
            if exists:
                raise ValidationError(_("该用户在此机构已有这一角色"))
        return data


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Every grant, change and revocation here is made by the membership services, so it is audited."""

    form = MembershipAdminForm
    list_display = ("user_col", "organization", "role", "title", "is_active", "created_at")
    list_filter = ("role", "organization__kind", "is_active")
    search_fields = ("=user__phone", "=user__email", "user__display_name", "organization__name")
    autocomplete_fields = ("user", "organization")
    list_select_related = ("user", "organization")

    @admin.display(description=_("用户"), ordering="user__display_name")
    def user_col(self, obj: Membership) -> str:
        return obj.user.display_name or mask_phone(obj.user.phone or "") or obj.user.masked_email

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # A different person, organisation or role is a different grant: revoke this one and grant anew.
        return ("user", "organization", "role") if obj is not None else ()

    def save_form(self, request: HttpRequest, form: Any, change: bool) -> Any:
        if change:
            return form.save(commit=False)
        data = form.cleaned_data
        form.save_m2m = lambda: None  # the service saved the membership
        return services.membership_grant(
            actor=request.user,
            user=data["user"],
            organization=data["organization"],
            role=data["role"],
            title=data.get("title") or "",
            origin=Origin.of(request),
        )

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        if change:
            services.membership_update(
                actor=request.user, membership=obj, title=obj.title, is_active=obj.is_active, origin=Origin.of(request)
            )
        elif not form.cleaned_data.get("is_active", True):
            services.membership_update(
                actor=request.user, membership=obj, title=obj.title, is_active=False, origin=Origin.of(request)
            )

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        services.membership_revoke(actor=request.user, membership=obj, origin=Origin.of(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        for membership in queryset.select_related("organization", "user"):
            services.membership_revoke(actor=request.user, membership=membership, origin=Origin.of(request))
