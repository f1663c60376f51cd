"""How an accepted submission of the expert review engine enters the library.

The review engine (``reviews``) validates a submission's metadata with :class:`CaseIntakeForm` when the teacher
submits, and calls :func:`accept_case_submission` when the decision is "accept" with the 入库编号 it drew. The demo
loader makes its cases through the same function, so a demo case is what an accepted one is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijiao.core.params import control_characters_message, has_control_characters

from .categories import PROFESSIONAL_DEGREES
from .models import CaseType

LIST_MAX = 10
ITEM_MAX = 30
FIRST_YEAR = 2000
_SEPARATORS = re.compile(r"[,，;；、\n]+")


def _plain(value: str) -> str:
    if has_control_characters(value):
        raise ValidationError(control_characters_message(), code="control_characters")
    return value


class TermListField(forms.Field):
    """A list of short terms: a JSON list, or one string split at commas, 、, semicolons or new lines."""

    default_error_messages = {
        "invalid": gettext_lazy("请用逗号或顿号分隔各项"),
        "too_many": gettext_lazy("最多 %(n)d 项"),
        "too_long": gettext_lazy("每项不超过 %(n)d 个字"),
    }

    def __init__(self, *, max_items: int = LIST_MAX, **kwargs: Any) -> None:
        self.max_items = max_items
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[str]:
        if value in (None, ""):
            return []
        if isinstance(value, str):
            items: Iterable[Any] = _SEPARATORS.split(value)
        elif isinstance(value, list | tuple):
            items = value
        else:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        terms: list[str] = []
        for item in items:
            if not isinstance(item, str):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            term = _plain(item.strip())
            if term and term not in terms:
                terms.append(term)
        return terms

    def validate(self, value: list[str]) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")
        if len(value) > self.max_items:
            raise ValidationError(self.error_messages["too_many"] % {"n": self.max_items}, code="too_many")
        if any(len(term) > ITEM_MAX for term in value):
            raise ValidationError(self.error_messages["too_long"] % {"n": ITEM_MAX}, code="too_long")


class CaseIntakeForm(forms.Form):
    """A case submission's metadata: what the library files the case under once it is accepted."""

    category = forms.ChoiceField(
        label=gettext_lazy("专业学位类别"), choices=[(code, f"{code} {name}") for code, name in PROFESSIONAL_DEGREES]
    )
    case_type = forms.ChoiceField(label=gettext_lazy("案例类型"), choices=CaseType.choices)
    field = forms.CharField(label=gettext_lazy("领域/行业"), max_length=40)
    keywords = TermListField(label=gettext_lazy("关键词"), required=True)
    applicable_courses = TermListField(label=gettext_lazy("适用课程"), required=True)
    knowledge_points = TermListField(label=gettext_lazy("知识点"), required=False)
    year = forms.IntegerField(label=gettext_lazy("年份"), min_value=FIRST_YEAR)
    body = forms.CharField(
        label=gettext_lazy("案例正文（小微案例）"), required=False, max_length=8000, widget=forms.Textarea
    )

    def clean_field(self) -> str:
        return _plain(self.cleaned_data["field"].strip())

    def clean_year(self) -> int:
        year = int(self.cleaned_data["year"])
        if year > timezone.localdate().year:
            raise ValidationError(_("年份不能晚于今年"), code="future")
        return year

    def clean_body(self) -> str:
        return _plain(self.cleaned_data.get("body", "").strip())


def clean_metadata(metadata: Mapping[str, Any]) -> dict[str, Any]:
    """The submission's metadata as :class:`CaseIntakeForm` cleans it; ``ValidationError`` by field otherwise."""
    form = CaseIntakeForm(data=dict(metadata))
    if not form.is_valid():
        raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
    return form.cleaned_data


def accept_case_submission(*, submission: Any, accession_no: str) -> None:
    """Creates the Case from an accepted submission. Reads submission.title, .abstract, .metadata (validated by
    CaseIntakeForm), .applicant (User), .organization, .authors (ordered iterable, each with .name and
    .organization), .attachments (each with .role in {"full_text","teaching_note","video","other"}, .file,
    .original_name)."""
    from .services import case_create_from_submission

    case_create_from_submission(submission=submission, accession_no=accession_no)
