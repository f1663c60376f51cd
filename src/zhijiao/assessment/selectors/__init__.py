"""The assessment app's reads and access checks: ``bank`` (who reads and writes a course's question bank, filters,
random draws) and ``review`` (what a learner may see of their peer-reviewed work). Other apps import this package,
never its modules."""

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
    "access_bank",
    "access_question",
    "bank_facets",
    "can_read_bank",
    "can_write_bank",
    "questions_draw",
    "questions_of",
    "reviews_done",
    "score_visible",
    "version_of",
    "versions_of",
]
