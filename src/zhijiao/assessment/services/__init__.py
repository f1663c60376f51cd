"""The assessment app's writes: ``bank`` (questions and their versions, import and export) and ``scoring`` (an
attempt's total from its items, reported to the course engine's grades). Other apps import this package, never its
modules."""

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
    "attempt_rescore",
    "bank_import",
    "question_archive",
    "question_build",
    "question_create",
    "question_restore",
    "question_revise",
    "questions_import",
    "version_build",
]
