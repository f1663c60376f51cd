"""Forms of the employment pages: they parse input; the services decide."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhijiao.accounts.models import User
from zhijiao.core.choosers import ChooserField, ChooserFormMixin

from .models import (
    Application,
    Discipline,
    Education,
    EmploymentType,
    Industry,
    Occupation,
    Resume,
    ResumeEntry,
)
from .services import JobData

DATE = forms.DateInput(attrs={"type": "date"})


def _codes(regions: Any) -> list[str]:
    return [region.code for region in regions or []]


class EmployerRegisterForm(ChooserFormMixin, forms.Form):
    name = forms.CharField(label=_("单位名称"), max_length=100)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=30)
    region_code = ChooserField(
        source="regions", label=_("所在地区"), help_text=_("输入地名后从列表中选择，如 北京 海淀")
    )
    contact_name = forms.CharField(label=_("联系人"), max_length=30)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=20)
    contact_email = forms.EmailField(label=_("联系邮箱"), required=False)
    licence = forms.FileField(label=_("营业执照扫描件"), help_text=_("PDF、PNG 或 JPEG，不超过 5 MB"))
    description = forms.CharField(label=_("单位简介"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean_region_code(self) -> str:
        return self.cleaned_data["region_code"].code


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结论"),
        choices=[("approve", _("通过")), ("reject", _("不通过")), ("suspend", _("暂停")), ("reinstate", _("恢复"))],
    )
    reason = forms.CharField(label=_("意见"), max_length=300, required=False)


class JobForm(ChooserFormMixin, forms.Form):
    title = forms.CharField(label=_("岗位名称"), max_length=100)
    description = forms.CharField(label=_("岗位描述"), widget=forms.Textarea(attrs={"rows": 6}))
    region_codes = ChooserField(
        source="regions",
        multiple=True,
        label=_("工作地点"),
        help_text=_("一个或多个地点，用顿号分隔，如 北京 海淀、上海 浦东"),
    )
    industry = forms.ChoiceField(label=_("行业"), choices=Industry.choices)
    occupation = forms.ChoiceField(label=_("职能类别"), choices=Occupation.choices)
    education = forms.TypedChoiceField(label=_("学历要求"), choices=Education.choices, coerce=int)
    disciplines = forms.MultipleChoiceField(
        label=_("专业门类"),
        choices=Discipline.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选表示专业不限"),
    )
    salary_min = forms.IntegerField(label=_("月薪下限（元）"), min_value=0, max_value=1_000_000)
    salary_max = forms.IntegerField(label=_("月薪上限（元）"), min_value=0, max_value=1_000_000)
    headcount = forms.IntegerField(label=_("招聘人数"), min_value=1, max_value=100_000, initial=1)
    employment_type = forms.ChoiceField(label=_("工作性质"), choices=EmploymentType.choices)
    valid_through = forms.DateField(label=_("截止日期"), widget=DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("salary_min"), data.get("salary_max")
        if low is not None and high is not None and low > high:
            self.add_error("salary_max", _("月薪上限不能低于下限"))
        return data

    def job_data(self) -> JobData:
        d = self.cleaned_data
        return JobData(
            title=d["title"],
            description=d["description"],
            region_codes=_codes(d["region_codes"]),
            industry=d["industry"],
            occupation=d["occupation"],
            education=d["education"],
            disciplines=d.get("disciplines") or [],
            salary_min=d["salary_min"],
            salary_max=d["salary_max"],
            headcount=d["headcount"],
            employment_type=d["employment_type"],
            valid_through=d["valid_through"],
        )


class GraduateForm(ChooserFormMixin, forms.Form):
    university = ChooserField(source="universities", label=_("毕业院校"))
    graduation_year = forms.IntegerField(label=_("毕业年份"), min_value=2000, max_value=2100)
    real_name = forms.CharField(label=_("姓名"), max_length=30)
    student_number = forms.CharField(label=_("学号"), max_length=30, required=False)
    major = forms.CharField(label=_("专业"), max_length=60)
    discipline = forms.ChoiceField(label=_("学科门类"), choices=Discipline.choices)
    education = forms.TypedChoiceField(
        label=_("学历"), choices=[c for c in Education.choices if c[0] != Education.ANY], coerce=int
    )


class PushPreferenceForm(ChooserFormMixin, forms.Form):
    region_codes = ChooserField(
        source="regions",
        multiple=True,
        label=_("意向城市"),
        required=False,
        help_text=_("如 北京、上海；不填则为学校所在省份"),
    )
    industries = forms.MultipleChoiceField(
        label=_("意向行业"), choices=Industry.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    occupations = forms.MultipleChoiceField(
        label=_("意向职能"), choices=Occupation.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    salary_min = forms.IntegerField(label=_("期望月薪不低于（元）"), min_value=0, max_value=1_000_000, required=False)
    enabled = forms.BooleanField(label=_("接收岗位推送"), required=False)

    def region_list(self) -> list[str]:
        return _codes(self.cleaned_data.get("region_codes"))


class ResumeForm(forms.ModelForm):
    class Meta:
        model = Resume
        fields = ("title", "full_name", "phone", "email", "objective", "summary", "privacy")
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}


class ResumeEntryForm(forms.ModelForm):
    class Meta:
        model = ResumeEntry
        fields = ("section", "title", "subtitle", "start", "end", "detail")
        widgets = {"start": DATE, "end": DATE, "detail": forms.Textarea(attrs={"rows": 3})}


class ApplyForm(forms.Form):
    resume = forms.ModelChoiceField(label=_("选择简历"), queryset=Resume.objects.none())
    cover_letter = forms.CharField(
        label=_("附言"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )

    def __init__(self, *args: Any, graduate: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resume"].queryset = Resume.objects.filter(owner=graduate)  # type: ignore[attr-defined]


MOVE_CHOICES = [
    (s.value, s.label)
    for s in (
        Application.Status.VIEWED,
        Application.Status.WRITTEN_TEST,
        Application.Status.INTERVIEW,
        Application.Status.OFFER,
        Application.Status.REJECTED,
    )
]


class MoveForm(forms.Form):
    status = forms.ChoiceField(label=_("下一步"), choices=MOVE_CHOICES)
    scheduled_at = forms.DateTimeField(
        label=_("时间"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    link = forms.URLField(label=_("线上链接"), required=False, assume_scheme="https")
    note = forms.CharField(label=_("给毕业生的说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class SignForm(forms.Form):
    password = forms.CharField(label=_("登录密码"), widget=forms.PasswordInput, help_text=_("签署前请再次输入密码"))
    text_sha256 = forms.CharField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(label=_("我已阅读并同意协议全部内容"))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class AmendForm(forms.Form):
    extra = forms.CharField(
        label=_("其他约定"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ImportForm(forms.Form):
    feed = forms.CharField(label=_("渠道名称"), max_length=60)
    file = forms.FileField(label=_("文件"), help_text=_("CSV、Excel（.xlsx）或 JobPosting JSON"))
    campus = forms.BooleanField(label=_("作为本校校园招聘岗位导入"), required=False)


class RosterForm(forms.Form):
    file = forms.FileField(
        label=_("毕业生名单"), help_text=_("CSV 或 Excel（.xlsx），列：学号、姓名、毕业年份、专业、学科门类、学历")
    )


class ShareForm(ChooserFormMixin, forms.Form):
    university = ChooserField(source="universities", label=_("共享给高校"), required=False)
    region_code = ChooserField(source="regions", label=_("或共享给地区"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not (data.get("university") or data.get("region_code")):
            raise forms.ValidationError(_("请选择要共享给的高校或地区"))
        return data


class RegionFilterForm(ChooserFormMixin, forms.Form):
    """The place filter of the job search (the other filters are parsed with the query)."""

    region = ChooserField(source="regions", label=_("地区"), required=False)


class SavedSearchForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=60, required=False)
    query = forms.CharField(max_length=500, required=False, widget=forms.HiddenInput)
