"""Reading officers' spreadsheets (Excel .xlsx or CSV) into checked rows, with a reason for every bad row.

Two kinds of file, each one header row (Chinese or English column names):

- **scores** — ``准考证号 ticket_number, 姓名 name, 身份证号 id_number, 学校 school, 总分 total, 听力 listening,
  阅读 reading, 写作和翻译 writing, 合格科目 subjects_passed, 等级 grade, 是否合格 passed``; which score columns are
  required depends on the exam (CET: total and the three parts; teacher qualification: subjects passed and
  合格; Putonghua: score, the grade follows from it);
- **special candidates** — ``姓名 name, 性别 gender, 身份证号 id_number, 中学 school, 省份 province (name or
  code), 高校 university, 项目 major``.

Nothing here writes to the database: the services take the checked rows and write all of them or none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

from zhijiao.core import tables
from zhijiao.core.identifiers import normalize_id_number
from zhijiao.core.params import parse_int
from zhijiao.core.tables import RowError, TableError, cell_text

from .models import ExamType, PutonghuaGrade

MAX_FILE_BYTES = 200 * 1024 * 1024
TICKET = re.compile(r"^[0-9A-Z]{6,20}$")

SCORE_HEADERS = {
    "准考证号": "ticket_number",
    "姓名": "name",
    "身份证号": "id_number",
    "身份证号码": "id_number",
    "证件号码": "id_number",
    "学校": "school",
    "总分": "total",
    "成绩": "total",
    "听力": "listening",
    "阅读": "reading",
    "写作和翻译": "writing",
    "写作与翻译": "writing",
    "合格科目": "subjects_passed",
    "等级": "grade",
    "是否合格": "passed",
}
CANDIDATE_HEADERS = {
    "姓名": "name",
    "性别": "gender",
    "身份证号": "id_number",
    "身份证号码": "id_number",
    "中学": "school",
    "毕业中学": "school",
    "学校": "school",
    "省份": "province",
    "生源省份": "province",
    "高校": "university",
    "报考高校": "university",
    "录取高校": "university",
    "项目": "major",
    "专业": "major",
    "项目或专业": "major",
}
YES = {"是", "合格", "通过", "y", "yes", "true", "1", "√"}
NO = {"否", "不合格", "未通过", "n", "no", "false", "0", "×", ""}
CET_PASS = Decimal(425)
PUTONGHUA_BANDS = (
    (Decimal(97), PutonghuaGrade.A1),
    (Decimal(92), PutonghuaGrade.B1),
    (Decimal(87), PutonghuaGrade.A2),
    (Decimal(80), PutonghuaGrade.B2),
    (Decimal(70), PutonghuaGrade.A3),
    (Decimal(60), PutonghuaGrade.B3),
)


# Column names in row messages: lazy, so a good row never pays for a translation lookup.
L_TOTAL = gettext_lazy("总分")
L_SCORE = gettext_lazy("成绩")
L_LISTENING = gettext_lazy("听力")
L_READING = gettext_lazy("阅读")
L_WRITING = gettext_lazy("写作和翻译")
L_PASSED = gettext_lazy("是否合格")


# The file as a whole cannot be read (not CSV/Excel, no header, missing columns, too big).
FileError = TableError


@dataclass(slots=True)
class ScoreRow:
    line: int
    ticket_number: str
    name: str
    id_number: str
    school: str
    total: Decimal | None
    listening: int | None
    reading: int | None
    writing: int | None
    subjects_passed: str
    grade: str
    passed: bool


@dataclass(slots=True)
class CandidateRow:
    line: int
    name: str
    gender: str
    id_number: str
    school: str
    province_code: str
    university: str
    major: str


# --- Formats ------------------------------------------------------------------------------------------------


def read_table(data: bytes, *, filename: str, headers: dict[str, str]) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, row) pairs of a CSV or Excel file, one at a time; line numbers count the header as line 1.
    Columns not in ``headers`` keep their own name in lower case."""
    return tables.read_table(data, filename=filename, headers=headers, lower=True, max_bytes=MAX_FILE_BYTES)


# --- Cells ----------------------------------------------------------------------------------------------------


def _decimal(value: Any, label: Any, errors: list[str], *, low: int, high: int) -> Decimal | None:
    text = cell_text(value)
    if not text:
        errors.append(_("缺少%(field)s") % {"field": label})
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if (
        number is None
        or not number.is_finite()
        or not low <= number <= high
        or number != number.quantize(Decimal("0.1"))
    ):
        errors.append(_("%(field)s应为 %(low)d～%(high)d 的数字") % {"field": label, "low": low, "high": high})
        return None
    return number.quantize(Decimal("0.1"))


def _int(value: Any, label: Any, errors: list[str], *, high: int) -> int | None:
    number = parse_int(cell_text(value), minimum=0, maximum=high)
    if number is None:
        errors.append(_("%(field)s应为 0～%(high)d 的整数") % {"field": label, "high": high})
    return number


def _yes_no(value: Any, label: Any, errors: list[str]) -> bool:
    text = cell_text(value).lower()
    if text in YES:
        return True
    if text not in NO:
        errors.append(_("%(field)s应填“是”或“否”") % {"field": label})
    return False


_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")


@lru_cache(maxsize=100_000)
def _place_ok(place: str, year: int) -> bool:
    """Whether the place code was assigned in that year (stdnum's check; the place table lookup is slow)."""
    try:
        ric.get_birth_place(f"{place}{year:04d}01010000")
    except (ValueError, StdnumError):
        return False
    return True


