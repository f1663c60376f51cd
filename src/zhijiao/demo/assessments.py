"""The demo's assessments: every course gets a unit quiz (测验) at the end of each chapter, a homework (作业) with a
short answer and an essay in its first chapter, and a final exam (考试) at its end, all drawn from its question
bank; the learners of the runs on now have graded attempts for the blocks they reached, so gradebooks and progress
pages are full; in the courses 杨帆 (13800000007) leads, the homework essays wait in the teaching queue.

Blocks are added to the draft before the first publish (so the published outline holds them); attempts, items,
scores and graded items are bulk inserts, and each run is regraded once at the end."""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Max

from zhijiao.assessment.models import (
    Attempt,
    AttemptItem,
    AttemptStatus,
    ItemStatus,
    Question,
    QuestionVersion,
    SubmittedBy,
)
from zhijiao.courses import services as course_services
from zhijiao.courses.models import Block, BlockProgress, Course, GradedItem, Node, NodeKind, Run, Score

OBJECTIVE = ("single", "multiple", "truefalse", "fill")
KINDS = ("quiz", "homework", "exam")
CENT = Decimal("0.01")


def _pick(question: Question) -> dict[str, Any]:
    assert question.current_version is not None
    return {"question": str(question.identifier), "version": question.current_version.number, "points": None}


def add_assessment_blocks(courses: list[Course]) -> int:
    """Quizzes, a homework and a final exam in every course's draft (its bank must exist); the blocks written."""
    units_by_course: dict[int, list[Node]] = defaultdict(list)
    for unit in (
        Node.objects.filter(course__in=courses, kind=NodeKind.UNIT)
        .select_related("parent")
        .order_by("course_id", "parent__parent__position", "parent__position", "position")
    ):
        units_by_course[unit.course_id].append(unit)
    questions: dict[int, list[Question]] = defaultdict(list)
    for question in Question.objects.filter(course__in=courses).select_related("current_version").order_by("id"):
        questions[question.course_id].append(question)
    last_position = dict(
        Block.objects.filter(course__in=courses)
        .values_list("unit_id")
        .annotate(n=Max("position"))
        .values_list("unit_id", "n")
    )
    blocks: list[Block] = []
    for course in courses:
        units = units_by_course.get(course.pk, [])
        bank = questions.get(course.pk, [])
        objective = [q for q in bank if q.type in OBJECTIVE]
        manual = [q for q in bank if q.type in ("short", "essay")]
        if not units or len(objective) < 4:
            continue
        chapter_last: dict[int, Node] = {}
        for unit in units:
            chapter_last[(unit.parent.parent_id if unit.parent else None) or unit.pk] = unit
        chapters = list(chapter_last.values())

        def add(unit: Node, kind: str, title: str, data: dict[str, Any]) -> None:
            position = last_position.get(unit.pk, -1) + 1
            last_position[unit.pk] = position
            blocks.append(
                Block(course_id=unit.course_id, unit=unit, type=kind, title=title, data=data, position=position)
            )

        for number, unit in enumerate(chapters):
            chosen = [objective[(number * 3 + i) % len(objective)] for i in range(3)]
            add(
                unit,
                "quiz",
                f"第{number + 1}章 单元测验",
                _rules("quiz", picks=[_pick(q) for q in chosen], attempts_allowed=2, shuffle_options=True),
            )
        homework = [objective[0], *manual[:2]]
        add(
            chapters[0],
            "homework",
            "第一次作业",
            _rules(
                "homework", picks=[_pick(q) for q in homework], closes_after_days=60, late_days=3, late_penalty="10"
            ),
        )
        exam = objective[:8]
        add(
            chapters[-1],
            "exam",
            "期末考试",
            _rules(
                "exam",
                picks=[_pick(q) for q in exam],
                time_limit_minutes=90,
                shuffle_questions=True,
                shuffle_options=True,
                show_answers="after_close",
            ),
        )
    Block.objects.bulk_create(blocks, batch_size=1000)
    Course.objects.filter(pk__in=[c.pk for c in courses]).update(revision=1)
    return len(blocks)


def _rules(kind: str, **rules: Any) -> dict[str, Any]:
    from zhijiao.assessment.rules import parse_rules

    return parse_rules(rules, kind=kind).as_json()


def _response(version: QuestionVersion, right: bool, rng: random.Random) -> Any:
    data = version.data
    if version.type == "single":
        return data["answer"] if right else (data["answer"] + 1) % len(data["options"])
    if version.type == "multiple":
        return list(data["answer"]) if right else list(data["answer"][:1])
    if version.type == "truefalse":
        return data["answer"] if right else not data["answer"]
    if version.type == "fill":
        return [blank[0] for blank in data["blanks"]] if right else ["" for _blank in data["blanks"]]
    return rng.choice(
        [
            "本题我从概念、原理和应用三个方面作答：首先说明基本概念，其次分析其原理，最后结合实例说明应用。",
            "结合课程所学，我认为关键在于理解核心思想，并能在实际问题中灵活运用。",
        ]
    )


