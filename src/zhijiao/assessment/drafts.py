"""A question as written, before it is stored: every field checked the same way whether it came from the page's
form, the API, a spreadsheet row or a QTI item (``prepare_draft``)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from .models import Difficulty
from .question_types import _decimal, get_type, sanitise_rich_text

MAX_TAGS = 10
MAX_TAG_LENGTH = 30
STEM_MAX = 20000
SUMMARY_LENGTH = 120


@dataclass(frozen=True)
class QuestionDraft:
    type: str
    stem: str
    data: dict[str, Any]
    points: Decimal
    explanation: str = ""
    tags: list[str] = field(default_factory=list)
    knowledge_points: list[str] = field(default_factory=list)
    difficulty: int = Difficulty.MEDIUM
    identifier: uuid.UUID | None = None

    @property
    def summary(self) -> str:
        text = " ".join(strip_tags(self.stem).split())
        return text[: SUMMARY_LENGTH - 1] + "…" if len(text) > SUMMARY_LENGTH else text


def clean_labels(values: Iterable[str] | str, field_name: str) -> list[str]:
    """Tags or knowledge points: trimmed, without repeats, at most ten of thirty characters."""
    if isinstance(values, str):
        values = values.replace("，", ",").replace("、", ",").replace("；", ",").replace(";", ",").split(",")
    cleaned = list(dict.fromkeys(str(value).strip() for value in values if value and str(value).strip()))
    if len(cleaned) > MAX_TAGS:
        raise ValidationError({field_name: [_("最多 %(n)d 个") % {"n": MAX_TAGS}]})
    if any(len(value) > MAX_TAG_LENGTH for value in cleaned):
        raise ValidationError({field_name: [_("每个不能超过 %(n)d 个字") % {"n": MAX_TAG_LENGTH}]})
    if any("|" in value for value in cleaned):
        raise ValidationError({field_name: [_("不能含有“|”")]})
    return cleaned


DIFFICULTY_WORDS = {
    "易": 1, "较易": 2, "中": 3, "较难": 4, "难": 5,
    "easy": 1, "fairly easy": 2, "medium": 3, "fairly hard": 4, "hard": 5,
}  # fmt: skip


def clean_difficulty(value: Any) -> int:
    """1–5, or the words 易 / 较易 / 中 / 较难 / 难."""
    if isinstance(value, str):
        text = value.strip().lower()
        if text in DIFFICULTY_WORDS:
            return DIFFICULTY_WORDS[text]
        value = text
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= 5:
        raise ValidationError({"difficulty": [_("难度为 1–5，或“易、较易、中、较难、难”")]})
    return number


def prepare_draft(
    *,
    type: str,
    stem: str,
    data: Mapping[str, Any],
    points: Any,
    explanation: str = "",
    tags: Iterable[str] | str = (),
    knowledge_points: Iterable[str] | str = (),
    difficulty: Any = Difficulty.MEDIUM,
    identifier: uuid.UUID | None = None,
) -> QuestionDraft:
    """The question checked field by field; a ``ValidationError`` names every wrong field at once."""
    errors: dict[str, list[str]] = {}

    def attempt(name: str, check: Any) -> Any:
        try:
            return check()
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                errors.setdefault(key if key != "__all__" else name, []).extend(messages)
            return None

    question_type = get_type(type)
    if question_type is None:
        raise ValidationError({"type": [_("没有这种题型")]})
    cleaned_stem = sanitise_rich_text(str(stem or "")).strip()
    if not strip_tags(cleaned_stem).strip():
        errors["stem"] = [_("请填写题干")]
    elif len(cleaned_stem) > STEM_MAX:
        errors["stem"] = [_("不能超过 %(n)d 个字") % {"n": STEM_MAX}]
    cleaned_data = attempt("data", lambda: question_type.clean(data))
    cleaned_points = attempt("points", lambda: _decimal(points, "points"))
    if cleaned_points is not None and cleaned_points <= 0:
        errors["points"] = [_("分值应大于 0")]
    if cleaned_data is not None and cleaned_points is not None:
        total = question_type.max_points(cleaned_data)
        if total is not None and total != cleaned_points:
            errors.setdefault("rubric", []).append(
                _("评分标准合计 %(total)s 分，与分值 %(points)s 分不一致") % {"total": total, "points": cleaned_points}
            )
    cleaned_explanation = sanitise_rich_text(str(explanation or "")).strip()
    if len(cleaned_explanation) > STEM_MAX:
        errors["explanation"] = [_("不能超过 %(n)d 个字") % {"n": STEM_MAX}]
    cleaned_tags = attempt("tags", lambda: clean_labels(tags, "tags"))
    cleaned_points_of_knowledge = attempt(
        "knowledge_points", lambda: clean_labels(knowledge_points, "knowledge_points")
    )
    cleaned_difficulty = attempt("difficulty", lambda: clean_difficulty(difficulty))
    if errors:
        raise ValidationError(errors)
    return QuestionDraft(
        type=question_type.name,
        stem=cleaned_stem,
        data=cleaned_data,
        points=cleaned_points,
        explanation=cleaned_explanation,
        tags=cleaned_tags,
        knowledge_points=cleaned_points_of_knowledge,
        difficulty=cleaned_difficulty,
        identifier=identifier,
    )
