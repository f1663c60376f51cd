"""Forms of the study-abroad services: each service's own fields (the schema of ``Application.data``), document
uploads, the officer's decision, bulk decisions and the queue filters.

A service form validates both page posts and API JSON; the services call it, so there is one set of rules.
Drafts are saved with every field optional (formats are still checked); submitting checks them all.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhijiao.core.params import parse_ids

from .models import Service, Status

DEGREES = [
    ("associate", _("副学士")),
    ("bachelor", _("学士")),
    ("master", _("硕士")),
    ("doctor", _("博士")),
    ("other", _("其他")),
]
DISPATCH_LEVELS = [
    ("phd", _("攻读博士学位")),
    ("joint_phd", _("联合培养博士")),
    ("master", _("攻读硕士学位")),
    ("visiting", _("访问学者")),
    ("postdoc", _("博士后")),
]
GENDERS = [("M", _("男")), ("F", _("女"))]
DATE_WIDGET = forms.DateInput(attrs={"type": "date"})


def _date_field(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=DATE_WIDGET, **kwargs)


class ServiceForm(forms.Form):
    """The fields of one service; ``stages`` says which fields belong to which stage of the application."""

    stages: ClassVar[dict[int, tuple[str, ...]]] = {}
    # Pairs of date fields that must be in order (earlier, later), with the message when they are not.
    ordered_dates: ClassVar[tuple[tuple[str, str, Any], ...]] = ()
    past_dates: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *args: Any, stage: int = 1, partial: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keep = set(self.stages.get(stage, ()))
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if partial:
            for form_field in self.fields.values():
                form_field.required = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for earlier, later, message in self.ordered_dates:
            first, second = cleaned.get(earlier), cleaned.get(later)
            if first and second and second < first:
                self.add_error(later, message)
        today = timezone.localdate()
        for name in self.past_dates:
            value = cleaned.get(name)
            if value and value > today:
                self.add_error(name, _("日期不能晚于今天"))
        return cleaned

    def to_data(self) -> dict[str, Any]:
        """The cleaned values as JSON: dates in ISO form; empty values left out."""
        data: dict[str, Any] = {}
        for name, value in self.cleaned_data.items():
            if value is None or value == "":
                continue
            data[name] = value.isoformat() if isinstance(value, date) else value
        return data

    @classmethod
    def all_fields(cls) -> dict[str, forms.Field]:
        return dict(cls.base_fields)

    @classmethod
    def display(cls, data: dict[str, Any]) -> list[tuple[str, str]]:
        """(label, value) of every filled field, in the form's order, choices shown by their labels."""
        rows = []
        for name, form_field in cls.base_fields.items():
            value = data.get(name)
            if value in (None, ""):
                continue
            choices = dict(getattr(form_field, "choices", []) or [])
            shown = choices.get(value, value) if choices else value
            rows.append((str(form_field.label), str(shown)))
        return rows


class DegreeForm(ServiceForm):
    country = forms.CharField(label=_("国家（地区）"), max_length=50)
    institution = forms.CharField(label=_("颁证院校"), max_length=150)
    degree = forms.ChoiceField(label=_("学位"), choices=DEGREES)
    major = forms.CharField(label=_("专业"), max_length=100)
    study_start = _date_field(_("入学时间"))
    study_end = _date_field(_("毕业时间"))
    awarded_on = _date_field(_("学位授予日期"))

    stages: ClassVar[dict[int, tuple[str, ...]]] = {
        1: ("country", "institution", "degree", "major", "study_start", "study_end", "awarded_on")
    }
    ordered_dates: ClassVar[tuple[tuple[str, str, Any], ...]] = (
        ("study_start", "study_end", _("毕业时间不能早于入学时间")),
        ("study_start", "awarded_on", _("学位授予日期不能早于入学时间")),
    )
    past_dates: ClassVar[tuple[str, ...]] = ("study_start", "study_end", "awarded_on")


class DispatchForm(ServiceForm):
    program = forms.CharField(label=_("选派项目"), max_length=100, help_text=_("如：国家建设高水平大学公派研究生项目"))
    selection_year = forms.IntegerField(label=_("选派年度"), min_value=2000, max_value=2100)
    award_number = forms.CharField(label=_("录取文号"), max_length=50)
    study_level = forms.ChoiceField(label=_("留学身份"), choices=DISPATCH_LEVELS)
    host_country = forms.CharField(label=_("留学国家（地区）"), max_length=50)
    funding_months = forms.IntegerField(label=_("资助期限（月）"), min_value=1, max_value=72)
    host_institution = forms.CharField(label=_("留学单位"), max_length=150)
    visa_type = forms.CharField(label=_("签证类型"), max_length=30)
    departure_date = _date_field(_("拟出境日期"))
    study_plan = forms.CharField(label=_("留学研修计划"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))

    stages: ClassVar[dict[int, tuple[str, ...]]] = {
        1: ("program", "selection_year", "award_number", "study_level", "host_country", "funding_months"),
        2: ("host_institution", "visa_type", "departure_date", "study_plan"),
    }


