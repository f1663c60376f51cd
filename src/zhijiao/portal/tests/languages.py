"""Finding text of the other language in a page: what a person reads (text, titles, placeholders, labels for screen
readers), minus what people wrote (the data) and a short list of words that stay as they are in both languages."""

import json
import re
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser

from django.apps import apps
from django.db import models

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
# Full-width punctuation in an English page means a Chinese sentence pattern was left untranslated ("Region：…").
CJK_PUNCTUATION = re.compile(r"[\u3001\u3002\u300a-\u3011\uff01\uff08\uff09\uff0c\uff1a\uff1b\uff1f]")
LATIN_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
# Addresses, e-mail addresses and codes read the same in both languages. So are paths (of stored files too) and
# domain names (/.well-known/jwks.json, schema.org), format hints of codes (XXXX-XXXX), and the media types of files
# (application/pdf) and keys of records (exams.score:3) that staff screens show as they are.
_NEUTRAL = re.compile(
    r"https?://\S+|\b[\w-]+(?:/[\w-]+)*/[\w-]+\.\w{2,4}\b|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?<![\w.])/[\w./-]+|\b[\w-]+\.(?:org|com|cn|json)\b"
    r"|\b[\w-]*\d[\w-]*\b|\bX+(?:-X+)*\b|\b(?:application|audio|image|text|video)/[\w.+-]+"
    r"|\b[a-z_]+(?:\.[a-z_]+)+:\w+"
)
# A masked name (陈**) is the person's own name, shown in part.
_MASKED_NAME = re.compile(r"[\u3400-\u9fff]\*+[\u3400-\u9fff]?")
# Words in capitals are file formats, standards and codes (PDF, CSV, CET-4, API, QR); they read the same.
_CAPITALS = re.compile(r"\b[A-Z]{2,}s?\b")

# Words a Chinese page may show in Latin letters, each with its reason. Keep it short: anything else is English
# that needs a translation.
ALLOWED_IN_CHINESE = {
    "Excel": "a program people name as it is",
    "Office": "Microsoft Office, a program people name as it is",
    "WebM": "a file format",
    "WebP": "a file format",
    "Ogg": "a file format",
    "xlsx": "a file extension",
    "csv": "a file extension",
    "Tab": "the key is called Tab on Chinese keyboards too (按 Tab 键)",
    "JobPosting": "the schema.org type of a job, named as it is",
    "Authorization": "an HTTP header, named in the API's messages",
    "Bearer": "the HTTP authorization scheme, typed as it is",
    "Control": "a key named as it is printed on the keyboard (按住 Control 键)",
    "Command": "a key named as it is printed on Mac keyboards (Mac 上的 Command 键)",
    "Mac": "a computer people name as it is",
}
ALLOWED_IN_ENGLISH = {
    "智": "the brand's logo mark",
}

