"""Forms of the credentials pages (the public verification page): they only parse."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("验证码"),
        max_length=64,
        help_text=_("报告或证书上的验证码，大小写均可，可带或不带短横线"),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false", "inputmode": "text"}
        ),
    )
