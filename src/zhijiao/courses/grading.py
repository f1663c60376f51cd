"""A run's grading policy (成绩规则) as data: what it holds, how it is checked, and how a learner's scores make a
course grade.

The policy is stored in ``Run.grading_policy`` (JSON) and read through :func:`parse_policy` into the typed
:class:`GradingPolicy`; an empty document is :func:`default_policy`. A policy has

- **categories** (``quiz`` 单元测验 20 %, ``homework`` 单元作业 20 %, ``discussion`` 课堂讨论 10 %, ``exam`` 期末考试
  50 %): a key the score sources name, a label, a weight (the weights add up to 100) and ``drop_lowest`` — how many
  of the category's lowest items do not count;
- **pass lines**: 合格 at ``pass_line`` (60) and 优秀 at ``excellent_line`` (85), in percent of the course grade;
- **unlock rules**: an assessment (a category key, or one assessment's ``content_id``) opens to a learner only when
  a condition holds — their course completion reached ``at_least`` percent (``condition: completion``: "all units
  finished before the final exam opens" is ``{"target": "exam", "condition": "completion", "at_least": 100}``) or
  their percentage in another category did (``condition: category``).

How a grade is computed (:func:`compute_grade`, pure: the same function serves one learner's event and a whole
run's regrade): within a category every assessment the run knows counts, a missing one as zero (the grade is what
the learner would get if the run ended now); the ``drop_lowest`` lowest by percentage are set aside, and the
category's percentage is earned ÷ possible over the rest. The course grade is the weighted mean of the categories
that have at least one assessment (weights of empty categories are shared out among the others, so a run with no
discussion yet is not capped at 90 %).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

HUNDRED = Decimal("100")
PERCENT = Decimal("0.01")
KEY = re.compile(r"[a-z][a-z0-9_]{0,31}")
MAX_CATEGORIES = 12
MAX_RULES = 20


class Level:
    """The course grade's level against the pass lines."""

    FAIL = "fail"
    PASS = "pass"  # noqa: S105 (a grade level, not a password)
    EXCELLENT = "excellent"
    # What certificates print (official Chinese whatever the viewer's language).
    CHINESE = {FAIL: "未合格", PASS: "合格", EXCELLENT: "优秀"}


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    weight: Decimal
    drop_lowest: int = 0


@dataclass(frozen=True)
class UnlockRule:
    """``target`` (a category key or an assessment's content id) opens once ``condition`` reaches ``at_least`` %:
    ``completion`` (the learner's share of the course completed) or ``category`` (their percentage in
    ``category``)."""

    target: str
    condition: str
    at_least: Decimal
    category: str = ""


CONDITIONS = ("completion", "category")


@dataclass(frozen=True)
class GradingPolicy:
    categories: tuple[Category, ...]
    pass_line: Decimal = Decimal("60")
    excellent_line: Decimal = Decimal("85")
    unlock: tuple[UnlockRule, ...] = field(default_factory=tuple)

    def category(self, key: str) -> Category | None:
        return next((category for category in self.categories if category.key == key), None)

    def level_of(self, percent: Decimal) -> str:
        if percent >= self.excellent_line:
            return Level.EXCELLENT
        if percent >= self.pass_line:
            return Level.PASS
        return Level.FAIL

    def as_json(self) -> dict[str, Any]:
        return {
            "categories": [
                {"key": c.key, "label": c.label, "weight": str(c.weight), "drop_lowest": c.drop_lowest}
                for c in self.categories
            ],
            "pass_line": str(self.pass_line),
            "excellent_line": str(self.excellent_line),
            "unlock": [
                {"target": r.target, "condition": r.condition, "at_least": str(r.at_least), "category": r.category}
                for r in self.unlock
            ],
        }


def default_policy() -> GradingPolicy:
    """What a new run starts with: the MOOC platform's usual split, the lowest quiz dropped, the final exam open
    once every unit is finished."""
    return GradingPolicy(
        categories=(
            Category("quiz", "单元测验", Decimal("20"), drop_lowest=1),
            Category("homework", "单元作业", Decimal("20")),
            Category("discussion", "课堂讨论", Decimal("10")),
            Category("exam", "期末考试", Decimal("50")),
        ),
        unlock=(UnlockRule(target="exam", condition="completion", at_least=HUNDRED),),
    )


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _percent(value: Any, errors: dict[str, list[str]], name: str) -> Decimal:
    number = _decimal(value)
    if number is None or not 0 <= number <= 100:
        errors.setdefault(name, []).append(_("应为 0 到 100 之间的数"))
        return Decimal("0")
    return number.quantize(PERCENT)


