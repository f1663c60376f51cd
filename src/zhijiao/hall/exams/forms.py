"""Forms of the exams' public pages (notices, special-type lists, score lookup); the officers' desk forms are the
hall's (``zhijiao.hall.forms``)."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import ExamNotice


class ScoreLookupForm(forms.Form):
    sitting = forms.TypedChoiceField(label=_("考试"), coerce=int)
    ticket_number = forms.CharField(
        label=_("准考证号"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    id_number = forms.CharField(
        label=_("或身份证号"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("准考证号与身份证号填写一项即可"),
    )
    name = forms.CharField(label=_("姓名"), max_length=50, widget=forms.TextInput(attrs={"autocomplete": "name"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["sitting"]).choices = [
            (info.id, info.label) for info in selectors.sittings_public()
        ]


class NoticeFilterForm(forms.Form):
    province = forms.ChoiceField(label=_("省份"), required=False)
    year = forms.TypedChoiceField(label=_("年份"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("类别"), required=False, choices=[("", _("全部")), *ExamNotice.Kind.choices])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["province"]).choices = [
            ("", _("全部（含全国）")),
            *selectors.provinces().values_list("code", "name"),
        ]
        cast(forms.ChoiceField, self.fields["year"]).choices = [
            ("", _("全部")),
            *((year, str(year)) for year in selectors.notice_years()),
        ]


class CandidateSearchForm(forms.Form):
    name = forms.CharField(label=_("姓名"), required=False, max_length=50)
    school = forms.CharField(label=_("中学"), required=False, max_length=100)
    province = forms.ChoiceField(label=_("省份"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["province"]).choices = [
            ("", _("全部")),
            *selectors.provinces().values_list("code", "name"),
        ]
