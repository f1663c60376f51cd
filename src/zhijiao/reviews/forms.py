"""Forms of the review pages: they parse; the services check the rules again and say what is wrong."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Criterion


class ReviewForm(forms.Form):
    """One score field per rubric criterion (``score_<id>``, 0 to its maximum), the comment for the applicant and an
    optional note for staff only."""

    comment = forms.CharField(
        label=_("评审意见"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=3000,
        help_text=_("评审结论公布后申报人可以看到（不显示专家姓名）。"),
    )
    confidential_comment = forms.CharField(
        label=_("仅供工作人员的意见"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        scores = {}
        for criterion in criteria:
            scores[f"score_{criterion.pk}"] = forms.DecimalField(
                label=_("%(name)s（满分 %(max)s，权重 %(weight)s）")
                % {"name": criterion.name, "max": criterion.max_score, "weight": criterion.weight},
                help_text=criterion.description,
                # The range is the service's to check (one message, the same in the API); the browser gets it as a hint.
                widget=forms.NumberInput(
                    attrs={"min": "0", "max": str(criterion.max_score), "step": "0.1", "inputmode": "decimal"}
                ),
            )
        self.fields = {**scores, **self.fields}

    def scores(self) -> dict[str, Any]:
        return {str(c.pk): self.cleaned_data.get(f"score_{c.pk}") for c in self.criteria}


class RecuseForm(forms.Form):
    reason = forms.CharField(label=_("回避原因"), max_length=200)


class AppealForm(forms.Form):
    reason = forms.CharField(label=_("申诉理由"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)


class ApplyForm(forms.Form):
    """An entry to a call in one go: the fields every kind has, the kind's metadata (prefixed ``meta``), co-authors
    and one file per required role. The services check each part again."""

    title = forms.CharField(label=_("题目"), max_length=200)
    abstract = forms.CharField(label=_("摘要"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
    field = forms.ChoiceField(label=_("所属领域（一级学科）"))
    coauthors = forms.CharField(
        label=_("其他作者"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一位，按署名顺序：姓名，或“姓名/单位全称”。申报人本人自动列为第一作者。"),
    )

    def __init__(self, *args: Any, roles: list[tuple[str, str]], field_choices: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", "—"), *field_choices]  # type: ignore[attr-defined]
        self.roles = roles
        for role, label in roles:
            self.fields[f"file_{role}"] = forms.FileField(
                label=label, help_text=_("PDF 或 Office 文档；视频为 MP4/WebM")
            )

    def coauthor_rows(self) -> list[tuple[str, str]]:
        """(name, organisation name) per non-empty line."""
        rows = []
        for line in (self.cleaned_data.get("coauthors") or "").splitlines():
            name, _sep, organization = line.strip().partition("/")
            if name.strip():
                rows.append((name.strip(), organization.strip()))
        return rows
