"""The assessment app's reads and access checks: ``bank`` (who reads and writes a course's question bank, filters,
random draws), ``attempts`` (a learner's attempts and papers) and ``review`` (what a learner may see of their
peer-reviewed work). Other apps import this package, never its modules."""

from .attempts import (
    Paper,
    PaperItem,
    access_attempt,
    answers_shown,
    assessment_of,
    attempt_paper,
    attempts_of,
    seconds_left,
)
from .bank import (
    MAX_DRAW,
    BankFacets,
    BankFilter,
    access_bank,
    access_question,
    bank_facets,
    can_read_bank,
    can_write_bank,
    questions_draw,
    questions_of,
    version_of,
    versions_of,
)
from .review import reviews_done, score_visible

__all__ = [
    "MAX_DRAW",
    "BankFacets",
    "BankFilter",
    "Paper",
    "PaperItem",
    "access_attempt",
    "access_bank",
    "access_question",
    "answers_shown",
    "assessment_of",
    "attempt_paper",
    "attempts_of",
    "bank_facets",
    "can_read_bank",
    "can_write_bank",
    "questions_draw",
    "questions_of",
    "reviews_done",
    "score_visible",
    "seconds_left",
    "version_of",
    "versions_of",
]
