"""The question type registry: what kinds of question a bank holds, and everything the engine needs of each.

A question type declares, in one class (as ``courses/blocks.py`` does for blocks):

- ``name`` (stored in ``QuestionVersion.type``) and ``label`` (what teachers see);
- ``clean(data)``: the validated, normalised ``data`` a version stores (options, answer key, blanks, rubric …), or
  a ``ValidationError`` keyed by field;
- ``normalise_response(data, response)``: a learner's answer in its one canonical form, or a ``ValidationError``;
- ``grade(data, response, points=…)``: the score as a ``Decimal`` between 0 and ``points``, or ``None`` when a
  person grades it (short answers, essays and files go to the teaching team or to peer review, against the
  version's rubric);
- ``from_flat(flat)`` / ``to_flat(data)``: the type's fields as the plain texts a spreadsheet row or a page form
  holds (options one per line, the answer as ``B`` or ``ACD`` or ``对`` …), so Excel and the page parse alike.

Scores are rounded to hundredths, half up; a fully right answer earns exactly ``points``.
"""

from __future__ import annotations

import re
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijiao.core.registry import Registry
from zhijiao.core.uploads import DOCX, JPEG, PDF, PNG, PPTX, TXT, XLSX, ZIP, Format

type Data = dict[str, Any]
type Flat = dict[str, Any]

CENT = Decimal("0.01")
MAX_OPTIONS = 10
MIN_OPTIONS = 2
OPTION_MAX = 500
MAX_BLANKS = 20
MAX_ALTERNATIVES = 10
ANSWER_MAX = 200
MAX_CRITERIA = 10
LETTERS = "ABCDEFGHIJ"


def sanitise_rich_text(html: str) -> str:
    """A stem, option or explanation as it may be shown: the course engine's rich-text rules (no script, handler,
    style or javascript: URL survives)."""
    from zhijiao.courses.blocks import sanitise_html

    return sanitise_html(html) if html else ""


