"""An assessment block's rules (测评规则) as data: which questions, when it opens and closes, how long, how often,
how it is shuffled, when answers are shown, how late work is treated, whether peers review it, and the grading
category its score counts in.

The rules live in the block's ``data`` (course content, shared by every run of the course). Dates are **relative to
the run's start** (开课后第 N 天), so one course serves every run: ``opens_after_days`` and ``closes_after_days``
(whole days after the run's start date, at ``close_time`` on the closing day; no closing day means the run's end).
For homework the closing day is the due date (截止日期); a late policy may take work up to ``late_days`` days after
it, less ``late_penalty`` percent per started day. For an exam the window is the availability window and
``time_limit_minutes`` the server-enforced limit.

:func:`parse_rules` reads stored or submitted data into the typed :class:`Rules` (``ValidationError`` keyed by
field), :meth:`Rules.as_json` writes it back; the block types clean their data with them, and an attempt keeps a copy
(``Attempt.rules``) so that editing the block changes no running attempt.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijiao.courses.grading import KEY

KINDS = ("quiz", "homework", "exam")
# The grading category a kind counts in unless the teacher names another (the default policy's keys).
DEFAULT_CATEGORY = {"quiz": "quiz", "homework": "homework", "exam": "exam"}


class ShowAnswers:
    """When a learner sees the right answers and the explanations of a submitted attempt (their own answers and
    their score they always see once graded)."""

    AFTER_SUBMIT = "after_submit"
    AFTER_CLOSE = "after_close"
    NEVER = "never"
    ALL = (AFTER_SUBMIT, AFTER_CLOSE, NEVER)


class Keep:
    """Which attempt's score counts when several are allowed."""

    BEST = "best"
    LAST = "last"
    ALL = (BEST, LAST)


MAX_QUESTIONS = 200
MAX_DRAWS = 20
MAX_DAYS = 3650
MAX_MINUTES = 24 * 60
MAX_ATTEMPTS = 100


@dataclass(frozen=True)
class Pick:
    """A fixed question: the bank question's identifier and the version the assessment pins."""

    question: str
    version: int
    points: Decimal | None = None


@dataclass(frozen=True)
class Draw:
    """``count`` questions drawn at random, per attempt, from the bank questions with all of ``tags`` (and of
    ``difficulty`` when given), each worth ``points``; the draw takes their current versions when the attempt
    starts."""

    count: int
    tags: tuple[str, ...] = ()
    difficulty: int | None = None
    type: str = ""
    points: Decimal | None = None


@dataclass(frozen=True)
class PeerReviewRules:
    """Each submitted answer to a manually graded question gets ``reviewers`` peer reviewers; reviews are due
    ``review_days`` after the assessment closes; a learner sees their own score once they have done
    ``required`` reviews (by default as many as they are assigned)."""

    reviewers: int = 3
    review_days: int = 7
    required: int | None = None


