"""The one Chinese tokenizer: the same words for what is indexed and what people type.

Text is first normalised: Unicode NFKC (full-width ``ＡＢＣ１２３`` becomes ``ABC123``), traditional to simplified
Chinese (OpenCC's ``t2s``), Latin lower-cased. It is then segmented by rjieba (jieba's algorithm and dictionary,
in Rust) with the project's user dictionary of education terms loaded, so ``一元一次方程`` or ``三方协议`` stay one
word. Digits and English words are tokens of their own; punctuation and a handful of function words are dropped.

- :func:`query_tokens` is jieba's precise segmentation: what a person's words mean.
- :func:`index_tokens` is jieba's *search-mode* segmentation laid out for phrases: the precise words in order,
  followed by the shorter dictionary words inside long ones (``生物制药`` → … ``生物``, ``制药``), so a query for
  ``生物制药`` and one for ``生物 制药`` both find a text containing 生物制药, and a quoted phrase still matches
  consecutive words.
- :func:`pinyin_tokens` gives the full pinyin and the initials of each word (北京 → ``beijing``, ``bj``).

Dictionaries are loaded once per process on first use. The app that owns the dictionaries registers them with
:func:`configure` (``core`` knows no domain app); words added later (:func:`add_words`) take effect at once in
this process, and the documents already indexed need a reindex to be split the new way.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

import opencc
import rjieba
from pypinyin import lazy_pinyin

# Words so common in Chinese that matching them says nothing; dropped from text and queries alike.
STOPWORDS = frozenset({"的", "了", "和", "与", "及", "之", "是", "在", "或", "等", "对", "把", "被", "并", "而"})
_WORD = re.compile(r"[^\W_]+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

_lock = threading.Lock()
_segmenter: rjieba.Jieba | None = None
_dictionaries: list[Path] = []
_term_loader: Callable[[], Iterable[str]] | None = None


def configure(*, dictionaries: Iterable[Path] = (), term_loader: Callable[[], Iterable[str]] | None = None) -> None:
    """Register user dictionary files (``word [frequency]`` per line) and a callable giving extra words.

    Called from an app's ``ready()``; the dictionaries are read on first use, not at import time.
    """
    global _term_loader
    for path in dictionaries:
        if path not in _dictionaries:
            _dictionaries.append(path)
    if term_loader is not None:
        _term_loader = term_loader
    reset()


def reset() -> None:
    """Forget the loaded segmenter; the next call loads the dictionaries again (words removed are gone)."""
    global _segmenter
    with _lock:
        _segmenter = None
    _cut.cache_clear()


def _dictionary_words(path: Path) -> Iterable[tuple[str, int | None]]:
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        yield normalize(parts[0]), freq


def _load() -> rjieba.Jieba:
    global _segmenter
    with _lock:
        if _segmenter is None:
            segmenter = rjieba.Jieba()
            for path in _dictionaries:
                for word, freq in _dictionary_words(path):
                    segmenter.add_word(word, freq, None)
            if _term_loader is not None:
                for word in _term_loader():
                    if word.strip():
                        segmenter.add_word(normalize(word.strip()), None, None)
            _segmenter = segmenter
        return _segmenter


def add_words(words: Iterable[str]) -> None:
    """Teach this process's segmenter new words now (staff added search terms)."""
    segmenter = _load()
    with _lock:
        for word in words:
            if word.strip():
                segmenter.add_word(normalize(word.strip()), None, None)
    _cut.cache_clear()


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def normalize(text: str) -> str:
    """Full-width to half-width (NFKC), traditional to simplified, lower-case: the form that is matched."""
    text = unicodedata.normalize("NFKC", text or "")
    if _HAN.search(text):
        text = _converter().convert(text)
    return text.lower()


def _words(pieces: Iterable[str]) -> list[str]:
    words: list[str] = []
    for piece in pieces:
        for word in _WORD.findall(piece):
            if word not in STOPWORDS:
                words.append(word)
    return words


@lru_cache(maxsize=4096)
def _cut(text: str, search_mode: bool) -> tuple[str, ...]:
    segmenter = _load()
    return tuple(_words(segmenter.cut_for_search(text, True) if search_mode else segmenter.cut(text, True)))


def query_tokens(text: str) -> list[str]:
    """The words of what a person typed (precise segmentation), normalised."""
    return list(_cut(normalize(text), False))


def index_tokens(text: str) -> list[str]:
    """The words to index: the precise words in order, then the shorter words search mode finds inside them."""
    normalized = normalize(text)
    precise = list(_cut(normalized, False))
    extra = Counter(_cut(normalized, True)) - Counter(precise)
    return precise + list(extra.elements())


def segment(text: str) -> str:
    """:func:`index_tokens` joined by spaces: the form both search backends store and match."""
    return " ".join(index_tokens(text))


def pinyin_tokens(text: str) -> list[str]:
    """Full pinyin and initials of every Chinese word of ``text`` (北京大学 → beijingdaxue, bjdx, beijing, bj …)."""
    tokens: list[str] = []
    for word in dict.fromkeys(index_tokens(text)):
        if _HAN.search(word):
            tokens.extend(_word_pinyin(word))
    return list(dict.fromkeys(tokens))


@lru_cache(maxsize=65536)
def _word_pinyin(word: str) -> tuple[str, ...]:
    syllables = [syllable for syllable in lazy_pinyin(word, errors="ignore") if syllable]
    if not syllables:
        return ()
    return ("".join(syllables), "".join(syllable[0] for syllable in syllables))


def has_han(text: str) -> bool:
    """Whether ``text`` holds a Chinese character."""
    return bool(_HAN.search(text))
