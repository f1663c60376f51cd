"""The user dictionary of the tokenizer: the shipped education terms and those staff add in the admin."""

import logging
from pathlib import Path

from django.db import DatabaseError

DICTIONARY_PATH = Path(__file__).resolve().parent / "data" / "edu_dict.txt"

logger = logging.getLogger(__name__)


def staff_terms() -> list[str]:
    """Words staff added (``SearchTerm``); none while the table does not exist yet (before migrating)."""
    from .models import SearchTerm

    try:
        return list(SearchTerm.objects.values_list("word", flat=True))
    except DatabaseError:
        logger.warning("search terms could not be read; the tokenizer uses the shipped dictionary only")
        return []
