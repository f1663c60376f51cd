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