@dataclass(frozen=True)
class Rules:
    kind: str
    category: str
    picks: tuple[Pick, ...] = ()
    draws: tuple[Draw, ...] = ()
    opens_after_days: int = 0
    closes_after_days: int | None = None
    close_time: time = time(23, 59)
    time_limit_minutes: int | None = None
    attempts_allowed: int = 1  # 0: as many as the learner likes
    keep: str = Keep.BEST
    shuffle_questions: bool = False
    shuffle_options: bool = False
    show_answers: str = ShowAnswers.AFTER_SUBMIT
    late_days: int = 0
    late_penalty: Decimal = Decimal("0")  # percent of the score per started day late
    peer_review: PeerReviewRules | None = None
    instructions: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    # --- Dates against a run ---------------------------------------------------------------------------------

    def opens_at(self, run: Any) -> datetime:
        """When the assessment opens in ``run`` (the start of the run's day ``opens_after_days``)."""
        start = timezone.localtime(run.starts_at)
        day = start + timedelta(days=self.opens_after_days)
        return start if self.opens_after_days == 0 else day.replace(hour=0, minute=0, second=0, microsecond=0)

    def closes_at(self, run: Any) -> datetime:
        """When it closes in ``run`` (homework: the due date): ``close_time`` on day ``closes_after_days``, or the
        run's end."""
        if self.closes_after_days is None:
            return run.ends_at
        day = timezone.localtime(run.starts_at) + timedelta(days=self.closes_after_days)
        return day.replace(hour=self.close_time.hour, minute=self.close_time.minute, second=0, microsecond=0)

    def late_until(self, run: Any) -> datetime:
        """The last moment late work is taken (the close itself when the policy takes none)."""
        return self.closes_at(run) + timedelta(days=self.late_days)

    def review_due_at(self, run: Any) -> datetime:
        """When peer reviews are due (and the teaching team takes over what is missing)."""
        days = self.peer_review.review_days if self.peer_review else 0
        return self.late_until(run) + timedelta(days=days)

    def late_factor(self, run: Any, submitted_at: datetime) -> Decimal:
        """The share of the score kept for work submitted at ``submitted_at``: 1 on time, less ``late_penalty`` %
        per started day late, never below 0."""
        over = submitted_at - self.closes_at(run)
        if over <= timedelta(0):
            return Decimal("1")
        days = over.days + (1 if over % timedelta(days=1) else 0)
        return max(Decimal("0"), Decimal("1") - self.late_penalty * days / Decimal("100"))

    def question_count(self) -> int:
        return len(self.picks) + sum(draw.count for draw in self.draws)

    # --- Storage ---------------------------------------------------------------------------------------------

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "category": self.category,
            "picks": [{"question": p.question, "version": p.version, "points": _text(p.points)} for p in self.picks],
            "draws": [
                {
                    "count": d.count,
                    "tags": list(d.tags),
                    "difficulty": d.difficulty,
                    "type": d.type,
                    "points": _text(d.points),
                }
                for d in self.draws
            ],
            "opens_after_days": self.opens_after_days,
            "closes_after_days": self.closes_after_days,
            "close_time": self.close_time.strftime("%H:%M"),
            "time_limit_minutes": self.time_limit_minutes,
            "attempts_allowed": self.attempts_allowed,
            "keep": self.keep,
            "shuffle_questions": self.shuffle_questions,
            "shuffle_options": self.shuffle_options,
            "show_answers": self.show_answers,
            "late_days": self.late_days,
            "late_penalty": str(self.late_penalty),
            "peer_review": (
                {
                    "reviewers": self.peer_review.reviewers,
                    "review_days": self.peer_review.review_days,
                    "required": self.peer_review.required,
                }
                if self.peer_review
                else None
            ),
            "instructions": self.instructions,
            **self.extra,
        }


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _int(data: Mapping[str, Any], key: str, errors: dict[str, list[str]], *, low: int, high: int, default: Any) -> Any:
    value = data.get(key, default)
    if value is None or value == "":
        return default
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        errors[key] = [_("应为 %(low)d 到 %(high)d 之间的整数") % {"low": low, "high": high}]
        return default
    return value


def _points(value: Any, key: str, errors: dict[str, list[str]]) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors[key] = [_("请填写数字")]
        return None
    if not number.is_finite() or not 0 < number <= 1000:
        errors[key] = [_("分值应在 0 到 1000 之间")]
        return None
    return number.quantize(Decimal("0.01"))


def _bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "on", "yes")
    return bool(value)


