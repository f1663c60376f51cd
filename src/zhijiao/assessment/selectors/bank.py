"""Reads of the question bank, and who may see it.

A course's bank is the teaching team's: its whole team (assistants too) and platform admins read it, its lead and
teachers (and platform admins) write it — the course engine's ``can_view_draft`` and ``can_edit_course``, asked
here and nowhere else. A bank or question nobody may see answers "not found", whether it exists or not.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from zhijiao.core.actors import Actor
from zhijiao.core.errors import DomainError, NotFound
from zhijiao.courses.models import Course
from zhijiao.courses.selectors import access_course, can_edit_course, can_view_draft

from ..models import Question, QuestionVersion

MAX_DRAW = 200


def can_read_bank(actor: Actor | None, course: Course) -> bool:
    """The course's whole teaching team reads its question bank (answer keys included)."""
    return can_view_draft(actor, course)


def can_write_bank(actor: Actor | None, course: Course) -> bool:
    """The course's lead and teachers write its question bank, as they write its content."""
    return can_edit_course(actor, course)


def access_bank(*, actor: Actor | None, course_id: int) -> Course:
    """The course whose bank the actor may read; NotFound for every other id."""
    course = access_course(actor=actor, course_id=course_id)
    if not can_read_bank(actor, course):
        raise NotFound
    return course


def access_question(*, actor: Actor | None, course: Course, question_id: int) -> Question:
    """A question of a bank the actor may read (archived ones too); NotFound otherwise."""
    if not can_read_bank(actor, course):
        raise NotFound
    question = (
        Question.objects.select_related("current_version", "course").filter(pk=question_id, course=course).first()
    )
    if question is None:
        raise NotFound
    return question


@dataclass(frozen=True)
class BankFilter:
    type: str = ""
    tag: str = ""
    knowledge_point: str = ""
    difficulty: int | None = None
    text: str = ""
    archived: bool = False


def questions_of(*, course: Course, filters: BankFilter | None = None) -> QuerySet[Question]:
    """The bank's questions, newest first, with their current version (one query)."""
    filters = filters or BankFilter()
    found = Question.objects.filter(course=course, archived_at__isnull=not filters.archived)
    if filters.type:
        found = found.filter(type=filters.type)
    if filters.tag:
        found = found.filter(tag_index__contains=f"|{filters.tag.strip()}|")
    if filters.knowledge_point:
        found = found.filter(knowledge_index__contains=f"|{filters.knowledge_point.strip()}|")
    if filters.difficulty:
        found = found.filter(difficulty=filters.difficulty)
    if filters.text:
        found = found.filter(summary__icontains=filters.text.strip())
    return found.select_related("current_version__created_by").order_by("-id")


def questions_draw(
    *,
    course: Course,
    count: int,
    seed: int | str,
    tag: str = "",
    difficulty: int | None = None,
    knowledge_point: str = "",
    type: str = "",
) -> list[Question]:
    """``count`` questions drawn at random from the bank's matching active questions; the same seed over the same
    bank draws the same questions (an attempt keeps its seed, so a page reload or a regrade sees the same paper)."""
    if not 1 <= count <= MAX_DRAW:
        raise DomainError("bad_count", _("抽题数量应为 1 到 %(n)d") % {"n": MAX_DRAW}, status=422)
    filters = BankFilter(type=type, tag=tag, knowledge_point=knowledge_point, difficulty=difficulty)
    ids = sorted(questions_of(course=course, filters=filters).values_list("id", flat=True))
    if len(ids) < count:
        raise DomainError(
            "not_enough_questions",
            _("符合条件的题目只有 %(have)d 道，不够抽取 %(want)d 道") % {"have": len(ids), "want": count},
            status=422,
        )
    chosen = random.Random(f"{course.pk}:{seed}").sample(ids, count)
    by_id = Question.objects.select_related("current_version").in_bulk(chosen)
    return [by_id[pk] for pk in chosen]


def versions_of(*, question: Question) -> QuerySet[QuestionVersion]:
    """A question's history, newest first."""
    return QuestionVersion.objects.filter(question=question).select_related("created_by").order_by("-number")


def version_of(*, question: Question, number: int) -> QuestionVersion:
    version = QuestionVersion.objects.filter(question=question, number=number).first()
    if version is None:
        raise NotFound
    return version


@dataclass(frozen=True)
class BankFacets:
    tags: list[str]
    knowledge_points: list[str]
    types: dict[str, int]


def bank_facets(*, course: Course) -> BankFacets:
    """The tags, knowledge points and type counts in use among the bank's active questions (for the filters)."""
    rows = Question.objects.filter(course=course, archived_at__isnull=True).values_list(
        "type", "tag_index", "knowledge_index"
    )
    tags: Counter[str] = Counter()
    points: Counter[str] = Counter()
    types: Counter[str] = Counter()
    for type_name, tag_index, knowledge_index in rows:
        types[type_name] += 1
        tags.update(item for item in tag_index.split("|") if item)
        points.update(item for item in knowledge_index.split("|") if item)
    return BankFacets(
        tags=sorted(tags, key=lambda t: (-tags[t], t)),
        knowledge_points=sorted(points, key=lambda t: (-points[t], t)),
        types=dict(types),
    )