def seed_attempts(*, runs: list[Run], staff_queue_leads: set[int], rng: random.Random) -> dict[str, int]:
    """Graded attempts of the runs' learners at the assessments their progress reached (homework essays of the
    courses led by ``staff_queue_leads`` wait for the teaching team); scores, graded items and a regrade per run."""
    if not runs:
        return {}
    by_run = {run.pk: run for run in runs}
    blocks: dict[tuple[int, str], dict[str, Any]] = {}
    course_runs: dict[int, list[Run]] = defaultdict(list)
    for run in runs:
        course_runs[run.course_id].append(run)
    for row in Block.objects.filter(course_id__in=list(course_runs), type__in=KINDS).values(
        "course_id", "content_id", "type", "title", "data"
    ):
        blocks[(row["course_id"], str(row["content_id"]))] = dict(row)
    version_keys = {
        (pick["question"], pick["version"]) for block in blocks.values() for pick in block["data"].get("picks", [])
    }
    versions: dict[tuple[str, int], QuestionVersion] = {}
    for version in QuestionVersion.objects.filter(
        question__identifier__in={key[0] for key in version_keys}
    ).select_related("question"):
        versions[(str(version.question.identifier), version.number)] = version
    reached = BlockProgress.objects.filter(
        run__in=runs,
        content_id__in=[uuid.UUID(key[1]) for key in blocks],
        completed_at__isnull=False,
    ).values_list("run_id", "user_id", "content_id", "completed_at")
    attempts: list[Attempt] = []
    planned: list[list[AttemptItem]] = []
    for run_id, user_id, content_id, completed_at in reached.order_by("run_id", "user_id", "content_id"):
        run = by_run[run_id]
        found = blocks.get((run.course_id, str(content_id)))
        if found is None or completed_at is None:
            continue
        block = found
        kind = block["type"]
        ability = 0.55 + rng.random() * 0.4
        staff_queue = kind == "homework" and run.course.created_by_id in staff_queue_leads
        items: list[AttemptItem] = []
        for position, pick in enumerate(block["data"].get("picks", []), start=1):
            pinned = versions.get((pick["question"], pick["version"]))
            if pinned is None:
                continue
            version = pinned
            right = rng.random() < ability
            response = _response(version, right, rng)
            item = AttemptItem(
                position=position, version=version, points=version.points, option_order=[], response=response
            )
            if version.type in OBJECTIVE:
                item.status, item.earned, item.graded_at = (
                    ItemStatus.GRADED,
                    version.points if right else Decimal("0.00"),
                    completed_at,
                )
                if version.type == "multiple" and not right:
                    item.earned = (version.points / len(version.data["answer"])).quantize(CENT)
            elif staff_queue:
                item.status = ItemStatus.STAFF
            else:
                item.status, item.graded_at = ItemStatus.GRADED, completed_at
                item.earned = (version.points * Decimal(str(round(ability, 2)))).quantize(CENT)
            if version.type in ("single", "multiple"):
                item.option_order = list(range(len(version.data["options"])))
            items.append(item)
        if not items:
            continue
        pending = sum(1 for item in items if item.status == ItemStatus.STAFF)
        started = completed_at - timedelta(minutes=25)
        attempts.append(
            Attempt(
                run=run,
                user_id=user_id,
                content_id=content_id,
                kind=kind,
                title=block["title"],
                number=1,
                status=AttemptStatus.SUBMITTED if pending else AttemptStatus.GRADED,
                rules=block["data"],
                started_at=started,
                deadline_at=started + timedelta(minutes=90) if kind == "exam" else None,
                submitted_at=completed_at,
                submitted_by=SubmittedBy.LEARNER,
                earned=None if pending else sum((i.earned or Decimal("0")) for i in items),
                possible=sum(i.points for i in items),
                pending=pending,
                graded_at=None if pending else completed_at,
            )
        )
        planned.append(items)
    Attempt.objects.bulk_create(attempts, batch_size=1000)
    rows: list[AttemptItem] = []
    for attempt, items in zip(attempts, planned, strict=True):
        for item in items:
            item.attempt = attempt
            rows.append(item)
    AttemptItem.objects.bulk_create(rows, batch_size=2000)
    # The run's grades: one graded item per assessment, one score per graded attempt, then a regrade per run.
    graded_items = [
        GradedItem(
            run=run,
            content_id=uuid.UUID(content_id),
            category=block["data"].get("category") or block["type"],
            title=block["title"],
            possible=sum(
                versions[(p["question"], p["version"])].points
                for p in block["data"].get("picks", [])
                if (p["question"], p["version"]) in versions
            ),
        )
        for run in runs
        for (course_id, content_id), block in blocks.items()
        if course_id == run.course_id
    ]
    GradedItem.objects.bulk_create(graded_items, batch_size=2000, ignore_conflicts=True)
    scores = [
        Score(
            run=attempt.run,
            user_id=attempt.user_id,
            content_id=attempt.content_id,
            category=attempt.rules.get("category") or attempt.kind,
            earned=attempt.earned,
            possible=attempt.possible,
            source=f"assessment.{attempt.kind}",
            source_earned=attempt.earned,
            graded_at=attempt.graded_at or attempt.started_at,
        )
        for attempt in attempts
        if attempt.status == AttemptStatus.GRADED and attempt.earned is not None
    ]
    Score.objects.bulk_create(scores, batch_size=2000)
    for run in runs:
        course_services.run_regrade(run=run)
    return {
        "assessment_attempts": len(attempts),
        "assessment_items": len(rows),
        "assessment_waiting": sum(1 for a in attempts if a.status == AttemptStatus.SUBMITTED),
    }
