"""Snippets of the original text with the matched words marked, HTML-escaped.

Matching happens on the normalised form (full-width → half-width, traditional → simplified, lower case), and
the marks are put back on the original characters, so a traditional text shows traditional with marks.
"""

from __future__ import annotations

import unicodedata

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from zhijiao.core import tokenizer

SNIPPET_CHARS = 120
_SCAN_CHARS = 4000


def _normalized_with_map(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, the index of the original character."""
    pieces: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        normalized = unicodedata.normalize("NFKC", char)
        pieces.append(normalized)
        origin.extend([index] * len(normalized))
    nfkc = "".join(pieces)
    converted = tokenizer.normalize(nfkc)
    if len(converted) != len(nfkc):  # a rare many-to-one conversion: fall back to one character at a time
        converted = "".join((tokenizer.normalize(char) or char)[:1] for char in nfkc)
    return converted, origin


def _spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping (start, end) of the words in the original ``text``."""
    if not words or not text:
        return []
    normalized, origin = _normalized_with_map(text)
    found: list[tuple[int, int]] = []
    for word in words:
        start = normalized.find(word)
        while start != -1:
            found.append((origin[start], origin[start + len(word) - 1] + 1))
            start = normalized.find(word, start + len(word))
    found.sort()
    merged: list[tuple[int, int]] = []
    for start, end in found:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _render(text: str, spans: list[tuple[int, int]], offset: int = 0) -> str:
    out: list[str] = []
    position = 0
    for start, end in spans:
        start, end = start - offset, end - offset
        if end <= 0 or start >= len(text):
            continue
        start, end = max(start, 0), min(end, len(text))
        out.append(escape(text[position:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    out.append(escape(text[position:]))
    return "".join(out)


def highlight(text: str, words: list[str]) -> SafeString:
    """The whole (short) text, escaped, with the words marked."""
    return mark_safe(_render(text, _spans(text, words)))  # noqa: S308 - every piece is escaped in _render


def snippet(text: str, words: list[str], length: int = SNIPPET_CHARS) -> SafeString:
    """About ``length`` characters of ``text`` around the first matched word, escaped, with the words marked."""
    text = " ".join(text[:_SCAN_CHARS].split())
    spans = _spans(text, words)
    start = 0
    if spans:
        start = max(0, spans[0][0] - length // 4)
    end = min(len(text), start + length)
    window = text[start:end]
    html = _render(window, spans, offset=start)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + html + suffix)  # noqa: S308 - every piece is escaped in _render
