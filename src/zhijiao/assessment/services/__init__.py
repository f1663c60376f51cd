"""The assessment app's writes: ``bank`` (questions and their versions, import and export), ``attempts`` (start,
save an answer, submit, time-out) and ``scoring`` (an
attempt's total from its items, reported to the course engine's grades). Other apps import this package, never its
modules."""

from .attempts import (
    answer_save,
    assessment_block,
    attempt_expire,
    attempt_start,
    attempt_submit,
    attempts_expire_due,
    latest_answers,
)
from .bank import (
    AUDIT_ACTIONS,
    IMPORT_FORMATS,
    bank_import,
    question_archive,
    question_build,
    question_create,
    question_restore,
    question_revise,
    questions_import,
    version_build,
)
from .scoring import attempt_rescore

__all__ = [
    "AUDIT_ACTIONS",
    "IMPORT_FORMATS",
    "answer_save",
    "assessment_block",
    "attempt_expire",
    "attempt_rescore",
    "attempt_start",
    "attempt_submit",
    "attempts_expire_due",
    "bank_import",
    "latest_answers",
    "question_archive",
    "question_build",
    "question_create",
    "question_restore",
    "question_revise",
    "questions_import",
    "version_build",
]