class ArchiveForm(ServiceForm):
    gender = forms.ChoiceField(label=_("性别"), choices=GENDERS)
    birth_date = _date_field(_("出生日期"))
    phone = forms.RegexField(
        label=_("联系电话"), regex=r"^1[3-9]\d{9}$", error_messages={"invalid": _("请输入有效的手机号码")}
    )
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    destination_country = forms.CharField(label=_("留学国家（地区）"), max_length=50)
    institution = forms.CharField(label=_("录取院校"), max_length=150)
    program = forms.CharField(label=_("录取专业"), max_length=100)
    start_date = _date_field(_("入学时间"))
    archive_from = forms.CharField(label=_("档案现存单位"), max_length=150)

    stages: ClassVar[dict[int, tuple[str, ...]]] = {
        1: (
            "gender",
            "birth_date",
            "phone",
            "email",
            "destination_country",
            "institution",
            "program",
            "start_date",
            "archive_from",
        )
    }
    past_dates: ClassVar[tuple[str, ...]] = ("birth_date",)


class ReturneeForm(ServiceForm):
    country = forms.CharField(label=_("留学国家（地区）"), max_length=50)
    institution = forms.CharField(label=_("留学院校"), max_length=150)
    degree = forms.ChoiceField(label=_("所获学位"), choices=DEGREES)
    major = forms.CharField(label=_("专业"), max_length=100)
    study_start = _date_field(_("出国留学时间"))
    study_end = _date_field(_("学业结束时间"))
    return_date = _date_field(_("回国日期"))
    intended_city = forms.CharField(label=_("意向就业城市"), max_length=50)
    intended_employer = forms.CharField(label=_("意向就业单位"), max_length=150, required=False)

    stages: ClassVar[dict[int, tuple[str, ...]]] = {
        1: (
            "country",
            "institution",
            "degree",
            "major",
            "study_start",
            "study_end",
            "return_date",
            "intended_city",
            "intended_employer",
        )
    }
    ordered_dates: ClassVar[tuple[tuple[str, str, Any], ...]] = (
        ("study_start", "study_end", _("学业结束时间不能早于出国留学时间")),
        ("study_start", "return_date", _("回国日期不能早于出国留学时间")),
    )
    past_dates: ClassVar[tuple[str, ...]] = ("study_start", "return_date")


SERVICE_FORMS: dict[str, type[ServiceForm]] = {
    Service.DEGREE: DegreeForm,
    Service.DISPATCH: DispatchForm,
    Service.ARCHIVE: ArchiveForm,
    Service.RETURNEE: ReturneeForm,
}


# --- Documents and decisions ---------------------------------------------------------------------------------


class DocumentForm(forms.Form):
    """Upload one document; the service checks the file's size and type by its content."""

    kind = forms.ChoiceField(label=_("材料类型"))
    file = forms.FileField(label=_("文件"), help_text=_("PDF、JPEG 或 PNG，最大 10 MB"))

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    action = forms.ChoiceField(label=_("办理结果"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("办理意见"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("不通过或要求补充材料时必填，申请人会看到。"),
    )

    def __init__(self, *args: Any, actions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = actions  # type: ignore[attr-defined]


class BulkForm(forms.Form):
    ids = forms.TypedMultipleChoiceField(label=_("选中的申请"), coerce=int, choices=[])
    action = forms.ChoiceField(
        label=_("批量操作"),
        choices=[
            ("receive", _("受理")),
            ("approve", _("通过")),
            ("request_documents", _("要求补充材料")),
            ("reject", _("不通过")),
        ],
    )
    reason = forms.CharField(label=_("办理意见"), required=False, max_length=1000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any id may be posted; the service checks each one and says which failed.
        raw = self.data.getlist("ids") if hasattr(self.data, "getlist") else self.data.get("ids", [])
        self.fields["ids"].choices = [(str(value), str(value)) for value in parse_ids(raw)]  # type: ignore[attr-defined]


class QueueFilterForm(forms.Form):
    service = forms.ChoiceField(label=_("服务事项"), choices=[("", _("全部事项")), *Service.choices], required=False)
    status = forms.ChoiceField(
        label=_("状态"),
        choices=[("", _("待办理")), ("all", _("全部状态")), *[c for c in Status.choices if c[0] != Status.DRAFT]],
        required=False,
    )
    submitted_from = _date_field(_("提交日期从"), required=False)
    submitted_to = _date_field(_("至"), required=False)
    q = forms.CharField(label=_("申请人姓名"), max_length=50, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, last = cleaned.get("submitted_from"), cleaned.get("submitted_to")
        if first and last and last < first:
            self.add_error("submitted_to", _("结束日期不能早于开始日期"))
        return cleaned
