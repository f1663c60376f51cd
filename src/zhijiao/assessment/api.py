"""The assessment API (/api/v1/assessment/): the question bank (list and filter a course's bank, read, create, add
a version, archive and restore, draw at random, import and export as Excel and QTI 3.0) and a learner's attempts
(start or resume, read with the time left, save an answer, submit, result). Thin over the services."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from zhijiao.core.actors import MemberRequest
from zhijiao.core.api_auth import session_or_token
from zhijiao.core.api_errors import ErrorOut
from zhijiao.core.errors import DomainError, NotFound
from zhijiao.core.pagination import Page, PageParams, paginate
from zhijiao.core.params import Id, Int
from zhijiao.core.ratelimit import rate_limit
from zhijiao.courses.models import Run

from . import selectors, services
from .downloads import IMPORT_RATE_KEY, IMPORTS_PER_HOUR, export_response
from .models import Attempt, AttemptStatus, Question, QuestionVersion
from .question_types import question_types
from .review_api import router as review_router
from .schemas import (
    AnswerIn,
    AnswerSavedOut,
    AttemptOut,
    AttemptSummaryOut,
    BankImportOut,
    DrawIn,
    ExportFormat,
    QuestionIn,
    QuestionOut,
    QuestionTypeOut,
    QuestionVersionIn,
    QuestionVersionOut,
    answer_file_out,
)

router = Router(tags=["assessment"], auth=session_or_token)
ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


def version_out(version: QuestionVersion | None) -> dict[str, Any] | None:
    if version is None:
        return None
    return {
        "number": version.number,
        "type": version.type,
        "stem": version.stem,
        "data": version.data,
        "points": version.points,
        "explanation": version.explanation,
        "tags": version.tags,
        "knowledge_points": version.knowledge_points,
        "difficulty": version.difficulty,
        "note": version.note,
        "created_at": version.created_at,
        "created_by": str(version.created_by) if version.created_by_id and version.created_by else None,
    }


def question_out(question: Question) -> dict[str, Any]:
    return {
        "id": question.pk,
        "identifier": str(question.identifier),
        "course_id": question.course_id,
        "type": question.type,
        "summary": question.summary,
        "difficulty": question.difficulty,
        "archived": question.is_archived,
        "version": version_out(question.current_version),
    }


def _fields(data: QuestionIn) -> dict[str, Any]:
    return {
        "type": data.type,
        "stem": data.stem,
        "data": data.data,
        "points": data.points,
        "explanation": data.explanation,
        "tags": data.tags,
        "knowledge_points": data.knowledge_points,
        "difficulty": data.difficulty,
    }


@router.get("/question-types", response=list[QuestionTypeOut], auth=None, operation_id="assessment_question_types")
def type_list(request: HttpRequest) -> list[dict[str, Any]]:
    """The kinds of question a bank holds, which are graded by people, and the fields each uses."""
    return [
        {"name": kind.name, "label": str(kind.label), "manual": kind.manual, "fields": list(kind.fields)}
        for kind in question_types()
    ]


@router.get(
    "/courses/{course_id}/questions", response={200: Page[QuestionOut], **ERRORS}, operation_id="assessment_bank_list"
)
def bank_list(
    request: MemberRequest,
    course_id: Id,
    page: Query[PageParams],
    type: str = "",
    tag: str = "",
    knowledge_point: str = "",
    difficulty: Int | None = None,
    text: str = "",
    archived: bool = False,
) -> Any:
    """The course's question bank (its teaching team only), newest first, filtered by type, tag, knowledge point,
    difficulty (1–5) or words of the stem; ``archived=true`` lists the archived ones."""
    course = selectors.access_bank(actor=request.user, course_id=course_id)
    filters = selectors.BankFilter(
        type=type, tag=tag[:30], knowledge_point=knowledge_point[:30], difficulty=difficulty, text=text[:50],
        archived=archived,
    )  # fmt: skip
    found = paginate(selectors.questions_of(course=course, filters=filters), page)
    return {**found, "items": [question_out(question) for question in found["items"]]}


@router.post(
    "/courses/{course_id}/questions", response={201: QuestionOut, **ERRORS}, operation_id="assessment_question_create"
)
def question_create(request: MemberRequest, course_id: Id, data: QuestionIn) -> Any:
    """Add a question (its version 1) to the bank; the lead and teachers only."""
    course = selectors.access_bank(actor=request.user, course_id=course_id)
    question = services.question_create(actor=request.user, course=course, **_fields(data))
    return Status(201, question_out(question))


@router.post(
    "/courses/{course_id}/questions/draw", response={200: list[QuestionOut], **ERRORS}, operation_id="assessment_draw"
)
def draw(request: MemberRequest, course_id: Id, data: DrawIn) -> Any:
    """Draw ``count`` active questions at random by tag, knowledge point, difficulty and type; the same seed draws
    the same questions."""
    course = selectors.access_bank(actor=request.user, course_id=course_id)
    found = selectors.questions_draw(
        course=course, count=data.count, seed=data.seed, tag=data.tag, knowledge_point=data.knowledge_point,
        difficulty=data.difficulty, type=data.type,
    )  # fmt: skip
    return [question_out(question) for question in found]


@router.post(
    "/courses/{course_id}/questions/import", response={200: BankImportOut, **ERRORS}, operation_id="assessment_import"
)
def bank_import(request: MemberRequest, course_id: Id, format: Form[ExportFormat], file: File[UploadedFile]) -> Any:
    """Import an Excel workbook (the template's shape) or a QTI 3.0 package or item. Every row is checked first:
    one bad row imports nothing (422, the message names the row and column). Rows with a known 编号 / QTI
    identifier become new versions of those questions."""
    course = selectors.access_bank(actor=request.user, course_id=course_id)
    rate_limit(request, IMPORT_RATE_KEY, IMPORTS_PER_HOUR, 3600)
    return services.bank_import(actor=request.user, course=course, upload=file, format=format)


@router.get(
    "/courses/{course_id}/questions/export",
    response={200: None, **ERRORS},
    operation_id="assessment_export",
)
def bank_export(request: MemberRequest, course_id: Id, format: ExportFormat = "xlsx") -> Any:
    """The bank's active questions (current versions) as an Excel workbook or a QTI 3.0 content package (zip)."""
    course = selectors.access_bank(actor=request.user, course_id=course_id)
    return export_response(course, format)


@router.get(
    "/courses/{course_id}/questions/{question_id}",
    response={200: QuestionOut, **ERRORS},
    operation_id="assessment_question_get",
)
def question_get(request: MemberRequest, course_id: Id, question_id: Id) -> Any:
    course = selectors.access_bank(actor=request.user, course_id=course_id)
    return question_out(selectors.access_question(actor=request.user, course=course, question_id=question_id))


@router.get(
    "/courses/{course_id}/questions/{question_id}/versions",
    response={200: list[QuestionVersionOut], **ERRORS},
    operation_id="assessment_versions",
)
def versions(request: MemberRequest, course_id: Id, question_id: Id) -> Any:
    """The question's versions, newest first; each stays as it was written."""
    course = selectors.access_bank(actor=request.user, course_id=course_id)
    question = selectors.access_question(actor=request.user, course=course, question_id=question_id)
    return [version_out(version) for version in selectors.versions_of(question=question)]


@router.post(
    "/courses/{course_id}/questions/{question_id}/versions",
    response={201: QuestionVersionOut, **ERRORS},
    operation_id="assessment_question_revise",
)
def question_revise(request: MemberRequest, course_id: Id, question_id: Id, data: QuestionVersionIn) -> Any:
    """Edit a question: the whole question as it should now read becomes its next version."""
    course = selectors.access_bank(actor=request.user, course_id=course_id)
    question = selectors.access_question(actor=request.user, course=course, question_id=question_id)
    version = services.question_revise(actor=request.user, question=question, note=data.note, **_fields(data))
    return Status(201, version_out(version))


@router.post(
    "/courses/{course_id}/questions/{question_id}/archive",
    response={200: QuestionOut, **ERRORS},
    operation_id="assessment_question_archive",
)
def question_archive(request: MemberRequest, course_id: Id, question_id: Id) -> Any:
    """Take a question out of the bank's lists and draws (its versions stay)."""
    course = selectors.access_bank(actor=request.user, course_id=course_id)
    question = selectors.access_question(actor=request.user, course=course, question_id=question_id)
    return question_out(services.question_archive(actor=request.user, question=question))


@router.post(
    "/courses/{course_id}/questions/{question_id}/restore",
    response={200: QuestionOut, **ERRORS},
    operation_id="assessment_question_restore",
)
def question_restore(request: MemberRequest, course_id: Id, question_id: Id) -> Any:
    course = selectors.access_bank(actor=request.user, course_id=course_id)
    question = selectors.access_question(actor=request.user, course=course, question_id=question_id)
    return question_out(services.question_restore(actor=request.user, question=question))


# --- Attempts (测验、作业、考试) ----------------------------------------------------------------------------


def _run(run_id: Id) -> Run:
    run = Run.objects.select_related("course").filter(pk=run_id).first()
    if run is None:
        raise NotFound
    return run


def attempt_out(attempt: Attempt) -> dict[str, Any]:
    paper = selectors.attempt_paper(attempt=attempt)
    return {
        "id": attempt.pk,
        "run_id": attempt.run_id,
        "content_id": str(attempt.content_id),
        "kind": attempt.kind,
        "title": attempt.title,
        "number": attempt.number,
        "status": attempt.status,
        "started_at": attempt.started_at,
        "deadline_at": attempt.deadline_at,
        "seconds_left": paper.seconds_left,
        "submitted_at": attempt.submitted_at,
        "submitted_by": attempt.submitted_by,
        "late": attempt.late,
        "earned": attempt.earned if paper.score_visible else None,
        "possible": attempt.possible,
        "pending": attempt.pending,
        "answers_shown": paper.answers_shown,
        "score_visible": paper.score_visible,
        "items": [{**vars(item), "file": answer_file_out(item.file)} for item in paper.items],
    }


def _own_attempt(request: MemberRequest, attempt_id: Id) -> Attempt:
    attempt = selectors.access_attempt(actor=request.user, attempt_id=attempt_id)
    return services.attempt_expire(attempt=attempt)


@router.get(
    "/runs/{run_id}/assessments/{content_id}/attempts",
    response={200: list[AttemptSummaryOut], **ERRORS},
    operation_id="assessment_attempt_list",
)
def attempt_list(request: MemberRequest, run_id: Id, content_id: str) -> Any:
    """The signed-in learner's attempts at an assessment block of a run, first first."""
    run = _run(run_id)
    block = services.assessment_block(run=run, content_id=content_id)
    return selectors.attempts_of(user_id=request.user.pk, run=run, content_id=block["content_id"])


@router.post(
    "/runs/{run_id}/assessments/{content_id}/attempts",
    response={201: AttemptOut, **ERRORS},
    operation_id="assessment_attempt_start",
)
def attempt_start(request: MemberRequest, run_id: Id, content_id: str) -> Any:
    """Start the assessment, or resume the attempt already open (same questions, saved answers, the time left).
    Enrolled learners only; refused before it opens, after it closes, while locked and when no attempt is left."""
    attempt = services.attempt_start(actor=request.user, run=_run(run_id), content_id=content_id)
    return Status(201, attempt_out(attempt))


@router.get("/attempts/{attempt_id}", response={200: AttemptOut, **ERRORS}, operation_id="assessment_attempt_get")
def attempt_get(request: MemberRequest, attempt_id: Id) -> Any:
    """The learner's own attempt: questions (never the answer keys while it runs), saved answers and the seconds
    left by the server's clock; an attempt past its deadline is submitted as it stood."""
    return attempt_out(_own_attempt(request, attempt_id))


@router.put(
    "/attempts/{attempt_id}/answers/{position}",
    response={200: AnswerSavedOut, **ERRORS},
    operation_id="assessment_answer_save",
)
def answer_save(request: MemberRequest, attempt_id: Id, position: Int, data: AnswerIn) -> Any:
    """Save the answer to question ``position`` (the latest save counts); refused once submitted or past the
    deadline."""
    step = services.answer_save(actor=request.user, attempt_id=attempt_id, position=position, response=data.response)
    return {"position": position, "saved_at": step.created_at, "seconds_left": selectors.seconds_left(step.attempt)}


@router.post(
    "/attempts/{attempt_id}/answers/{position}/file",
    response={200: AnswerSavedOut, **ERRORS},
    operation_id="assessment_answer_upload",
)
def answer_upload(request: MemberRequest, attempt_id: Id, position: Int, file: File[UploadedFile]) -> Any:
    """Upload the answer to file question ``position`` (multipart, field ``file``): checked by its content against
    the question's formats and the size limit, then saved as the answer (the latest upload counts); refused once
    submitted or past the deadline, and a refused file is not kept."""
    stored = services.answer_upload(actor=request.user, attempt_id=attempt_id, position=position, upload=file)
    return {
        "position": position,
        "saved_at": stored.created_at,
        "seconds_left": selectors.seconds_left(stored.attempt),
        "file": answer_file_out(stored),
    }


@router.post(
    "/attempts/{attempt_id}/submit", response={200: AttemptOut, **ERRORS}, operation_id="assessment_attempt_submit"
)
def attempt_submit(request: MemberRequest, attempt_id: Id) -> Any:
    """Hand in the attempt: objective questions are graded at once, the others wait for the teaching team or for
    peer review. Submitting twice is harmless."""
    attempt = services.attempt_submit(actor=request.user, attempt_id=attempt_id)
    return attempt_out(attempt)


@router.get(
    "/attempts/{attempt_id}/result", response={200: AttemptOut, **ERRORS}, operation_id="assessment_attempt_result"
)
def attempt_result(request: MemberRequest, attempt_id: Id) -> Any:
    """The submitted attempt's result: the score (unless peer review still hides it) and, when the assessment's
    rules allow, the right answers and explanations. 409 while the attempt runs."""
    attempt = _own_attempt(request, attempt_id)
    if attempt.status == AttemptStatus.IN_PROGRESS:
        raise DomainError("not_submitted", _("提交后才能查看结果"), status=409)
    return attempt_out(attempt)


# The grading queue and peer review (review_api.py) share this router's prefix.
router.add_router("", review_router)
