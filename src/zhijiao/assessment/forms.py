"""The teachers' question forms: one form whose fields follow the question's type (the same flat fields the Excel
template has), the bank's filters, and the import form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from .models import Difficulty
from .question_types import FILE_FORMATS, Grading, QuestionType, Scoring, question_types


def stem_html(text: str) -> str:
    """What a teacher typed in a stem or explanation box: HTML as is (it is sanitised when saved), plain text as
    one paragraph per line."""
    if "<" in text and ">" in text:
        return text
    return "".join(f"<p>{escape(line.strip())}</p>" for line in text.splitlines() if line.strip())


class QuestionForm(forms.Form):
    stem = forms.CharField(label=_("题干"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000)
    options = forms.CharField(
        label=_("选项"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("每行一个选项，依次为 A、B、C……"),
    )
    answer = forms.CharField(label=_("答案"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    scoring = forms.ChoiceField(label=_("评分方式"), choices=[], required=False)
    any_order = forms.BooleanField(label=_("各空答案顺序不限"), required=False)
    formats = forms.MultipleChoiceField(
        label=_("允许的文件格式"),
        choices=[(item, item.upper()) for item in FILE_FORMATS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    rubric = forms.CharField(
        label=_("评分标准"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一条，写作“要点|分值”；合计应等于分值。"),
    )
    grading = forms.ChoiceField(label=_("评分方式"), choices=[], required=False)
    points = forms.DecimalField(label=_("分值"), min_value=0, max_value=1000, decimal_places=2, initial=2)
    difficulty = forms.TypedChoiceField(
        label=_("难度"), choices=Difficulty.choices, coerce=int, initial=Difficulty.MEDIUM
    )
    tags = forms.CharField(label=_("标签"), required=False, max_length=400, help_text=_("多个用逗号分隔"))
    knowledge_points = forms.CharField(label=_("知识点"), required=False, max_length=400, help_text=_("多个用逗号分隔"))
    explanation = forms.CharField(label=_("解析"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    note = forms.CharField(label=_("修改说明"), required=False, max_length=200)

    # Fields a service names that this form spells otherwise.
    error_labels = {"blanks": _("答案"), "reference": _("答案"), "data": _("答案"), "type": _("题型")}

    ANSWER_HELP = {
        "single": _("填一个选项字母，如 B。"),
        "multiple": _("填全部正确选项的字母，如 ACD。"),
        "truefalse": _("填“对”或“错”。"),
        "fill": _("每空之间用“；”分隔，同一空的多个可接受答案用“|”分隔，如：北京|北京市；上海。"),
        "short": _("参考答案（评分时给教师或互评的同学看），可空。"),
        "essay": _("参考答案（评分时给教师或互评的同学看），可空。"),
        "file": _("对上传文件的要求或参考答案，可空。"),
    }

    def __init__(self, *args: Any, kind: QuestionType, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        for name, labels in (("scoring", Scoring.LABELS), ("grading", Grading.LABELS)):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = list(labels.items())
        self.fields["answer"].help_text = self.ANSWER_HELP.get(kind.name, "")
        if kind.name == "truefalse":
            self.fields["answer"] = forms.ChoiceField(label=_("答案"), choices=[("对", _("对")), ("错", _("错"))])
        for name in ("options", "answer", "scoring", "any_order", "formats", "rubric", "grading"):
            if name not in kind.fields:
                del self.fields[name]
        if kind.name in ("single", "multiple"):
            self.fields["options"].required = True
            self.fields["answer"].required = True
        if kind.name == "fill":
            self.fields["answer"].required = True
        if not editing:
            del self.fields["note"]

    def flat(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "options": data.get("options", ""),
            "answer": data.get("answer", ""),
            "scoring": data.get("scoring", ""),
            "any_order": data.get("any_order", False),
            "formats": ",".join(data.get("formats") or []),
            "rubric": data.get("rubric", ""),
            "grading": data.get("grading", ""),
        }

    def service_fields(self, data: dict[str, Any]) -> dict[str, Any]:
        cleaned = self.cleaned_data
        return {
            "type": self.kind.name,
            "stem": stem_html(cleaned["stem"]),
            "data": data,
            "points": cleaned["points"],
            "explanation": stem_html(cleaned.get("explanation", "")),
            "tags": cleaned.get("tags", ""),
            "knowledge_points": cleaned.get("knowledge_points", ""),
            "difficulty": cleaned["difficulty"],
        }

    @classmethod
    def initial_for(cls, kind: QuestionType, version: Any) -> dict[str, Any]:
        flat = kind.to_flat(version.data)
        initial = {
            "stem": version.stem,
            "points": version.points,
            "difficulty": version.difficulty,
            "tags": "，".join(version.tags),
            "knowledge_points": "，".join(version.knowledge_points),
            "explanation": version.explanation,
            **flat,
        }
        if "options" in flat:
            initial["options"] = "\n".join(flat["options"])
        if "formats" in flat:
            initial["formats"] = [item for item in flat["formats"].split(",") if item]
        return initial


class BankFilterForm(forms.Form):
    type = forms.ChoiceField(label=_("题型"), required=False)
    tag = forms.CharField(label=_("标签"), required=False, max_length=30)
    knowledge_point = forms.CharField(label=_("知识点"), required=False, max_length=30)
    difficulty = forms.TypedChoiceField(
        label=_("难度"), required=False, coerce=int, empty_value=None,
        choices=[("", _("全部难度")), *Difficulty.choices],
    )  # fmt: skip
    text = forms.CharField(label=_("题干包含"), required=False, max_length=50)
    archived = forms.BooleanField(label=_("只看已归档"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        type_field = self.fields["type"]
        assert isinstance(type_field, forms.ChoiceField)
        type_field.choices = [("", _("全部题型")), *((t.name, t.label) for t in question_types())]


class ImportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("文件格式"), choices=[("xlsx", _("Excel（按模板填写）")), ("qti", _("QTI 3.0 内容包或题目"))]
    )
    file = forms.FileField(label=_("文件"))
