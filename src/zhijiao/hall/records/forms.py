"""Forms of the records pages: they only parse; the services check and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhijiao.orgs.models import Organization

from .models import VerificationReport


class ReportForm(forms.Form):
    record = forms.IntegerField(widget=forms.HiddenInput)
    days = forms.TypedChoiceField(
        label=_("有效期"), choices=VerificationReport.Days.choices, coerce=int, initial=VerificationReport.Days.D30
    )


class ExtendForm(forms.Form):
    days = forms.TypedChoiceField(
        label=_("延长"), choices=VerificationReport.Days.choices, coerce=int, initial=VerificationReport.Days.D30
    )


class ImportForm(forms.Form):
    university = forms.ModelChoiceField(label=_("院校"), queryset=Organization.objects.none(), empty_label=None)
    file = forms.FileField(label=_("文件（.xlsx 或 .csv）"))

    def __init__(self, *args: Any, universities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["university"].queryset = universities  # type: ignore[attr-defined]
