"""The assessment app's writes: ``bank`` (questions and their versions, import and export), ``attempts`` (start,
save an answer, submit, time-out), ``scoring`` (an attempt's total from its items, reported to the course engine's
grades) and ``review`` (grading by the teaching team, peer review, the review deadline's pass). Other apps import
this package, never its modules."""

from .attempts import (
    answer_files_sweep,
    answer_save,
    answer_upload,
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
from .review import (
    FEEDBACK_MAX,
    NOTIFICATION_KINDS,
    CloseResult,
    clean_feedback,
    item_grade,
    peer_reviews_close,
    peer_reviews_close_due,
    review_next,
    review_submit,
    trimmed_mean,
)
from .scoring import attempt_rescore

__all__ = [
    "AUDIT_ACTIONS",
    "FEEDBACK_MAX",
    "IMPORT_FORMATS",
    "NOTIFICATION_KINDS",
    "CloseResult",
    "answer_files_sweep",
    "answer_save",
    "answer_upload",
    "assessment_block",
    "attempt_expire",
    "attempt_rescore",
    "attempt_start",
    "attempt_submit",
    "attempts_expire_due",
    "bank_import",
    "clean_feedback",
    "item_grade",
    "latest_answers",
    "peer_reviews_close",
    "peer_reviews_close_due",
    "question_archive",
    "question_build",
    "question_create",
    "question_restore",
    "question_revise",
    "questions_import",
    "review_next",
    "review_submit",
    "trimmed_mean",
    "version_build",
]
