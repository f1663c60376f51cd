"""The forms of the grading and peer review pages: one score box per rubric criterion (or one score box when the
question has no rubric) and a comment. They only carry text; ``services.review`` checks every value, so the page and
the API refuse the same things with the same messages (keys ``scores.<n>``, ``score``, ``feedback``/``comment``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import AttemptItem, ItemStatus
from .selectors import QUEUE_STATUSES, rubric_of
from .services import FEEDBACK_MAX


class ScoreForm(forms.Form):
    """Scores against an item's rubric, and a comment (``comment_field``: ``feedback`` for the teaching team,
    ``comment`` for a peer)."""

    def __init__(self, *args: Any, item: AttemptItem, comment_field: str = "feedback", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rubric = rubric_of(item)
        self.comment_field = comment_field
        for index, criterion in enumerate(self.rubric):
            label = _("%(criterion)s（0–%(points)s 分）") % {
                "criterion": criterion["criterion"],
                "points": _number(criterion["points"]),
            }
            self.fields[f"scores.{index}"] = forms.CharField(
                label=label,
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": "6"}),
            )
        if not self.rubric:
            self.fields["score"] = forms.CharField(
                label=_("得分（0–%(points)s 分）") % {"points": _number(item.points)},
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": "6"}),
            )
        self.fields[comment_field] = forms.CharField(
            label=_("评语"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 5, "maxlength": FEEDBACK_MAX}),
            help_text=_("纯文本，最多 %(n)d 字") % {"n": FEEDBACK_MAX},
        )

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "scores": [data.get(f"scores.{index}", "") for index in range(len(self.rubric))] if self.rubric else None,
            "score": data.get("score"),
            self.comment_field: data.get(self.comment_field, ""),
        }


def _number(value: Any) -> str:
    return format(value.normalize(), "f")


STATUS_LABELS = {
    "waiting": gettext_lazy("全部待批阅"),
    ItemStatus.STAFF: gettext_lazy("待教师批阅"),
    ItemStatus.PEER: gettext_lazy("互评逾期"),
    ItemStatus.GRADED: gettext_lazy("已批阅"),
}


class QueueFilterForm(forms.Form):
    content_id = forms.ChoiceField(label=gettext_lazy("测评"), required=False)
    status = forms.ChoiceField(
        label=gettext_lazy("状态"), required=False, choices=[(key, STATUS_LABELS[key]) for key in QUEUE_STATUSES]
    )

    def __init__(self, *args: Any, assessments: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["content_id"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("全部")), *assessments]
