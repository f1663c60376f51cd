"""The query language of the search box.

- words separated by spaces must all match: ``北京 生物制药``;
- ``"quoted words"`` match as a phrase (consecutive words); an unbalanced quote is closed at the end;
- ``-词`` excludes documents containing the word (or ``-"a phrase"``);
- Latin words also match the pinyin of titles: ``beijing`` or ``bj`` finds 北京.

Queries are capped at :data:`MAX_QUERY_LENGTH` characters. Full-width quotes and dashes count as their
half-width forms; symbols alone mean nothing and leave the query empty (:attr:`ParsedQuery.is_empty`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from zhijiao.core import tokenizer

MAX_QUERY_LENGTH = 100
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "「": '"', "」": '"', "『": '"', "』": '"', "＂": '"'})
_PART = re.compile(r'(-?)"([^"]*)"|(-?)([^\s"]+)')


@dataclass
class ParsedQuery:
    """What a query asks for, as normalised words."""

    text: str  # the query as used (trimmed and capped)
    truncated: bool = False
    terms: list[str] = field(default_factory=list)  # every word required
    phrases: list[list[str]] = field(default_factory=list)  # each: consecutive words
    excluded: list[list[str]] = field(default_factory=list)  # documents with these words are left out

    @property
    def is_empty(self) -> bool:
        """Nothing to look for (blank, symbols only, or only exclusions)."""
        return not (self.terms or self.phrases)

    @property
    def highlight_words(self) -> list[str]:
        words = [*self.terms, *(word for phrase in self.phrases for word in phrase)]
        return sorted(set(words), key=len, reverse=True)


def clean_text(raw: str | None) -> tuple[str, bool]:
    """The query text trimmed, with control characters dropped, capped at MAX_QUERY_LENGTH; and whether it was cut."""
    text = "".join(char for char in (raw or "") if unicodedata.category(char)[0] != "C" or char in " \t")
    text = " ".join(text.split())
    if len(text) > MAX_QUERY_LENGTH:
        return text[:MAX_QUERY_LENGTH].rstrip(), True
    return text, False


def parse(raw: str | None) -> ParsedQuery:
    """Split what a person typed into required words, phrases and exclusions."""
    text, truncated = clean_text(raw)
    parsed = ParsedQuery(text=text, truncated=truncated)
    working = text.translate(_QUOTES).replace("－", "-")
    if working.count('"') % 2:
        working += '"'
    for match in _PART.finditer(working):
        negative, quoted, negative_word, word = match.groups()
        if quoted is not None:
            words = tokenizer.query_tokens(quoted)
            if not words:
                continue
            if negative:
                parsed.excluded.append(words)
            elif len(words) == 1:
                parsed.terms.append(words[0])
            else:
                parsed.phrases.append(words)
        else:
            words = tokenizer.query_tokens(word.lstrip("-") if negative_word else word)
            if not words:
                continue
            if negative_word:
                parsed.excluded.extend([item] for item in words)
            else:
                parsed.terms.extend(words)
    parsed.terms = list(dict.fromkeys(parsed.terms))
    return parsed