def parse_rules(data: Mapping[str, Any], *, kind: str) -> Rules:
    """The typed rules of a block's data (``kind`` is the block type: quiz, homework or exam). Raises
    ``ValidationError`` keyed by field (``picks.<n>.question``, ``closes_after_days`` …)."""
    if kind not in KINDS:
        raise ValidationError({"kind": [_("未知的测评类型")]})
    if not isinstance(data, Mapping):
        raise ValidationError({"picks": [_("测评规则格式不正确")]})
    errors: dict[str, list[str]] = {}
    category = str(data.get("category") or DEFAULT_CATEGORY[kind]).strip()
    if not KEY.fullmatch(category):
        errors["category"] = [_("成绩类别标识应为小写字母开头的字母、数字或下划线")]
    picks: list[Pick] = []
    raw_picks = data.get("picks") or []
    if not isinstance(raw_picks, list) or len(raw_picks) > MAX_QUESTIONS:
        errors["picks"] = [_("题目最多 %(n)d 道") % {"n": MAX_QUESTIONS}]
        raw_picks = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_picks):
        raw = raw if isinstance(raw, Mapping) else {}
        try:
            question = str(uuid.UUID(str(raw.get("question"))))
        except ValueError:
            errors[f"picks.{index}.question"] = [_("题目标识格式不正确")]
            continue
        if question in seen:
            errors[f"picks.{index}.question"] = [_("同一道题只能选一次")]
        seen.add(question)
        version = raw.get("version")
        if isinstance(version, bool) or not isinstance(version, int) or version <= 0:
            errors[f"picks.{index}.version"] = [_("请指定题目版本")]
            continue
        picks.append(Pick(question, version, _points(raw.get("points"), f"picks.{index}.points", errors)))
    draws: list[Draw] = []
    raw_draws = data.get("draws") or []
    if not isinstance(raw_draws, list) or len(raw_draws) > MAX_DRAWS:
        errors["draws"] = [_("随机抽题规则最多 %(n)d 条") % {"n": MAX_DRAWS}]
        raw_draws = []
    for index, raw in enumerate(raw_draws):
        raw = raw if isinstance(raw, Mapping) else {}
        count = _int(raw, "count", errors, low=1, high=MAX_QUESTIONS, default=0)
        if "count" in errors:
            errors[f"draws.{index}.count"] = errors.pop("count")
        tags = raw.get("tags") or []
        if isinstance(tags, str):
            tags = [tags]
        tags = tuple(str(tag).strip() for tag in tags if str(tag).strip())[:10]
        difficulty = raw.get("difficulty")
        if difficulty in ("", None):
            difficulty = None
        elif isinstance(difficulty, bool) or not isinstance(difficulty, int) or not 1 <= difficulty <= 5:
            errors[f"draws.{index}.difficulty"] = [_("难度应为 1 到 5")]
            difficulty = None
        points = _points(raw.get("points"), f"draws.{index}.points", errors)
        draws.append(Draw(count, tags, difficulty, str(raw.get("type") or "").strip()[:20], points))
    if not picks and not draws and not errors:
        errors["picks"] = [_("请至少选一道题或设置一条抽题规则")]
    if sum(draw.count for draw in draws) + len(picks) > MAX_QUESTIONS:
        errors["draws"] = [_("题目最多 %(n)d 道") % {"n": MAX_QUESTIONS}]
    opens = _int(data, "opens_after_days", errors, low=0, high=MAX_DAYS, default=0)
    closes = _int(data, "closes_after_days", errors, low=0, high=MAX_DAYS, default=None)
    if closes is not None and closes < opens:
        errors["closes_after_days"] = [_("截止日不能早于开放日")]
    close_time = time(23, 59)
    raw_time = data.get("close_time")
    if raw_time not in (None, ""):
        try:
            hour, minute = (int(part) for part in str(raw_time).split(":"))
            close_time = time(hour, minute)
        except ValueError:
            errors["close_time"] = [_("时间格式应为 时:分，如 23:59")]
    limit = _int(data, "time_limit_minutes", errors, low=1, high=MAX_MINUTES, default=None)
    if kind == "exam" and limit is None and "time_limit_minutes" not in errors:
        errors["time_limit_minutes"] = [_("考试需要设置时长")]
    allowed = _int(data, "attempts_allowed", errors, low=0, high=MAX_ATTEMPTS, default=1)
    keep = str(data.get("keep") or Keep.BEST)
    if keep not in Keep.ALL:
        errors["keep"] = [_("请选择计分方式")]
    show = str(data.get("show_answers") or ShowAnswers.AFTER_SUBMIT)
    if show not in ShowAnswers.ALL:
        errors["show_answers"] = [_("请选择何时公布答案")]
    late_days = _int(data, "late_days", errors, low=0, high=365, default=0)
    penalty = Decimal("0")
    raw_penalty = data.get("late_penalty")
    if raw_penalty not in (None, ""):
        try:
            penalty = Decimal(str(raw_penalty).strip())
        except (InvalidOperation, ValueError):
            penalty = Decimal("-1")
        if not penalty.is_finite() or not 0 <= penalty <= 100:
            errors["late_penalty"] = [_("每天扣分比例应在 0 到 100 之间")]
            penalty = Decimal("0")
    if late_days and kind == "exam":
        errors["late_days"] = [_("考试不接受逾期提交")]
    peer: PeerReviewRules | None = None
    raw_peer = data.get("peer_review")
    if raw_peer:
        raw_peer = raw_peer if isinstance(raw_peer, Mapping) else {}
        reviewers = _int(raw_peer, "reviewers", errors, low=1, high=10, default=3)
        review_days = _int(raw_peer, "review_days", errors, low=1, high=60, default=7)
        required = _int(raw_peer, "required", errors, low=0, high=10, default=None)
        for key in ("reviewers", "review_days", "required"):
            if key in errors:
                errors[f"peer_review.{key}"] = errors.pop(key)
        if kind != "homework":
            errors["peer_review"] = [_("只有作业可以互评")]
        peer = PeerReviewRules(reviewers, review_days, required)
    instructions = str(data.get("instructions") or "").strip()
    if len(instructions) > 2000:
        errors["instructions"] = [_("不能超过 %(n)d 个字") % {"n": 2000}]
    if errors:
        raise ValidationError(errors)
    return Rules(
        kind=kind,
        category=category,
        picks=tuple(picks),
        draws=tuple(draws),
        opens_after_days=opens,
        closes_after_days=closes,
        close_time=close_time,
        time_limit_minutes=limit,
        attempts_allowed=allowed,
        keep=keep,
        shuffle_questions=_bool(data.get("shuffle_questions")),
        shuffle_options=_bool(data.get("shuffle_options")),
        show_answers=show,
        late_days=late_days,
        late_penalty=penalty.quantize(Decimal("0.01")),
        peer_review=peer,
        instructions=instructions,
    )