_SKIPPED_ELEMENTS = {"script", "style", "template", "textarea", "noscript"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_READ_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")


class _Reader(HTMLParser):
    """Collects what a person reads: text nodes and the attributes browsers show or read out."""

    def __init__(self, language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.language = language
        self.pieces: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.json_block = False

    @property
    def skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        lang = (values.get("lang") or "").lower()
        other = bool(lang) and not self.language.startswith(lang[:2])
        skipped = self.skipping or other or tag in _SKIPPED_ELEMENTS
        if not skipped:
            self.pieces += [value for name in _READ_ATTRIBUTES if (value := values.get(name))]
            if tag == "meta" and values.get("name") == "description" and values.get("content"):
                self.pieces.append(values["content"] or "")
            if tag == "input" and values.get("type") in {"submit", "button", "reset"}:
                self.pieces.append(values.get("value") or "")
        self.json_block = tag == "script" and values.get("type") == "application/json"
        if tag not in _VOID:
            self.stack.append((tag, skipped))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break
        self.json_block = False

    def handle_data(self, data: str) -> None:
        if self.json_block:
            self.pieces += _json_strings(json.loads(data))
        elif not self.skipping and data.strip():
            self.pieces.append(data)


_JSON_TEXT_KEYS = {"label", "labels", "name", "names", "title", "text", "message"}


def _json_strings(data: object, text: bool = False) -> list[str]:
    """The labels, names and titles of a json_script block (its other values, like a chart's type, are code)."""
    if isinstance(data, dict):
        return [found for key, value in data.items() for found in _json_strings(value, key in _JSON_TEXT_KEYS)]
    if isinstance(data, list):
        return [found for value in data for found in _json_strings(value, text)]
    return [data] if text and isinstance(data, str) else []


def readable_text(page: str, language: str) -> list[str]:
    """The pieces of text a person reads in an HTML page, one string each (whitespace collapsed)."""
    reader = _Reader(language)
    reader.feed(page)
    reader.close()
    return [" ".join(piece.split()) for piece in reader.pieces if piece.strip()]


# Keys, kinds and paths stored in the tables ("region", "employment.job", "/articles/1/") are not words people read.
_MACHINE_KEY = re.compile(r"[a-z0-9_./:-]+")
_FILE_NAME = re.compile(r".+\.(?:pdf|png|jpe?g|webp|xlsx|csv|json|mp4|mp3|docx?|txt)")


def _is_word(char: str) -> bool:
    return char.isascii() and char.isalnum()


class UserContent:
    """What people wrote (titles, names, bodies, codes, …): every text value in the project's tables, and the
    values of the query string. Removed from a page's text before it is checked, longest match first."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.trie: dict[str, dict] = {}
        for text in texts:
            for part in {text.strip(), *(line.strip() for line in text.splitlines())}:
                if part:
                    self._add(" ".join(part.split()))

    def _add(self, text: str) -> None:
        node = self.trie
        for char in text:
            node = node.setdefault(char, {})
        node[""] = {}

    def remove(self, text: str) -> str:
        """The text with every piece of user content in it replaced by a space (Latin letters and digits only as
        whole words: a code "C" is not taken out of "CSV")."""
        out: list[str] = []
        index = 0
        while index < len(text):
            node, end, probe = self.trie, 0, index
            starts_word = not (_is_word(text[index]) and index and _is_word(text[index - 1]))
            while starts_word and probe < len(text) and text[probe] in node:
                node = node[text[probe]]
                probe += 1
                if "" in node and not (probe < len(text) and _is_word(text[probe - 1]) and _is_word(text[probe])):
                    end = probe
            if end:
                out.append(" ")
                index = end
            else:
                out.append(text[index])
                index += 1
        return "".join(out)

    @classmethod
    def from_database(cls, *extra: str) -> "UserContent":
        texts: list[str] = list(extra)
        slugged: list[str] = []
        for model in apps.get_models():
            if not model.__module__.startswith("zhijiao.") or model._meta.proxy:
                continue
            for field in model._meta.concrete_fields:
                if field.choices or field.name == "password":
                    continue
                if isinstance(field, models.FileField):  # the name of the file as its owner uploaded it, and where
                    values = model._default_manager.values_list(field.attname, flat=True)
                    texts += [part for value in values if value for part in (value, value.rsplit("/", 1)[-1])]
                elif isinstance(field, models.SlugField):  # an address someone chose ("mental-health")
                    slugs = model._default_manager.values_list(field.attname, flat=True)
                    slugged += [value for value in slugs if value]
                elif isinstance(field, (models.CharField, models.TextField)):
                    texts += [v for v in model._default_manager.values_list(field.attname, flat=True).distinct() if v]
                elif isinstance(field, models.JSONField):
                    for value in model._default_manager.values_list(field.attname, flat=True):
                        texts += _all_strings(value)
        return cls(
            [*(text for text in texts if _FILE_NAME.fullmatch(text) or not _MACHINE_KEY.fullmatch(text)), *slugged]
        )


def _all_strings(data: object, keys: bool = True) -> list[str]:
    if isinstance(data, dict):
        # Keys are code, except the names people gave to what they recorded (a certificate's 总分).
        names = [key for key in map(str, data) if not key.isascii()] if keys else []
        return [*names, *(text for value in data.values() for text in _all_strings(value, keys))]
    if isinstance(data, list):
        return [text for value in data for text in _all_strings(value, keys)]
    return [data] if isinstance(data, str) else []


def foreign_text(pieces: Iterable[str], language: str, *contents: UserContent) -> list[str]:
    """The interface text among ``pieces`` that is in the other language: Chinese (and full-width punctuation) in
    an English page, English words in a Chinese page; what people wrote and the allowed words left out."""
    found: list[str] = []
    for piece in _unpacked(pieces):
        if language == "en":
            if not (CJK.search(piece) or CJK_PUNCTUATION.search(piece)):
                continue
            rest = _MASKED_NAME.sub(" ", _without(piece, contents))
            for word in ALLOWED_IN_ENGLISH:
                rest = rest.replace(word, " ")
            if CJK.search(rest) or CJK_PUNCTUATION.search(rest):
                found.append(piece)
        else:
            if not LATIN_WORD.search(piece):
                continue
            rest = _CAPITALS.sub(" ", _without(_NEUTRAL.sub(" ", piece), contents))
            words = [w for w in LATIN_WORD.findall(rest) if len(w) > 1 and w not in ALLOWED_IN_CHINESE]
            if words:
                found.append(f"{piece} [{' '.join(words)}]")
    return found


def _unpacked(pieces: Iterable[str]) -> Iterator[str]:
    """The pieces, with a JSON document a staff screen shows as it is stored read as its string values: its keys
    and its codes ("degree": "master") are the program's names for the values, not words of the interface."""
    for piece in pieces:
        if piece[:1] in "{[" and piece[-1:] in "}]":
            try:
                data = json.loads(piece)
            except ValueError:
                yield piece
                continue
            yield from (text for text in _all_strings(data, keys=False) if not _MACHINE_KEY.fullmatch(text))
        else:
            yield piece


def _without(text: str, contents: Iterable[UserContent]) -> str:
    for content in contents:
        text = content.remove(text)
    return text


def interface_chinese(page: str, *data: str) -> list[str]:
    """Chinese text left in a page once its data (titles, names, the query) and the brand are taken out."""
    page = re.sub(r"</?mark>", "", page)
    page = page.replace('<span class="brand-mark" aria-hidden="true">智</span>', "").replace(">中文</a>", "")
    for text in sorted(data, key=len, reverse=True):
        page = page.replace(text, "")
    return CJK.findall(page)
