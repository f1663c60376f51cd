"""The question bank's API (/api/v1/assessment/): list and filter a course's bank, read, create, add a version,
archive and restore, draw at random, import and export (Excel, QTI 3.0). Thin over the bank's services."""

from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from zhijiao.core.actors import MemberRequest
from zhijiao.core.api_auth import session_or_token
from zhijiao.core.api_errors import ErrorOut
from zhijiao.core.pagination import Page, PageParams, paginate
from zhijiao.core.ratelimit import rate_limit

from . import selectors, services
from .downloads import IMPORT_RATE_KEY, IMPORTS_PER_HOUR, export_response
from .models import Question, QuestionVersion
from .question_types import question_types
from .review_api import router as review_router
from .schemas import (
    BankImportOut,
    DrawIn,
    ExportFormat,
    QuestionIn,
    QuestionOut,
    QuestionTypeOut,
    QuestionVersionIn,
    QuestionVersionOut,
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
    course_id: int,
    page: Query[PageParams],
    type: str = "",
    tag: str = "",
    knowledge_point: str = "",
    difficulty: int | None = None,
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
def question_create(request: MemberRequest, course_id: int, data: QuestionIn) -> Any:
    """Add a question (its version 1) to the bank; the lead and teachers only."""
    course = selectors.access_bank(actor=request.user, course_id=course_id)
    question = services.question_create(actor=request.user, course=course, **_fields(data))
    return Status(201, question_out(question))


@router.post(
    "/courses/{course_id}/questions/draw", response={200: list[QuestionOut], **ERRORS}, operation_id="assessment_draw"
)
def draw(request: MemberRequest, course_id: int, data: DrawIn) -> Any:
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
def bank_import(request: MemberRequest, course_id: int, format: Form[ExportFormat], file: File[UploadedFile]) -> Any:
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
def bank_export(request: MemberRequest, course_id: int, format: ExportFormat = "xlsx") -> Any:
    """The bank's active questions (current versions) as an Excel workbook or a QTI 3.0 content package (zip)."""
    course = selectors.access_bank(actor=request.user, course_id=course_id)
    return export_response(course, format)


@router.get(
    "/courses/{course_id}/questions/{question_id}",
    response={200: QuestionOut, **ERRORS},
    operation_id="assessment_question_get",
)
def question_get(request: MemberRequest, course_id: int, question_id: int) -> Any:
    course = selectors.access_bank(actor=request.user, course_id=course_id)
    return question_out(selectors.access_question(actor=request.user, course=course, question_id=question_id))


@router.get(
    "/courses/{course_id}/questions/{question_id}/versions",
    response={200: list[QuestionVersionOut], **ERRORS},
    operation_id="assessment_versions",
)
def versions(request: MemberRequest, course_id: int, question_id: int) -> Any:
    """The question's versions, newest first; each stays as it was written."""
    course = selectors.access_bank(actor=request.user, course_id=course_id)
    question = selectors.access_question(actor=request.user, course=course, question_id=question_id)
    return [version_out(version) for version in selectors.versions_of(question=question)]


@router.post(
    "/courses/{course_id}/questions/{question_id}/versions",
    response={201: QuestionVersionOut, **ERRORS},
    operation_id="assessment_question_revise",
)
def question_revise(request: MemberRequest, course_id: int, question_id: int, data: QuestionVersionIn) -> Any:
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
def question_archive(request: MemberRequest, course_id: int, question_id: int) -> Any:
    """Take a question out of the bank's lists and draws (its versions stay)."""
    course = selectors.access_bank(actor=request.user, course_id=course_id)
    question = selectors.access_question(actor=request.user, course=course, question_id=question_id)
    return question_out(services.question_archive(actor=request.user, question=question))


@router.post(
    "/courses/{course_id}/questions/{question_id}/restore",
    response={200: QuestionOut, **ERRORS},
    operation_id="assessment_question_restore",
)
def question_restore(request: MemberRequest, course_id: int, question_id: int) -> Any:
    course = selectors.access_bank(actor=request.user, course_id=course_id)
    question = selectors.access_question(actor=request.user, course=course, question_id=question_id)
    return question_out(services.question_restore(actor=request.user, question=question))


# The grading queue and peer review (review_api.py) share this router's prefix.
router.add_router("", review_router)
