"""Reads of grading: a run's policy, a learner's own grade with what counts and what is missing, the teachers'
gradebook (every learner × assessment, filtered and paged), the grade distribution, whether an assessment is
unlocked for a learner, and the state of the latest regrade. Everything here reads the kept grades; nothing
recomputes one."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, IntegerField, Q, QuerySet
from django.db.models.functions import Cast, Floor, Least

from zhijiao.core.actors import Actor
from zhijiao.core.errors import NotFound

from ..grading import HUNDRED, GradingPolicy, stored_policy
from ..models import BlockProgress, Course, CourseGrade, Enrolment, GradedItem, Regrade, Run, Score
from .content import find_block, published_outline
from .learning import access_enrolment

GRADEBOOK_PAGE = 50
LEVELS = ("fail", "pass", "excellent")


def run_policy(*, run: Run) -> GradingPolicy:
    return stored_policy(run.grading_policy)


def run_is_graded(*, run: Run) -> bool:
    """Whether any score was recorded in the run (then certificates also need the pass line)."""
    return Score.objects.filter(run=run).exists()


def latest_regrade(*, run: Run) -> Regrade | None:
    return Regrade.objects.filter(run=run).order_by("-created_at", "-id").first()


def graded_items(*, run: Run) -> list[GradedItem]:
    """The run's assessments in policy order (category, then when the run first heard of them), each with a title
    (its own, else its block's in the published course, else its category's label)."""
    policy = run_policy(run=run)
    order = {category.key: index for index, category in enumerate(policy.categories)}
    items = sorted(GradedItem.objects.filter(run=run), key=lambda i: (order.get(i.category, 99), i.created_at, i.pk))
    untitled = [item for item in items if not item.title]
    if untitled and run.course.published_version_id is not None:
        outline = published_outline(course=run.course)
        for item in untitled:
            block = find_block(outline, str(item.content_id))
            if block is not None and block.get("title"):
                item.title = block["title"]
    for index, item in enumerate(items, start=1):
        category = policy.category(item.category)
        item.category_label = category.label if category else item.category  # type: ignore[attr-defined]
        if not item.title:
            item.title = f"{item.category_label} {index}"  # type: ignore[attr-defined]
    return items


@dataclass
class CategoryRow:
    key: str
    label: str
    weight: Decimal
    drop_lowest: int
    percent: Decimal
    items: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class MyGrade:
    """What a learner's progress page shows."""

    enrolment: Enrolment
    policy: GradingPolicy
    percent: Decimal
    level: str
    categories: list[CategoryRow]
    missing: int
    scored: int
    waiting: int = 0

    @property
    def level_label(self) -> str:
        return str(dict(CourseGrade.Level.choices)[self.level])


def my_grade(*, actor: Actor | None, course: Course) -> MyGrade:
    """The learner's own grade in their run of the course: each category with its weight and each assessment with
    the score, and whether it counts, was dropped, waits for a grade (handed in: the learner finished its block, the
    teaching team or peer review has not scored it yet) or is missing. NotFound when they are not enrolled."""
    enrolment = access_enrolment(actor=actor, course=course)
    run = enrolment.run
    run.course = course
    policy = run_policy(run=run)
    grade = CourseGrade.objects.filter(enrolment=enrolment).first()
    detail = grade.categories if grade else {}
    items = graded_items(run=run)
    scores = {str(s.content_id): s for s in Score.objects.filter(run=run, user=enrolment.user_id)}
    unscored = [item.content_id for item in items if str(item.content_id) not in scores]
    handed_in = set()
    if unscored:  # one more query, only while something has no score
        handed_in = {
            str(key)
            for key in BlockProgress.objects.filter(
                user_id=enrolment.user_id, content_id__in=unscored, completed_at__isnull=False
            ).values_list("content_id", flat=True)
        }
    rows = []
    for category in policy.categories:
        info = detail.get(category.key, {})
        dropped = set(info.get("dropped", []))
        row = CategoryRow(
            key=category.key,
            label=category.label,
            weight=category.weight,
            drop_lowest=category.drop_lowest,
            percent=Decimal(info.get("percent", "0")),
        )
        for item in items:
            if item.category != category.key:
                continue
            key = str(item.content_id)
            score = scores.get(key)
            if key in dropped:
                state = "dropped"
            elif score is not None:
                state = "counted"
            else:
                state = "waiting" if key in handed_in else "missing"
            row.items.append(
                {"content_id": key, "title": item.title, "score": score, "possible": item.possible, "state": state}
            )
        rows.append(row)
    missing = sum(1 for row in rows for item in row.items if item["state"] == "missing")
    waiting = sum(1 for row in rows for item in row.items if item["state"] == "waiting")
    return MyGrade(
        enrolment=enrolment,
        policy=policy,
        percent=grade.percent if grade else Decimal("0"),
        level=grade.level if grade else CourseGrade.Level.FAIL,
        categories=rows,
        missing=missing,
        scored=grade.scored if grade else 0,
        waiting=waiting,
    )


# --- The gradebook ------------------------------------------------------------------------------------------------


@dataclass
class GradebookPage:
    items: list[GradedItem]
    rows: list[dict[str, Any]]
    total: int
    page: int
    pages: int


def clean_level(value: str | None) -> str:
    return value if value in LEVELS else ""


def _learners(run: Run, *, level: str = "", search: str = "") -> QuerySet[Enrolment]:
    learners = Enrolment.objects.filter(run=run).select_related("user", "grade")
    if level == CourseGrade.Level.FAIL:
        learners = learners.filter(Q(grade__level=level) | Q(grade__isnull=True))
    elif level:
        learners = learners.filter(grade__level=level)
    search = " ".join((search or "").split())[:40]
    if search:
        learners = learners.filter(
            Q(user__display_name__icontains=search) | Q(user__phone=search) | Q(user__email__iexact=search)
        )
    # Learners without a grade row yet (nobody scored them) last, on SQLite and PostgreSQL alike.
    return learners.order_by(F("grade__percent").desc(nulls_last=True), "user_id")


