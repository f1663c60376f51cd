"""Writes of the question bank: a question is created with its first version, edited by adding a version (the
old ones never change), archived and restored; an import stores many in one transaction, or none."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijiao.core.actors import Actor, signed_in
from zhijiao.core.audit import audit_actions
from zhijiao.core.services import audit_record
from zhijiao.courses.models import Course

from .. import selectors
from ..drafts import QuestionDraft, prepare_draft
from ..models import Question, QuestionVersion

AUDIT_ACTIONS = audit_actions(
    {
        "assessment.question.archive": gettext_lazy("归档题目"),
        "assessment.question.restore": gettext_lazy("恢复题目"),
        "assessment.bank.import": gettext_lazy("导入题库"),
    }
)


def _require_writer(actor: Actor, course: Course) -> None:
    if not signed_in(actor) or not selectors.can_write_bank(actor, course):
        raise PermissionDenied(_("只有本课程的主讲教师可以修改题库"))


def _index(values: Sequence[str]) -> str:
    return f"|{'|'.join(values)}|" if values else ""


def _copy_current(question: Question, draft: QuestionDraft) -> None:
    question.type = draft.type
    question.difficulty = draft.difficulty
    question.tag_index = _index(draft.tags)
    question.knowledge_index = _index(draft.knowledge_points)
    question.summary = draft.summary


def question_build(*, course: Course, draft: QuestionDraft, actor: Actor) -> Question:
    """An unsaved question of the course's bank carrying the draft's filterable fields (for this module's services
    and for bulk loaders such as the demo, which insert many at once)."""
    question = Question(course=course, created_by=actor if signed_in(actor) else None)
    if draft.identifier is not None:
        question.identifier = draft.identifier
    _copy_current(question, draft)
    return question


def version_build(
    question: Question, draft: QuestionDraft, *, number: int, actor: Actor, note: str = ""
) -> QuestionVersion:
    """An unsaved version ``number`` of the question with the draft's content."""
    return QuestionVersion(
        question=question,
        number=number,
        type=draft.type,
        stem=draft.stem,
        data=draft.data,
        points=draft.points,
        explanation=draft.explanation,
        tags=draft.tags,
        knowledge_points=draft.knowledge_points,
        difficulty=draft.difficulty,
        note=note,
        created_by=actor if signed_in(actor) else None,
    )


@transaction.atomic
def question_create(*, actor: Actor, course: Course, note: str = "", **fields: Any) -> Question:
    """A teacher adds a question to the course's bank; its first version is number 1.

    ``fields`` are ``prepare_draft``'s: type, stem, data, points, explanation, tags, knowledge_points, difficulty."""
    _require_writer(actor, course)
    draft = prepare_draft(**fields)
    return _create(actor=actor, course=course, draft=draft, note=note)


def _create(*, actor: Actor, course: Course, draft: QuestionDraft, note: str) -> Question:
    question = question_build(course=course, draft=draft, actor=actor)
    question.full_clean(exclude=["current_version"])
    question.save()
    version = version_build(question, draft, number=1, actor=actor, note=note)
    version.full_clean()
    version.save()
    question.current_version = version
    Question.objects.filter(pk=question.pk).update(current_version=version)
    return question


@transaction.atomic
def question_revise(*, actor: Actor, question: Question, note: str = "", **fields: Any) -> QuestionVersion:
    """A teacher edits a question: a new version (the next number) becomes current; earlier versions stay as they
    were, and whatever pinned them keeps seeing them."""
    _require_writer(actor, question.course)
    draft = prepare_draft(**fields)
    return _revise(actor=actor, question=question, draft=draft, note=note)


def _revise(*, actor: Actor, question: Question, draft: QuestionDraft, note: str) -> QuestionVersion:
    # Lock the question: two editors saving at once get versions n+1 and n+2, never two n+1.
    Question.objects.select_for_update().filter(pk=question.pk).first()
    last = QuestionVersion.objects.filter(question=question).aggregate(n=Max("number"))["n"] or 0
    version = version_build(question, draft, number=last + 1, actor=actor, note=note)
    version.full_clean()
    version.save()
    _copy_current(question, draft)
    question.current_version = version
    question.save(
        update_fields=["type", "difficulty", "tag_index", "knowledge_index", "summary", "current_version", "updated_at"]
    )
    return version


@transaction.atomic
def question_archive(*, actor: Actor, question: Question) -> Question:
    """Take a question out of the bank's lists and draws; its versions stay for whatever used them."""
    _require_writer(actor, question.course)
    if question.archived_at is None:
        question.archived_at = timezone.now()
        question.save(update_fields=["archived_at", "updated_at"])
        audit_record(action="assessment.question.archive", actor=actor, obj=question)
    return question


@transaction.atomic
def question_restore(*, actor: Actor, question: Question) -> Question:
    """Put an archived question back into the bank."""
    _require_writer(actor, question.course)
    if question.archived_at is not None:
        question.archived_at = None
        question.save(update_fields=["archived_at", "updated_at"])
        audit_record(action="assessment.question.restore", actor=actor, obj=question)
    return question


@transaction.atomic
def questions_import(
    *, actor: Actor, course: Course, drafts: Sequence[QuestionDraft], source: str = ""
) -> dict[str, int]:
    """Store checked drafts (every row of a file already validated): a draft whose identifier names a question of
    this bank becomes its next version, any other a new question. All or nothing."""
    _require_writer(actor, course)
    identifiers = [draft.identifier for draft in drafts if draft.identifier is not None]
    existing = {q.identifier: q for q in Question.objects.filter(course=course, identifier__in=identifiers)}
    created = revised = 0
    note = _("从 %(source)s 导入") % {"source": source} if source else ""
    for draft in drafts:
        question = existing.get(draft.identifier) if draft.identifier is not None else None
        if question is not None:
            question.course = course
            _revise(actor=actor, question=question, draft=draft, note=note)
            revised += 1
        else:
            if draft.identifier is not None and Question.objects.filter(identifier=draft.identifier).exists():
                # Another bank's question (a colleague's export): a new question of this bank, not theirs.
                draft = QuestionDraft(**{**draft.__dict__, "identifier": None})
            _create(actor=actor, course=course, draft=draft, note=note)
            created += 1
    audit_record(
        action="assessment.bank.import",
        actor=actor,
        obj=course,
        detail={"created": created, "revised": revised, "source": source},
    )
    return {"created": created, "revised": revised}


IMPORT_FORMATS = ("xlsx", "qti")


@transaction.atomic
def bank_import(*, actor: Actor, course: Course, upload: Any, format: str) -> dict[str, int]:
    """A teacher imports an Excel workbook (the template's shape) or a QTI 3.0 package into the bank; every row or
    item is checked first, and one bad one stores nothing (the message names the row and column, or the item)."""
    from django.core.exceptions import ValidationError

    from .. import qti, spreadsheets

    _require_writer(actor, course)
    if format == "xlsx":
        drafts = spreadsheets.read_workbook(upload)
        source = "Excel"
    elif format == "qti":
        drafts = qti.read_package(upload)
        source = "QTI 3.0"
    else:
        raise ValidationError({"format": [_("只能导入 Excel（xlsx）或 QTI 3.0 文件")]})
    return questions_import(actor=actor, course=course, drafts=drafts, source=source)
