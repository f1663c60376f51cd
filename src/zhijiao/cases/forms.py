"""Teachers' forms of the case library: a new 案例集, adding a case to one."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijiao.core.actors import Actor, signed_in

from .models import CaseCollection


def _runs_taught(actor: Actor) -> Any:
    from zhijiao.courses.models import Run, RunStaff

    if not signed_in(actor):
        return Run.objects.none()
    taught = RunStaff.objects.filter(user=actor).values("run_id")
    return Run.objects.filter(pk__in=taught).select_related("course").order_by("-starts_at")


def _run_label(run: Any) -> str:
    return f"{run.course.title} · {run.title}"


class CollectionForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("案例集名称"), max_length=100)
    description = forms.CharField(
        label=gettext_lazy("说明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    run: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=gettext_lazy("面向的班级（开课）"), queryset=None, required=False, empty_label=gettext_lazy("不限")
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        run_field: forms.ModelChoiceField[Any] = self.fields["run"]  # type: ignore[assignment]
        run_field.queryset = _runs_taught(actor)
        run_field.label_from_instance = _run_label  # type: ignore[method-assign,assignment]


class CollectionAddForm(forms.Form):
    collection: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=gettext_lazy("加入案例集"), queryset=None, required=False, empty_label=gettext_lazy("新建案例集")
    )
    new_title = forms.CharField(label=gettext_lazy("新案例集名称"), max_length=100, required=False)
    note = forms.CharField(label=gettext_lazy("教师提示"), max_length=200, required=False)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: forms.ModelChoiceField[Any] = self.fields["collection"]  # type: ignore[assignment]
        field.queryset = (
            CaseCollection.objects.filter(owner=actor) if signed_in(actor) else CaseCollection.objects.none()
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("collection") is None and not (data.get("new_title") or "").strip():
            raise ValidationError(_("请选择一个案例集，或填写新案例集的名称"))
        return data