@lru_cache(maxsize=100_000)
def _birth_ok(place: str, birth: str, today: date) -> bool:
    """Whether the birth date exists, is not in the future, and the place code was assigned in that year
    (the same checks as ``core.identifiers.normalize_id_number``, cached: a file has few distinct values)."""
    try:
        born = date(int(birth[:4]), int(birth[4:6]), int(birth[6:8]))
    except ValueError:
        return False
    return born <= today and _place_ok(place, born.year)


def fast_id_number(value: str, today: date | None = None) -> str | None:
    """The canonical ID number when it is valid, else None; a few µs instead of ~100 µs (a file of a million)."""
    number = value.strip().upper()
    if not _ID_SHAPE.match(number) or number[-1] != ric.calc_check_digit(number):
        return None
    return number if _birth_ok(number[:6], number[6:14], today or timezone.localdate()) else None


def _id_number(value: Any, errors: list[str], today: date | None = None) -> str:
    text = cell_text(value)
    number = fast_id_number(text, today)
    if number is not None:
        return number
    try:
        return normalize_id_number(text)  # the slow path words the reason
    except ValidationError as exc:
        errors.append(_("身份证号码有误：%(reason)s") % {"reason": _("；").join(exc.messages)})
        return ""


def putonghua_grade(score: Decimal) -> str:
    for floor, grade in PUTONGHUA_BANDS:
        if score >= floor:
            return str(grade)
    return ""


# --- Score rows -----------------------------------------------------------------------------------------------


def score_columns_missing(names: Iterable[str], exam_type: str) -> list[str]:
    required = ["ticket_number", "name", "id_number"]
    if exam_type in (ExamType.CET4, ExamType.CET6):
        required += ["total", "listening", "reading", "writing"]
    elif exam_type == ExamType.TEACHER:
        required += ["subjects_passed", "passed"]
    else:
        required += ["total"]
    present = set(names)
    return [name for name in required if name not in present]


def validate_score_row(
    line: int, raw: dict[str, Any], *, exam_type: str, today: date | None = None
) -> ScoreRow | RowError:
    """One score row checked on its own (duplicates across rows are the service's concern)."""
    errors: list[str] = []
    ticket = cell_text(raw.get("ticket_number")).upper()
    if not TICKET.match(ticket):
        errors.append(_("准考证号应为 6～20 位数字或大写字母"))
    name = cell_text(raw.get("name"))
    if not name or len(name) > 50:
        errors.append(_("姓名不能为空，且不超过 50 个字"))
    id_number = _id_number(raw.get("id_number"), errors, today)
    total: Decimal | None = None
    listening = reading = writing = None
    subjects = ""
    grade = ""
    passed = False
    if exam_type in (ExamType.CET4, ExamType.CET6):
        total = _decimal(raw.get("total"), L_TOTAL, errors, low=0, high=710)
        listening = _int(raw.get("listening"), L_LISTENING, errors, high=249)
        reading = _int(raw.get("reading"), L_READING, errors, high=249)
        writing = _int(raw.get("writing"), L_WRITING, errors, high=213)
        if None not in (total, listening, reading, writing):
            assert total is not None and listening is not None and reading is not None and writing is not None
            if abs(total - (listening + reading + writing)) > 1:
                errors.append(_("总分与各部分之和不符"))
        passed_text = cell_text(raw.get("passed"))
        passed = _yes_no(passed_text, L_PASSED, errors) if passed_text else bool(total and total >= CET_PASS)
    elif exam_type == ExamType.TEACHER:
        subjects = cell_text(raw.get("subjects_passed"))[:100]
        passed = _yes_no(raw.get("passed"), L_PASSED, errors)
        if passed and not subjects:
            errors.append(_("合格者应填写合格科目"))
    else:
        total = _decimal(raw.get("total"), L_SCORE, errors, low=0, high=100)
        grade_text = cell_text(raw.get("grade"))
        if total is not None:
            grade = putonghua_grade(total)
            if grade_text and grade_text not in (
                grade,
                *(str(label) for value, label in PutonghuaGrade.choices if value == grade),
            ):
                errors.append(_("等级与成绩不符：%(grade)s") % {"grade": grade_text[:10]})
        passed = bool(grade)
    if errors:
        return RowError(line, errors)
    return ScoreRow(
        line=line,
        ticket_number=ticket,
        name=name,
        id_number=id_number,
        school=cell_text(raw.get("school"))[:100],
        total=total,
        listening=listening,
        reading=reading,
        writing=writing,
        subjects_passed=subjects,
        grade=grade,
        passed=passed,
    )


# --- Special-type candidates ----------------------------------------------------------------------------------


def validate_candidate_row(line: int, raw: dict[str, Any], *, provinces: dict[str, str]) -> CandidateRow | RowError:
    """One list row; ``provinces`` maps province names and codes to codes."""
    errors: list[str] = []
    name = cell_text(raw.get("name"))
    if not name or len(name) > 50:
        errors.append(_("姓名不能为空，且不超过 50 个字"))
    id_number = _id_number(raw.get("id_number"), errors)
    school = cell_text(raw.get("school"))
    if not school:
        errors.append(_("缺少中学"))
    province_text = cell_text(raw.get("province"))
    province_code = provinces.get(province_text, "")
    if not province_code:
        errors.append(_("未知的省份：%(value)s") % {"value": province_text[:20] or "—"})
    gender = cell_text(raw.get("gender"))
    if gender not in ("", "男", "女"):
        errors.append(_("性别应填“男”或“女”"))
    if errors:
        return RowError(line, errors)
    return CandidateRow(
        line=line,
        name=name,
        gender=gender,
        id_number=id_number,
        school=school[:100],
        province_code=province_code,
        university=cell_text(raw.get("university"))[:100],
        major=cell_text(raw.get("major"))[:100],
    )
