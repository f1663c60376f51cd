"""Forms of the run management pages (开课管理). They only parse what people type; the rules (dates in order, a
SPOC's university, staff who exist and are not on the run yet) live in ``services.teaching`` and come back as field
errors named like these fields."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhijiao.core.choosers import ChooserField, ChooserFormMixin

from .models import Run, TeamRole

MOMENT = "%Y-%m-%dT%H:%M"


def moment_field(label: Any, *, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=MOMENT),
        error_messages={"invalid": _("请输入正确的日期和时间，如 2026-09-01 08:00")},
    )


def percent(share: Decimal) -> Decimal | int:
    """A 0–1 share as the percentage people type: 80, or 62.5 (never 8E+1)."""
    value = Decimal(share) * 100
    return int(value) if value == value.to_integral_value() else value.quantize(Decimal("0.1"))


class RunForm(ChooserFormMixin, forms.Form):
    """A run's settings, for opening one and for changing it."""

    title = forms.CharField(label=_("名称"), max_length=60, help_text=_("如“2026 秋季学期”"))
    kind = forms.ChoiceField(label=_("类型"), choices=Run.Kind.choices, widget=forms.RadioSelect)
    university_id = ChooserField(
        source="universities",
        label=_("限本校学生（校内课）"),
        required=False,
    )
    join_code = forms.CharField(
        label=_("选课码"),
        max_length=16,
        required=False,
        help_text=_("校内课可设：4–16 位字母或数字；名单中的学生不需要选课码"),
    )
    enrol_opens_at = moment_field(_("选课开始"))
    enrol_closes_at = moment_field(_("选课截止"))
    starts_at = moment_field(_("开课时间"))
    ends_at = moment_field(_("结课时间"))
    certificate_completion = forms.DecimalField(
        label=_("获得证书所需完成比例（%）"),
        min_value=0,
        max_value=100,
        max_digits=4,
        decimal_places=1,
        initial=80,
        help_text=_("学习者完成课程内容的比例达到此值，结课时获得证书"),
    )

    @staticmethod
    def initial_of(run: Run) -> dict[str, Any]:
        local = timezone.localtime
        return {
            "title": run.title,
            "kind": run.kind,
            "university_id": run.university_id,
            "join_code": run.join_code,
            "enrol_opens_at": local(run.enrol_opens_at),
            "enrol_closes_at": local(run.enrol_closes_at),
            "starts_at": local(run.starts_at),
            "ends_at": local(run.ends_at),
            "certificate_completion": percent(run.certificate_completion),
        }

    def run_data(self) -> dict[str, Any]:
        """The cleaned values as the services name them (the share as 0–1)."""
        data = dict(self.cleaned_data)
        data["university"] = data.pop("university_id")
        data["certificate_completion"] = Decimal(data["certificate_completion"]) / 100
        return data


class ScheduleForm(forms.Form):
    """One release time per chapter, named by the chapter's content id; blank: opens when the run starts."""

    def __init__(self, *args: Any, chapters: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for chapter in chapters:
            field = moment_field(chapter["title"], required=False)
            if not chapter["published"]:
                field.help_text = _("尚未发布")
            self.fields[chapter["content_id"]] = field
            if chapter["opens_at"] is not None:
                self.initial[chapter["content_id"]] = timezone.localtime(chapter["opens_at"])


class StaffForm(forms.Form):
    phone = forms.CharField(label=_("手机号码"), max_length=20, help_text=_("对方在平台注册时使用的手机号码"))
    role = forms.ChoiceField(label=_("角色"), choices=TeamRole.choices, initial=TeamRole.TEACHER)


class RosterForm(forms.Form):
    file = forms.FileField(label=_("名单文件"), help_text=_("CSV 或 Excel（.xlsx），含“学号”“姓名”两列"))


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=120)
    body = forms.CharField(label=_("正文"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