def parse_policy(data: Mapping[str, Any] | None) -> GradingPolicy:
    """The typed policy of a stored or submitted document; an empty one is the default. Raises ValidationError
    with errors keyed ``categories.<n>.<field>``, ``pass_line``, ``unlock.<n>.<field>`` and so on."""
    if not data:
        return default_policy()
    if not isinstance(data, Mapping):
        raise ValidationError({"categories": [_("成绩规则格式不正确")]})
    errors: dict[str, list[str]] = {}
    raw_categories = data.get("categories")
    if not isinstance(raw_categories, list) or not raw_categories:
        errors["categories"] = [_("至少需要一个成绩类别")]
        raw_categories = []
    elif len(raw_categories) > MAX_CATEGORIES:
        errors["categories"] = [_("成绩类别最多 %(n)d 个") % {"n": MAX_CATEGORIES}]
        raw_categories = []
    categories: list[Category] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_categories):
        prefix = f"categories.{index}"
        raw = raw if isinstance(raw, Mapping) else {}
        key = str(raw.get("key") or "").strip()
        if not KEY.fullmatch(key):
            errors[f"{prefix}.key"] = [_("标识应为小写字母开头的字母、数字或下划线（最多 32 位）")]
        elif key in seen:
            errors[f"{prefix}.key"] = [_("标识重复")]
        seen.add(key)
        label = " ".join(str(raw.get("label") or "").split())
        if not 1 <= len(label) <= 40:
            errors[f"{prefix}.label"] = [_("名称应为 1–40 个字")]
        weight = _percent(raw.get("weight"), errors, f"{prefix}.weight")
        drop = raw.get("drop_lowest", 0)
        if isinstance(drop, str) and drop.strip().isdigit():
            drop = int(drop)
        if isinstance(drop, bool) or not isinstance(drop, int) or not 0 <= drop <= 20:
            errors[f"{prefix}.drop_lowest"] = [_("去掉最低分的个数应为 0 到 20 的整数")]
            drop = 0
        categories.append(Category(key=key, label=label, weight=weight, drop_lowest=drop))
    if categories and not any(f"categories.{i}.weight" in errors for i in range(len(categories))):
        total = sum((c.weight for c in categories), Decimal("0"))
        if total != HUNDRED:
            errors["categories"] = [_("各类别权重之和应为 100%%，现在是 %(total)s%%") % {"total": total.normalize()}]
    pass_line = _percent(data.get("pass_line", "60"), errors, "pass_line")
    excellent_line = _percent(data.get("excellent_line", "85"), errors, "excellent_line")
    if "pass_line" not in errors and "excellent_line" not in errors and excellent_line < pass_line:
        errors["excellent_line"] = [_("优秀线不能低于合格线")]
    raw_rules = data.get("unlock") or []
    if not isinstance(raw_rules, list) or len(raw_rules) > MAX_RULES:
        errors["unlock"] = [_("解锁规则最多 %(n)d 条") % {"n": MAX_RULES}]
        raw_rules = []
    rules: list[UnlockRule] = []
    for index, raw in enumerate(raw_rules):
        prefix = f"unlock.{index}"
        raw = raw if isinstance(raw, Mapping) else {}
        target = str(raw.get("target") or "").strip()
        if target not in seen and not _is_uuid(target):
            errors[f"{prefix}.target"] = [_("应为一个成绩类别的标识，或一项测评的内容标识")]
        condition = str(raw.get("condition") or "").strip()
        category = str(raw.get("category") or "").strip()
        if condition not in CONDITIONS:
            errors[f"{prefix}.condition"] = [_("条件应为“完成比例”或“某类别成绩”")]
        elif condition == "category" and (category not in seen or category == target):
            errors[f"{prefix}.category"] = [_("请选择另一个成绩类别")]
        at_least = _percent(raw.get("at_least"), errors, f"{prefix}.at_least")
        rules.append(
            UnlockRule(
                target=target,
                condition=condition,
                at_least=at_least,
                category=category if condition == "category" else "",
            )
        )
    if errors:
        raise ValidationError(errors)
    return GradingPolicy(
        categories=tuple(categories),
        pass_line=pass_line,
        excellent_line=excellent_line,
        unlock=tuple(rules),
    )


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def stored_policy(document: Mapping[str, Any] | None) -> GradingPolicy:
    """A run's stored policy; one that no longer reads (written by hand, say) is the default rather than an error
    on every learner's page."""
    try:
        return parse_policy(document)
    except ValidationError:
        return default_policy()


# --- Computing a grade ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """An assessment the run knows: its content id, category and the most it is worth."""

    content_id: str
    category: str
    possible: Decimal


@dataclass(frozen=True)
class Mark:
    earned: Decimal
    possible: Decimal


def _ratio(earned: Decimal, possible: Decimal) -> Decimal:
    return earned / possible if possible else Decimal("0")


def compute_grade(
    policy: GradingPolicy, items: Iterable[Item], marks: Mapping[str, Mark]
) -> tuple[Decimal, dict[str, Any], str]:
    """(course percentage, per-category detail, level) of one learner from the run's assessments and the marks
    they have (by content id). The detail per category key: its percentage, weight, and the content ids that count,
    were dropped and are missing."""
    by_category: dict[str, list[Item]] = {}
    for item in items:
        by_category.setdefault(item.category, []).append(item)
    detail: dict[str, Any] = {}
    weighted = Decimal("0")
    weight_in_use = Decimal("0")
    for category in policy.categories:
        members = by_category.get(category.key, [])
        entries = []
        for item in members:
            mark = marks.get(item.content_id)
            earned = mark.earned if mark else Decimal("0")
            possible = mark.possible if mark else item.possible
            entries.append((_ratio(earned, possible), item.content_id, earned, possible, mark is None))
        entries.sort(key=lambda entry: (entry[0], entry[1]))
        drop = min(category.drop_lowest, max(len(entries) - 1, 0))
        dropped, counted = entries[:drop], entries[drop:]
        earned_sum = sum((entry[2] for entry in counted), Decimal("0"))
        possible_sum = sum((entry[3] for entry in counted), Decimal("0"))
        percent = (_ratio(earned_sum, possible_sum) * HUNDRED).quantize(PERCENT, ROUND_HALF_UP)
        detail[category.key] = {
            "percent": str(percent),
            "weight": str(category.weight),
            "counted": [entry[1] for entry in counted if not entry[4]],
            "dropped": [entry[1] for entry in dropped],
            "missing": [entry[1] for entry in entries if entry[4]],
            "items": len(entries),
        }
        if entries:
            weighted += percent * category.weight
            weight_in_use += category.weight
    total = (weighted / weight_in_use).quantize(PERCENT, ROUND_HALF_UP) if weight_in_use else Decimal("0.00")
    return total, detail, policy.level_of(total)