def gradebook(
    *, run: Run, level: str = "", category: str = "", search: str = "", page: int = 1, size: int = GRADEBOOK_PAGE
) -> GradebookPage:
    """One page of the run's learners (best grade first), filtered by level and name, with their score on each
    assessment (of one category when given): three queries whatever the page size."""
    items = graded_items(run=run)
    if category:
        items = [item for item in items if item.category == category]
    learners = _learners(run, level=clean_level(level), search=search)
    total = learners.count()
    pages = max(1, -(-total // size))
    page = min(max(1, page), pages)
    enrolments = list(learners[(page - 1) * size : page * size])
    users = [e.user_id for e in enrolments]
    scores: dict[tuple[int, str], Score] = {
        (s.user_id, str(s.content_id)): s
        for s in Score.objects.filter(run=run, user_id__in=users, content_id__in=[i.content_id for i in items])
    }
    rows = []
    for enrolment in enrolments:
        grade = getattr(enrolment, "grade", None) if _has_grade(enrolment) else None
        rows.append(
            {
                "enrolment": enrolment,
                "user": enrolment.user,
                "grade": grade,
                "cells": [scores.get((enrolment.user_id, str(item.content_id))) for item in items],
            }
        )
    return GradebookPage(items=items, rows=rows, total=total, page=page, pages=pages)


def gradebook_all(*, run: Run) -> tuple[list[GradedItem], list[dict[str, Any]]]:
    """Every learner with every score, for the Excel export (streamed by learner in pages of 2,000)."""
    items = graded_items(run=run)
    learners = _learners(run)
    total = learners.count()
    rows: list[dict[str, Any]] = []
    for start in range(0, total, 2000):
        batch = list(learners[start : start + 2000])
        users = [e.user_id for e in batch]
        scores = {(s.user_id, str(s.content_id)): s for s in Score.objects.filter(run=run, user_id__in=users)}
        for enrolment in batch:
            grade = getattr(enrolment, "grade", None) if _has_grade(enrolment) else None
            rows.append(
                {
                    "user": enrolment.user,
                    "grade": grade,
                    "cells": [scores.get((enrolment.user_id, str(item.content_id))) for item in items],
                }
            )
    return items, rows


def _has_grade(enrolment: Enrolment) -> bool:
    try:
        enrolment.grade  # noqa: B018
    except CourseGrade.DoesNotExist:
        return False
    return True


def grade_summary(*, run: Run) -> tuple[list[int], dict[str, int]]:
    """How many of the run's graded learners fall in 0–9, 10–19 … 90–100, and how many are at each level: one
    grouped query over the kept grades."""
    bands = [0] * 10
    counts = dict.fromkeys(LEVELS, 0)
    rows = (
        CourseGrade.objects.filter(run=run)
        .annotate(band=Least(Cast(Floor(F("percent") / 10), IntegerField()), 9))
        .values("band", "level")
        .annotate(n=Count("id"))
    )
    for row in rows:
        bands[max(0, min(9, int(row["band"])))] += row["n"]
        if row["level"] in counts:
            counts[row["level"]] += row["n"]
    return bands, counts


def learner_score(*, run: Run, user_id: int, content_id: str) -> Score | None:
    return Score.objects.filter(run=run, user_id=user_id, content_id=content_id).first()


def graded_item(*, run: Run, content_id: str) -> GradedItem:
    item = GradedItem.objects.filter(run=run, content_id=content_id).first()
    if item is None:
        raise NotFound
    return item


# --- Unlock rules ---------------------------------------------------------------------------------------------------


def assessment_unlocked(*, run: Run, user_id: int, content_id: str, category: str) -> bool:
    """Whether the policy's unlock rules let this learner open this assessment (of this category): every rule
    naming it or its category must hold. Two queries (the enrolment with its grade), a third for a completion rule."""
    policy = run_policy(run=run)
    rules = [rule for rule in policy.unlock if rule.target in (category, str(content_id))]
    if not rules:
        return True
    enrolment = Enrolment.objects.select_related("grade").filter(run=run, user_id=user_id).first()
    if enrolment is None:
        return False
    grade = getattr(enrolment, "grade", None) if _has_grade(enrolment) else None
    for rule in rules:
        if rule.condition == "completion":
            reached = _completion_before(run=run, user_id=user_id, content_id=str(content_id), enrolment=enrolment)
        else:
            detail = grade.categories.get(rule.category, {}) if grade else {}
            reached = Decimal(detail.get("percent", "0"))
        if reached < rule.at_least:
            return False
    return True


def _completion_before(*, run: Run, user_id: int, content_id: str, enrolment: Enrolment) -> Decimal:
    """The learner's completion in percent, not counting the assessment being unlocked (it is one of the course's
    blocks, so "every unit finished before the final exam" would otherwise never hold before the exam is taken)."""
    from .learning import completion_share, learning_index

    if run.course.published_version_id is None:
        return enrolment.completion * HUNDRED
    index = learning_index(course=run.course)
    if content_id not in index.block_ids:
        return enrolment.completion * HUNDRED
    done = (
        BlockProgress.objects.filter(user_id=user_id, content_id__in=index.block_ids, completed_at__isnull=False)
        .exclude(content_id=content_id)
        .count()
    )
    return completion_share(done, index.total - 1) * HUNDRED if index.total > 1 else HUNDRED


def learner_scores(*, run: Run, user_id: int) -> QuerySet[Score]:
    return Score.objects.filter(run=run, user_id=user_id).select_related("overridden_by")
