from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import ExamNotice, ExamSitting, ExamType, SpecialList


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


class ScoreImportForm(forms.Form):
    sitting = forms.ModelChoiceField(label=_("考试场次"), queryset=ExamSitting.objects.all())
    file = forms.FileField(label=_("成绩文件（Excel .xlsx 或 CSV）"))


class SittingForm(forms.Form):
    exam_type = forms.ChoiceField(label=_("考试"), choices=ExamType.choices)
    session = forms.CharField(label=_("考次"), max_length=40, help_text=_("例如：2026年6月"))
    held_on = forms.DateField(label=_("考试日期"), widget=forms.DateInput(attrs={"type": "date"}))
    release_at = forms.DateTimeField(
        label=_("成绩发布时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class SpecialListImportForm(forms.Form):
    title = forms.CharField(label=_("名单标题"), max_length=150)
    program = forms.ChoiceField(label=_("招生类型"), choices=SpecialList.Program.choices)
    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100)
    notice_start = forms.DateTimeField(
        label=_("公示开始"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    notice_end = forms.DateTimeField(label=_("公示结束"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    file = forms.FileField(label=_("名单文件（Excel .xlsx 或 CSV）"))


class NoticeForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=150)
    kind = forms.ChoiceField(label=_("类别"), choices=ExamNotice.Kind.choices)
    province = forms.ChoiceField(label=_("省份"), required=False)
    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100)
    body = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 8}))
    attachment = forms.FileField(label=_("附件（PDF 或 Office 文件，可选）"), required=False)
    publish = forms.BooleanField(label=_("立即发布"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["province"]).choices = [
            ("", _("全国")),
            *selectors.provinces().values_list("code", "name"),
        ]
