"""Forms of the hall's own pages (the officers' desk included): they only parse; the services check and write."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .exams import selectors as exam_selectors
from .exams.models import ExamNotice, ExamSitting, ExamType, SpecialList


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("撤销原因"), max_length=200)


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
            *exam_selectors.provinces().values_list("code", "name"),
        ]