def quantise(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def normalise_text(text: str) -> str:
    """An answer as it is compared: full-width forms folded to half-width (NFKC: ＡＢＣ１２３ → ABC123, 全角空格 →
    space), case folded, runs of white space made one, ends trimmed."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"\s+", " ", folded).strip()


def _fail(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def _plain(value: Any, field: str, *, max_length: int, required: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise _fail(field, _("应为文字"))
    value = value.strip()
    if required and not value:
        raise _fail(field, _("此项必填"))
    if len(value) > max_length:
        raise _fail(field, _("不能超过 %(n)d 个字") % {"n": max_length})
    return value


def _lines(text: Any) -> list[str]:
    if isinstance(text, (list, tuple)):
        return [str(item).strip() for item in text if str(item).strip()]
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


def _decimal(value: Any, field: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except ArithmeticError:
        raise _fail(field, _("请填写数字")) from None
    if not number.is_finite() or number < 0 or number > 1000:
        raise _fail(field, _("请填写 0 到 1000 之间的数"))
    return quantise(number)


class QuestionType(ABC):
    """A kind of question. Subclass it, set the class attributes, and :func:`register` an instance."""

    name: ClassVar[str]
    label: ClassVar[Promise | str]
    # Graded by a person (the teaching team or peers) against the version's rubric.
    manual: ClassVar[bool] = False
    # Which of the form's and the spreadsheet's fields this type uses (``options``, ``answer``, ``scoring``,
    # ``any_order``, ``rubric``, ``grading``, ``formats``).
    fields: ClassVar[tuple[str, ...]] = ()

    @abstractmethod
    def clean(self, data: Mapping[str, Any]) -> Data: ...

    @abstractmethod
    def normalise_response(self, data: Mapping[str, Any], response: Any) -> Any: ...

    def grade(self, data: Mapping[str, Any], response: Any, *, points: Decimal) -> Decimal | None:
        return None

    @abstractmethod
    def from_flat(self, flat: Mapping[str, Any]) -> Data: ...

    @abstractmethod
    def to_flat(self, data: Mapping[str, Any]) -> Flat: ...

    def max_points(self, data: Mapping[str, Any]) -> Decimal | None:
        """What the type's own data says the question is worth (a rubric's total), if it says."""
        return None


# --- Choices ------------------------------------------------------------------------------------------------------


def _clean_options(data: Mapping[str, Any]) -> list[str]:
    options = data.get("options")
    if not isinstance(options, list):
        raise _fail("options", _("请填写选项"))
    cleaned = [_plain(option, "options", max_length=OPTION_MAX) for option in options]
    if not MIN_OPTIONS <= len(cleaned) <= MAX_OPTIONS:
        raise _fail("options", _("选项应有 %(min)d 到 %(max)d 个") % {"min": MIN_OPTIONS, "max": MAX_OPTIONS})
    if len(set(cleaned)) != len(cleaned):
        raise _fail("options", _("选项不能重复"))
    return cleaned


def _index(value: Any, count: int, field: str = "answer") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < count:
        raise _fail(field, _("答案应为选项之一"))
    return value


def _letters_to_indices(text: str, count: int) -> list[int]:
    letters = [ch for ch in unicodedata.normalize("NFKC", text).upper() if not ch.isspace() and ch not in ",，、;；"]
    indices = []
    for letter in letters:
        at = LETTERS.find(letter)
        if at < 0 or at >= count:
            raise _fail("answer", _("答案应为选项字母，如 B 或 ACD"))
        indices.append(at)
    return indices


class SingleChoice(QuestionType):
    name = "single"
    label = gettext_lazy("单选题")
    fields = ("options", "answer")

    def clean(self, data: Mapping[str, Any]) -> Data:
        options = _clean_options(data)
        return {"options": options, "answer": _index(data.get("answer"), len(options))}

    def normalise_response(self, data: Mapping[str, Any], response: Any) -> int:
        return _index(response, len(data["options"]), "response")

    def grade(self, data: Mapping[str, Any], response: Any, *, points: Decimal) -> Decimal:
        return points if self.normalise_response(data, response) == data["answer"] else Decimal("0.00")

    def from_flat(self, flat: Mapping[str, Any]) -> Data:
        options = _lines(flat.get("options"))
        indices = _letters_to_indices(str(flat.get("answer") or ""), len(options))
        if len(indices) != 1:
            raise _fail("answer", _("单选题的答案是一个选项字母，如 B"))
        return self.clean({"options": options, "answer": indices[0]})

    def to_flat(self, data: Mapping[str, Any]) -> Flat:
        return {"options": list(data["options"]), "answer": LETTERS[data["answer"]]}


class Scoring:
    """How a multiple-choice question gives part marks."""

    ALL = "all"  # all or nothing
    SHARE = "share"  # each right option chosen earns its share; any wrong option chosen earns 0
    NET = "net"  # (right chosen − wrong chosen) shares, never below 0

    LABELS: ClassVar[dict[str, Promise]] = {
        ALL: gettext_lazy("全部选对才得分"),
        SHARE: gettext_lazy("少选按比例得分，错选不得分"),
        NET: gettext_lazy("选对加分、选错扣分，最低 0 分"),
    }


class MultipleChoice(QuestionType):
    name = "multiple"
    label = gettext_lazy("多选题")
    fields = ("options", "answer", "scoring")

    def clean(self, data: Mapping[str, Any]) -> Data:
        options = _clean_options(data)
        answer = data.get("answer")
        if not isinstance(answer, list) or not answer:
            raise _fail("answer", _("请选择正确答案"))
        indices = sorted({_index(item, len(options)) for item in answer})
        if len(indices) < 2:
            raise _fail("answer", _("多选题至少有两个正确选项"))
        scoring = data.get("scoring") or Scoring.ALL
        if scoring not in Scoring.LABELS:
            raise _fail("scoring", _("请选择评分方式"))
        return {"options": options, "answer": indices, "scoring": scoring}

    def normalise_response(self, data: Mapping[str, Any], response: Any) -> list[int]:
        if not isinstance(response, list):
            raise _fail("response", _("答案应为选项之一"))
        return sorted({_index(item, len(data["options"]), "response") for item in response})

    def grade(self, data: Mapping[str, Any], response: Any, *, points: Decimal) -> Decimal:
        chosen = set(self.normalise_response(data, response))
        key = set(data["answer"])
        right, wrong = len(chosen & key), len(chosen - key)
        if chosen == key:
            return points
        scoring = data.get("scoring", Scoring.ALL)
        if scoring == Scoring.SHARE and not wrong:
            return quantise(points * right / len(key))
        if scoring == Scoring.NET and right > wrong:
            return quantise(points * (right - wrong) / len(key))
        return Decimal("0.00")

    def from_flat(self, flat: Mapping[str, Any]) -> Data:
        options = _lines(flat.get("options"))
        indices = _letters_to_indices(str(flat.get("answer") or ""), len(options))
        scoring = str(flat.get("scoring") or Scoring.ALL).strip()
        by_label = {str(label): code for code, label in Scoring.LABELS.items()}
        scoring = by_label.get(scoring, scoring)
        return self.clean({"options": options, "answer": indices, "scoring": scoring})

    def to_flat(self, data: Mapping[str, Any]) -> Flat:
        return {
            "options": list(data["options"]),
            "answer": "".join(LETTERS[i] for i in data["answer"]),
            "scoring": data.get("scoring", Scoring.ALL),
        }


TRUE_WORDS = frozenset({"对", "正确", "是", "√", "✓", "t", "true", "y", "yes", "1"})
FALSE_WORDS = frozenset({"错", "错误", "否", "×", "✗", "x", "f", "false", "n", "no", "0"})


class TrueFalse(QuestionType):
    name = "truefalse"
    label = gettext_lazy("判断题")
    fields = ("answer",)

    def clean(self, data: Mapping[str, Any]) -> Data:
        answer = data.get("answer")
        if not isinstance(answer, bool):
            raise _fail("answer", _("请选择“对”或“错”"))
        return {"answer": answer}

    def normalise_response(self, data: Mapping[str, Any], response: Any) -> bool:
        if isinstance(response, bool):
            return response
        if isinstance(response, str):
            word = normalise_text(response)
            if word in TRUE_WORDS:
                return True
            if word in FALSE_WORDS:
                return False
        raise _fail("response", _("请选择“对”或“错”"))

    def grade(self, data: Mapping[str, Any], response: Any, *, points: Decimal) -> Decimal:
        return points if self.normalise_response(data, response) == data["answer"] else Decimal("0.00")

    def from_flat(self, flat: Mapping[str, Any]) -> Data:
        word = normalise_text(str(flat.get("answer") or ""))
        if word in TRUE_WORDS:
            return {"answer": True}
        if word in FALSE_WORDS:
            return {"answer": False}
        raise _fail("answer", _("判断题的答案填“对”或“错”"))

    def to_flat(self, data: Mapping[str, Any]) -> Flat:
        return {"answer": "对" if data["answer"] else "错"}


# --- Fill in the blanks ---------------------------------------------------------------------------------------------


def _max_matching(matches: Sequence[set[int]], size: int) -> int:
    """The most blanks that can be paired with distinct given answers (Kuhn's augmenting paths; at most 20 × 20)."""
    owner: dict[int, int] = {}

    def place(blank: int, seen: set[int]) -> bool:
        for answer in matches[blank]:
            if answer in seen:
                continue
            seen.add(answer)
            if answer not in owner or place(owner[answer], seen):
                owner[answer] = blank
                return True
        return False

    return sum(1 for blank in range(size) if place(blank, set()))


class FillInBlanks(QuestionType):
    name = "fill"
    label = gettext_lazy("填空题")
    fields = ("answer", "any_order")

    def clean(self, data: Mapping[str, Any]) -> Data:
        blanks = data.get("blanks")
        if not isinstance(blanks, list) or not blanks:
            raise _fail("blanks", _("至少要有一个空"))
        if len(blanks) > MAX_BLANKS:
            raise _fail("blanks", _("最多 %(n)d 个空") % {"n": MAX_BLANKS})
        cleaned = []
        for blank in blanks:
            answers = blank if isinstance(blank, list) else None
            if not answers:
                raise _fail("blanks", _("每个空至少要有一个参考答案"))
            if len(answers) > MAX_ALTERNATIVES:
                raise _fail("blanks", _("每个空最多 %(n)d 个可接受的答案") % {"n": MAX_ALTERNATIVES})
            texts = list(dict.fromkeys(_plain(item, "blanks", max_length=ANSWER_MAX) for item in answers))
            cleaned.append(texts)
        return {"blanks": cleaned, "any_order": bool(data.get("any_order", False))}

    def normalise_response(self, data: Mapping[str, Any], response: Any) -> list[str]:
        if isinstance(response, str):
            response = [response]
        if not isinstance(response, list) or len(response) > len(data["blanks"]):
            raise _fail("response", _("答案的空数不对"))
        texts = [str(item)[:ANSWER_MAX] if item is not None else "" for item in response]
        return texts + [""] * (len(data["blanks"]) - len(texts))

    def grade(self, data: Mapping[str, Any], response: Any, *, points: Decimal) -> Decimal:
        given = [normalise_text(text) for text in self.normalise_response(data, response)]
        keys = [{normalise_text(answer) for answer in blank} for blank in data["blanks"]]
        size = len(keys)
        if data.get("any_order"):
            # Blank i may take any given answer j, each answer used once.
            matches = [{j for j, text in enumerate(given) if text and text in keys[i]} for i in range(size)]
            right = _max_matching(matches, size)
        else:
            right = sum(1 for text, key in zip(given, keys, strict=True) if text and text in key)
        if right == size:
            return points
        return quantise(points * right / size)

    def from_flat(self, flat: Mapping[str, Any]) -> Data:
        # One blank per line (or separated by ；/;), its accepted answers by |.
        text = str(flat.get("answer") or "")
        parts = [part for line in text.splitlines() for part in re.split(r"[;；]", line)]
        blanks = [[alt.strip() for alt in part.split("|") if alt.strip()] for part in parts if part.strip()]
        any_order = flat.get("any_order")
        if isinstance(any_order, str):
            any_order = normalise_text(any_order) in TRUE_WORDS
        return self.clean({"blanks": blanks, "any_order": bool(any_order)})

    def to_flat(self, data: Mapping[str, Any]) -> Flat:
        return {"answer": "；".join("|".join(blank) for blank in data["blanks"]), "any_order": data["any_order"]}


# --- Graded by people ---------------------------------------------------------------------------------------------


class Grading:
    MANUAL = "manual"
    PEER = "peer"

    LABELS: ClassVar[dict[str, Promise]] = {
        MANUAL: gettext_lazy("教师评分"),
        PEER: gettext_lazy("学生互评"),
    }


def _clean_rubric(value: Any) -> list[dict[str, str]]:
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        raise _fail("rubric", _("评分标准格式不对"))
    if len(value) > MAX_CRITERIA:
        raise _fail("rubric", _("评分标准最多 %(n)d 条") % {"n": MAX_CRITERIA})
    criteria = []
    for item in value:
        if not isinstance(item, Mapping):
            raise _fail("rubric", _("评分标准格式不对"))
        criterion = _plain(item.get("criterion"), "rubric", max_length=200)
        points = _decimal(item.get("points"), "rubric")
        if points <= 0:
            raise _fail("rubric", _("每条评分标准的分值应大于 0"))
        criteria.append({"criterion": criterion, "points": str(points)})
    return criteria


def _rubric_from_text(text: Any) -> list[dict[str, str]]:
    """Rubric lines written as ``criterion|points`` (or ``criterion：points``)."""
    criteria = []
    for line in _lines(text):
        match = re.match(r"^(.*?)[|｜:：]\s*([0-9０-９.．]+)\s*分?$", line)
        if match is None:
            raise _fail("rubric", _("每行一条评分标准，写作“要点|分值”"))
        points = unicodedata.normalize("NFKC", match.group(2))
        criteria.append({"criterion": match.group(1).strip(), "points": points})
    return criteria


class _ManualType(QuestionType):
    manual = True
    fields: ClassVar[tuple[str, ...]] = ("answer", "rubric", "grading")
    response_max: ClassVar[int] = 5000

    def _common(self, data: Mapping[str, Any]) -> Data:
        grading = data.get("grading") or Grading.MANUAL
        if grading not in Grading.LABELS:
            raise _fail("grading", _("请选择评分方式"))
        return {"rubric": _clean_rubric(data.get("rubric")), "grading": grading}

    def clean(self, data: Mapping[str, Any]) -> Data:
        reference = _plain(data.get("reference"), "reference", max_length=5000, required=False)
        return {**self._common(data), "reference": reference}

    def normalise_response(self, data: Mapping[str, Any], response: Any) -> Any:
        if not isinstance(response, str):
            raise _fail("response", _("应为文字"))
        if len(response) > self.response_max:
            raise _fail("response", _("不能超过 %(n)d 个字") % {"n": self.response_max})
        return response.strip()

    def max_points(self, data: Mapping[str, Any]) -> Decimal | None:
        rubric = data.get("rubric") or []
        return sum((Decimal(item["points"]) for item in rubric), Decimal("0")) if rubric else None

    def _flat_common(self, flat: Mapping[str, Any]) -> Data:
        grading = str(flat.get("grading") or Grading.MANUAL).strip()
        by_label = {str(label): code for code, label in Grading.LABELS.items()}
        return {"rubric": _rubric_from_text(flat.get("rubric")), "grading": by_label.get(grading, grading)}

    def from_flat(self, flat: Mapping[str, Any]) -> Data:
        return self.clean({**self._flat_common(flat), "reference": str(flat.get("answer") or "")})

    def _rubric_text(self, data: Mapping[str, Any]) -> str:
        return "\n".join(f"{item['criterion']}|{item['points']}" for item in data.get("rubric") or [])

    def to_flat(self, data: Mapping[str, Any]) -> Flat:
        return {"answer": data.get("reference", ""), "rubric": self._rubric_text(data), "grading": data["grading"]}


class ShortAnswer(_ManualType):
    name = "short"
    label = gettext_lazy("简答题")
    response_max = 2000


class Essay(_ManualType):
    name = "essay"
    label = gettext_lazy("论述题")
    response_max = 20000


# The formats a file question may take, by the name teachers choose, as the upload check knows them (by content).
FILE_FORMATS: dict[str, Format] = {
    "pdf": PDF, "docx": DOCX, "xlsx": XLSX, "pptx": PPTX, "jpg": JPEG, "png": PNG, "zip": ZIP, "txt": TXT,
}  # fmt: skip
DEFAULT_FILE_FORMATS = ("pdf", "docx")


class FileAnswer(_ManualType):
    """The learner uploads a file (a report, a drawing, code); ``formats`` lists the extensions taken."""

    name = "file"
    label = gettext_lazy("文件题")
    fields = ("answer", "formats", "rubric", "grading")

    def clean(self, data: Mapping[str, Any]) -> Data:
        formats = data.get("formats") or list(DEFAULT_FILE_FORMATS)
        if not isinstance(formats, list) or not formats:
            raise _fail("formats", _("请选择允许的文件格式"))
        wanted = [str(item).strip().lower().lstrip(".") for item in formats]
        unknown = [item for item in wanted if item not in FILE_FORMATS]
        if unknown:
            raise _fail("formats", _("不支持的文件格式：%(formats)s") % {"formats": "、".join(unknown)})
        reference = _plain(data.get("reference"), "reference", max_length=5000, required=False)
        return {**self._common(data), "reference": reference, "formats": list(dict.fromkeys(wanted))}

    def upload_formats(self, data: Mapping[str, Any]) -> tuple[Format, ...]:
        """The upload formats this question takes (its ``formats``), for the upload check."""
        wanted = data.get("formats") or DEFAULT_FILE_FORMATS
        return tuple(dict.fromkeys(FILE_FORMATS[name] for name in wanted if name in FILE_FORMATS))

    @staticmethod
    def max_bytes() -> int:
        """The largest answer file taken, in bytes (``settings.ASSESSMENT_FILE_MAX_BYTES``, 20 MiB unless set)."""
        return int(settings.ASSESSMENT_FILE_MAX_BYTES)

    def normalise_response(self, data: Mapping[str, Any], response: Any) -> int:
        # The id of an uploaded file (the attempts' upload checks it); a learner never sends the file itself here.
        if isinstance(response, bool) or not isinstance(response, int) or response <= 0:
            raise _fail("response", _("文件编号无效"))
        return response

    def from_flat(self, flat: Mapping[str, Any]) -> Data:
        formats = [item for item in re.split(r"[\s,，、;；]+", str(flat.get("formats") or "")) if item]
        return self.clean(
            {**self._flat_common(flat), "reference": str(flat.get("answer") or ""), "formats": formats or None}
        )

    def to_flat(self, data: Mapping[str, Any]) -> Flat:
        return {**super().to_flat(data), "formats": ",".join(data["formats"])}


# --- The registry ---------------------------------------------------------------------------------------------

_types: Registry[QuestionType] = Registry("question type", max_length=20)


def register(question_type: QuestionType) -> QuestionType:
    """Make a question type available to every bank; a second type with the same name is a configuration error."""
    return _types.register(question_type)


def get_type(name: str) -> QuestionType | None:
    return _types.get(name)


def question_types() -> list[QuestionType]:
    """Every registered type, in the order they were registered."""
    return _types.all()


def type_by_label(text: str) -> QuestionType | None:
    """A type named by its code (``single``) or its Chinese label (单选题), as a spreadsheet writes it."""
    text = text.strip()
    for question_type in _types.all():
        if text in (question_type.name, str(question_type.label)):
            return question_type
    # The label may be written in either language whichever the reader's is.
    from django.utils import translation

    with translation.override("zh-hans"):
        for question_type in _types.all():
            if text == str(question_type.label):
                return question_type
    return None


def register_builtin_types() -> None:
    for question_type in (
        SingleChoice(),
        MultipleChoice(),
        TrueFalse(),
        FillInBlanks(),
        ShortAnswer(),
        Essay(),
        FileAnswer(),
    ):
        register(question_type)
