"""Staff screens for people. Personal data shows masked; anything beyond a plain edit goes through a service."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zhijiao.core.actors import Origin
from zhijiao.core.errors import DomainError, NotFound
from zhijiao.core.identifiers import normalize_phone
from zhijiao.orgs.models import Membership
from zhijiao.orgs.services import membership_grant, membership_revoke, membership_update

from . import services
from .models import ApiToken, Guardianship, Identity, User


class UserCreationAdminForm(forms.ModelForm):
    """A new account made by staff passes the same checks as a self-registered one."""

    phone = forms.CharField(label=_("手机号码"), max_length=20, required=False)
    email = forms.CharField(label=_("电子邮箱"), max_length=254, required=False)
    password1 = forms.CharField(label=_("密码"), strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("再次输入密码"), strip=False, widget=forms.PasswordInput)

    class Meta:
        model = User
        fields = ("phone", "email", "display_name")

    def _post_clean(self) -> None:
        data = self.cleaned_data
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", gettext("两次输入的密码不一致"))
            return
        try:
            services.registration_validate(
                phone=data.get("phone"),
                email=data.get("email"),
                password=data.get("password1") or "",
                display_name=data.get("display_name") or "",
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                self.add_error("password1" if field == "password" else field, errors)


class UserChangeAdminForm(forms.ModelForm):
    phone = forms.CharField(label=_("手机号码"), max_length=20, required=False)

    class Meta:
        model = User
        fields = ("display_name", "phone", "email", "language", "is_active", "is_staff", "is_superuser", "groups")

    def clean_phone(self) -> str | None:
        value = self.cleaned_data.get("phone")
        return normalize_phone(value) if value else None

    def clean_email(self) -> str | None:
        value = self.cleaned_data.get("email")
        return value.strip().lower() if value else None


class MembershipInline(admin.TabularInline):
    """Roles of this person; saving goes through the membership services so every change is audited."""

    model = Membership
    fk_name = "user"
    extra = 0
    fields = ("organization", "role", "title", "is_active")
    autocomplete_fields = ("organization",)


def save_membership_formset(request: HttpRequest, formset: Any, *, user: User | None = None) -> None:
    """Apply an admin formset of memberships through the services (grant, change, revoke)."""
    formset.save(commit=False)
    origin = Origin.of(request)
    for membership in formset.deleted_objects:
        membership_revoke(actor=request.user, membership=membership, origin=origin)
    for membership in formset.new_objects:
        membership_grant(
            actor=request.user,
            user=user or membership.user,
            organization=membership.organization,
            role=membership.role,
            title=membership.title,
            origin=origin,
        )
    for membership, changed in formset.changed_objects:
        if {"role", "organization"} & set(changed):
            # A different role is a different grant: take the old one away and give the new one.
            original = Membership.objects.select_related("organization", "user").get(pk=membership.pk)
            membership_revoke(actor=request.user, membership=original, origin=origin)
            membership_grant(
                actor=request.user,
                user=original.user,
                organization=membership.organization,
                role=membership.role,
                title=membership.title,
                origin=origin,
            )
            continue
        membership_update(
            actor=request.user,
            membership=membership,
            title=membership.title,
            is_active=membership.is_active,
            origin=origin,
        )


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "display_name",
        "masked_phone_col",
        "masked_email_col",
        "is_active",
        "is_staff",
        "date_joined",
    )
    list_filter = ("is_active", "is_staff", "is_superuser", "memberships__role")
    search_fields = ("=phone", "=email", "display_name")
    ordering = ("-date_joined",)
    readonly_fields = ("masked_phone_col", "masked_email_col", "date_joined", "last_login")
    filter_horizontal = ("groups",)
    inlines = (MembershipInline,)

    @admin.display(description=_("手机号码"))
    def masked_phone_col(self, obj: User) -> str:
        return obj.masked_phone

    @admin.display(description=_("电子邮箱"))
    def masked_email_col(self, obj: User) -> str:
        return obj.masked_email

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        kwargs["form"] = UserChangeAdminForm if obj is not None else UserCreationAdminForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ((None, {"fields": ("phone", "email", "display_name", "password1", "password2")}),)
        return (
            (None, {"fields": ("display_name", "phone", "email", "language")}),
            (_("权限"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
            (_("记录"), {"fields": ("date_joined", "last_login")}),
        )

    def get_inlines(self, request: HttpRequest, obj: Any) -> Any:
        return self.inlines if obj is not None else ()

    def save_form(self, request: HttpRequest, form: Any, change: bool) -> Any:
        if change:
            return super().save_form(request, form, change)
        data = form.cleaned_data
        form.save_m2m = lambda: None  # the service saved everything the add form holds
        return services.user_register(
            phone=data.get("phone"),
            email=data.get("email"),
            password=data["password1"],
            display_name=data["display_name"],
            language=getattr(request, "LANGUAGE_CODE", ""),
            origin=Origin.of(request),
        )

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if change:  # a new user was saved by the registration service in save_form
            super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is Membership:
            save_membership_formset(request, formset, user=form.instance)
            return
        super().save_formset(request, form, formset, change)


@admin.register(Identity)
class IdentityAdmin(admin.ModelAdmin):
    """Real-name identities show only masked; the full number is for the owner's page and officers' lookups."""

    list_display = ("user", "masked_name_col", "id_number_masked", "gender", "birth_date", "created_at")
    list_filter = ("gender",)
    search_fields = ("=user__phone", "=user__email")
    fields = ("user", "masked_name_col", "id_number_masked", "gender", "birth_date", "created_at")
    readonly_fields = fields

    @admin.display(description=_("姓名"))
    def masked_name_col(self, obj: Identity) -> str:
        return obj.masked_name

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Identity]:
        return super().get_queryset(request).select_related("user").defer("id_number")


class GuardianshipAdminForm(forms.ModelForm):
    class Meta:
        model = Guardianship
        fields = ("parent", "child", "relation")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("child") is not None:
            try:
                services.guardianship_schools(child=data["child"])
            except ValidationError as exc:
                self.add_error("child", exc.messages)
        return data


@admin.register(Guardianship)
class GuardianshipAdmin(admin.ModelAdmin):
    list_display = ("parent", "child", "relation", "created_at")
    list_filter = ("relation",)
    search_fields = ("=parent__phone", "=child__phone", "=parent__email", "=child__email")
    autocomplete_fields = ("parent", "child")
    form = GuardianshipAdminForm

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def save_form(self, request: HttpRequest, form: Any, change: bool) -> Any:
        data = form.cleaned_data
        child = data["child"]
        form.save_m2m = lambda: None  # the service saved the link
        return services.guardianship_link(
            parent=data["parent"],
            child_login=child.phone or child.email,
            relation=data["relation"],
            actor=request.user,
            origin=Origin.of(request),
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        return None  # saved by guardianship_link in save_form


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "scopes", "expires_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("=prefix", "name", "=user__phone", "=user__email")
    readonly_fields = (
        "user",
        "name",
        "prefix",
        "key_hash",
        "scopes",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "created_at",
    )
    fields = readonly_fields
    actions = ("revoke_tokens",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("撤销所选令牌"), permissions=["change"])
    def revoke_tokens(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = 0
        for token in queryset:
            try:
                services.token_revoke(actor=request.user, token_id=token.pk, origin=Origin.of(request))
            except (NotFound, DomainError):
                continue
            count += 1
        self.message_user(request, gettext("已撤销 %(count)d 个令牌") % {"count": count}, messages.SUCCESS)
