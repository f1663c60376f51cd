"""Forms of the credentials pages: they only parse; the services check and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhijiao.orgs.models import Organization

from .models import VerificationReport


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("验证码"),
        max_length=64,
        help_text=_("报告或证书上的验证码，大小写均可，可带或不带短横线"),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false", "inputmode": "text"}
        ),
    )


class ReportForm(forms.Form):
    record = forms.IntegerField(widget=forms.HiddenInput)
    days = forms.TypedChoiceField(
        label=_("有效期"), choices=VerificationReport.Days.choices, coerce=int, initial=VerificationReport.Days.D30
    )


class ExtendForm(forms.Form):
    days = forms.TypedChoiceField(
        label=_("延长"), choices=VerificationReport.Days.choices, coerce=int, initial=VerificationReport.Days.D30
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("撤销原因"), max_length=200)


class ImportForm(forms.Form):
    university = forms.ModelChoiceField(label=_("院校"), queryset=Organization.objects.none(), empty_label=None)
    file = forms.FileField(label=_("文件（.xlsx 或 .csv）"))

    def __init__(self, *args: Any, universities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["university"].queryset = universities  # type: ignore[attr-defined]
