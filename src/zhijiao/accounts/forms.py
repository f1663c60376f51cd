"""Forms for the account pages. They check the shape of the input; the services decide the rest."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services
from .models import ApiToken


class ServiceErrorsMixin:
    """Put a service's ``ValidationError`` on the form, each message next to its field."""

    field_aliases: dict[str, str] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def add_service_errors(self, error: ValidationError, *, only_new: bool = False) -> None:
        form: Any = self
        if not hasattr(error, "error_dict"):
            form.add_error(None, error)
            return
        for field, messages in error.message_dict.items():
            name = self.field_aliases.get(field, field)
            if only_new and name in form.errors:
                continue  # the field already says what is wrong with it
            form.add_error(name if name in form.fields else None, messages)


class LoginForm(ServiceErrorsMixin, forms.Form):
    login = forms.CharField(
        label=_("手机号或邮箱"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label=_("密码"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class RegisterForm(ServiceErrorsMixin, forms.Form):
    field_aliases = {"password": "password1"}

    phone = forms.CharField(
        label=_("手机号码"),
        max_length=20,
        required=False,
        help_text=_("手机号码和电子邮箱至少填写一项，可用于登录"),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.CharField(
        label=_("电子邮箱"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    display_name = forms.CharField(
        label=_("昵称"), max_length=50, widget=forms.TextInput(attrs={"autocomplete": "nickname"})
    )
    password1 = forms.CharField(
        label=_("密码"),
        max_length=128,
        strip=False,
        help_text=_("至少 8 位，不能全是数字，也不能过于常见"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("再次输入密码"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    agree = forms.BooleanField(
        label=_("我已阅读并同意用户协议和隐私政策"),
        error_messages={"required": _("请先同意用户协议和隐私政策")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("两次输入的密码不一致"))
        # The registration service's own checks, so every bad field is named on the first try.
        try:
            services.registration_validate(
                phone=data.get("phone"),
                email=data.get("email"),
                password=data.get("password1") or "",
                display_name=data.get("display_name") or "",
            )
        except ValidationError as exc:
            self.add_service_errors(exc, only_new=True)
        return data


class IdentityForm(ServiceErrorsMixin, forms.Form):
    real_name = forms.CharField(
        label=_("真实姓名"), max_length=50, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    id_number = forms.CharField(
        label=_("居民身份证号码"),
        max_length=30,
        help_text=_("18 位，最后一位可能是 X；号码加密保存，页面上只显示部分数字"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


EXPIRY_CHOICES = [("30", _("30 天")), ("90", _("90 天")), ("365", _("1 年")), ("", _("永不过期"))]


class TokenCreateForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("令牌名称"), max_length=60, help_text=_("例如：学籍系统对接"))
    scopes = forms.MultipleChoiceField(
        label=_("权限范围"),
        choices=ApiToken.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[ApiToken.Scope.READ],
        error_messages={"required": _("请至少选择一项权限")},
    )
    expires_in_days = forms.TypedChoiceField(
        label=_("有效期"),
        choices=EXPIRY_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        initial="90",
    )
