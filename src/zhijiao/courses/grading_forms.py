"""Forms of the grading pages: a run's grading policy (rows of categories and unlock rules) and a teacher's override
of one score. They only parse what people type; the rules live in ``grading.parse_policy`` and
``services.grading``, and come back as field errors named like these fields (``categories.2.weight``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .grading import GradingPolicy

CATEGORY_ROWS = 6
RULE_ROWS = 3
CATEGORY_FIELDS = ("key", "label", "weight", "drop_lowest")
RULE_FIELDS = ("target", "condition", "category", "at_least")


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


class GradingPolicyForm(forms.Form):
    """The policy as rows: up to six categories (blank rows are left out) and up to three unlock rules."""

    pass_line = forms.DecimalField(label=_("合格线（%）"), max_digits=5, decimal_places=2)
    excellent_line = forms.DecimalField(label=_("优秀线（%）"), max_digits=5, decimal_places=2)

    def __init__(self, *args: Any, policy: GradingPolicy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for index in range(CATEGORY_ROWS):
            prefix = f"categories.{index}"
            self.fields[f"{prefix}.key"] = forms.CharField(label=_("标识"), max_length=32, required=False)
            self.fields[f"{prefix}.label"] = forms.CharField(label=_("类别名称"), max_length=40, required=False)
            self.fields[f"{prefix}.weight"] = forms.CharField(label=_("权重（%）"), max_length=8, required=False)
            self.fields[f"{prefix}.drop_lowest"] = forms.CharField(
                label=_("去掉最低分个数"), max_length=3, required=False
            )
        for index in range(RULE_ROWS):
            prefix = f"unlock.{index}"
            self.fields[f"{prefix}.target"] = forms.CharField(label=_("解锁对象"), max_length=40, required=False)
            self.fields[f"{prefix}.condition"] = forms.ChoiceField(
                label=_("条件"),
                required=False,
                choices=[("", "—"), ("completion", _("完成比例达到")), ("category", _("某类别成绩达到"))],
            )
            self.fields[f"{prefix}.category"] = forms.CharField(label=_("条件类别"), max_length=32, required=False)
            self.fields[f"{prefix}.at_least"] = forms.CharField(label=_("不低于（%）"), max_length=8, required=False)
        self.initial.update(self.initial_of(policy))
        self._categories: list[int] = []
        self._rules: list[int] = []

    @staticmethod
    def initial_of(policy: GradingPolicy) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "pass_line": _number(policy.pass_line),
            "excellent_line": _number(policy.excellent_line),
        }
        for index, category in enumerate(policy.categories[:CATEGORY_ROWS]):
            initial[f"categories.{index}.key"] = category.key
            initial[f"categories.{index}.label"] = category.label
            initial[f"categories.{index}.weight"] = _number(category.weight)
            initial[f"categories.{index}.drop_lowest"] = str(category.drop_lowest)
        for index, rule in enumerate(policy.unlock[:RULE_ROWS]):
            initial[f"unlock.{index}.target"] = rule.target
            initial[f"unlock.{index}.condition"] = rule.condition
            initial[f"unlock.{index}.category"] = rule.category
            initial[f"unlock.{index}.at_least"] = _number(rule.at_least)
        return initial

    def category_rows(self) -> list[list[Any]]:
        return [[self[f"categories.{i}.{name}"] for name in CATEGORY_FIELDS] for i in range(CATEGORY_ROWS)]

    def rule_rows(self) -> list[list[Any]]:
        return [[self[f"unlock.{i}.{name}"] for name in RULE_FIELDS] for i in range(RULE_ROWS)]

    def policy_data(self) -> dict[str, Any]:
        """The document the service checks; blank rows are left out (and remembered, to name errors by row)."""
        data = self.cleaned_data
        categories, rules = [], []
        self._categories, self._rules = [], []
        for index in range(CATEGORY_ROWS):
            row = {name: (data.get(f"categories.{index}.{name}") or "").strip() for name in CATEGORY_FIELDS}
            if not any(row.values()):
                continue
            row["drop_lowest"] = row["drop_lowest"] or "0"
            categories.append(row)
            self._categories.append(index)
        for index in range(RULE_ROWS):
            row = {name: (data.get(f"unlock.{index}.{name}") or "").strip() for name in RULE_FIELDS}
            if not any(row.values()):
                continue
            rules.append(row)
            self._rules.append(index)
        return {
            "categories": categories,
            "pass_line": str(data["pass_line"]),
            "excellent_line": str(data["excellent_line"]),
            "unlock": rules,
        }

    @contextmanager
    def rows_named(self) -> Iterator[None]:
        """The service names a row by its place among the filled rows; name it by the row on screen."""
        try:
            yield
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                raise
            renamed: dict[str, Any] = {}
            for key, messages in exc.message_dict.items():
                parts = key.split(".")
                if len(parts) == 3 and parts[1].isdigit():
                    rows = self._categories if parts[0] == "categories" else self._rules
                    position = int(parts[1])
                    if position < len(rows):
                        key = f"{parts[0]}.{rows[position]}.{parts[2]}"
                renamed[key] = messages
            raise ValidationError(renamed) from None


class OverrideForm(forms.Form):
    """A teacher sets one learner's score on one assessment, with a reason."""

    content_id = forms.ChoiceField(label=_("测评"))
    earned = forms.DecimalField(label=_("得分"), min_value=0, max_digits=7, decimal_places=2)
    reason = forms.CharField(
        label=_("调整理由"), max_length=200, min_length=2, help_text=_("记入操作日志，学习者可见调整后的分数")
    )

    def __init__(self, *args: Any, items: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["content_id"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(item.content_id), f"{item.category_label} · {item.title}") for item in items]
