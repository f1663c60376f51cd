"""Reading a university's student-status / qualification / degree records from Excel or CSV into checked rows.

One header row; Chinese or English column names:

=========== ===================== ==========================================================
姓名         holder_name
身份证号     id_number              18 characters, GB 11643 check digit
专业         programme
层次         level                  专科 / 本科 / 硕士 / 博士 (or associate, bachelor, master, doctor)
类型         record_type            学籍 / 学历 / 学位
入学日期     entry_date             2022-09-01, 2022/9/1, 20220901 or an Excel date
毕业日期     end_date               graduation or award date; empty only while 在籍 or 休学
状态         status                 在籍 休学 退学 毕业 结业 肄业 授予
证书编号     certificate_number     required for 学历 and 学位; unique per record type
=========== ===================== ==========================================================

:func:`validate_rows` answers the good rows and, for every bad one, its line (the header is line 1) and reasons;
the service writes nothing unless every row is good.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijiao.core.identifiers import normalize_id_number
from zhijiao.core.tables import RowError, TableError, read_table, take

from .models import OPEN_STATUSES, STATUSES_BY_TYPE, Level, RecordStatus, RecordType

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
HEADERS = {
    "姓名": "holder_name",
    "身份证号": "id_number",
    "身份证号码": "id_number",
    "专业": "programme",
    "专业名称": "programme",
    "层次": "level",
    "培养层次": "level",
    "类型": "record_type",
    "记录类型": "record_type",
    "入学日期": "entry_date",
    "毕业日期": "end_date",
    "毕业（授予）日期": "end_date",
    "授予日期": "end_date",
    "状态": "status",
    "证书编号": "certificate_number",
}
REQUIRED = ("holder_name", "id_number", "programme", "level", "record_type", "entry_date", "status")
LEVELS = {
    "专科": Level.ASSOCIATE,
    "大专": Level.ASSOCIATE,
    "本科": Level.BACHELOR,
    "硕士": Level.MASTER,
    "硕士研究生": Level.MASTER,
    "博士": Level.DOCTOR,
    "博士研究生": Level.DOCTOR,
} | {value: value for value in Level.values}
TYPES = {"学籍": RecordType.STUDENT_STATUS, "学历": RecordType.QUALIFICATION, "学位": RecordType.DEGREE} | {
    value: value for value in RecordType.values
}
STATUSES = {str(label): value for value, label in RecordStatus.choices} | {
    value: value for value in RecordStatus.values
}
# The labels as written in Chinese whatever the request's language (gettext_lazy labels may be translated).
STATUSES |= {
    "在籍": RecordStatus.ENROLLED,
    "休学": RecordStatus.SUSPENDED,
    "退学": RecordStatus.DROPPED,
    "毕业": RecordStatus.GRADUATED,
    "结业": RecordStatus.COMPLETED,
    "肄业": RecordStatus.INCOMPLETE,
    "授予": RecordStatus.AWARDED,
}


# The file as a whole cannot be read (wrong type, too big, no header, too many rows).
ImportError_ = TableError


@dataclass
class RecordRow:
    line: int
    holder_name: str
    id_number: str
    programme: str
    level: str
    record_type: str
    entry_date: date
    end_date: date | None
    status: str
    certificate_number: str


def parse_records(data: bytes, *, filename: str) -> list[tuple[int, dict[str, Any]]]:
    """(line, row) pairs of an uploaded .csv or .xlsx file."""
    rows = take(read_table(data, filename=filename, headers=HEADERS, max_bytes=MAX_BYTES), limit=MAX_ROWS)
    if rows:
        missing = [column for column in REQUIRED if column not in rows[0][1]]
        if missing:
            labels = {v: k for k, v in reversed(list(HEADERS.items()))}
            raise ImportError_(_("缺少列：%(cols)s") % {"cols": _("、").join(labels.get(c, c) for c in missing)})
    return rows


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def parse_date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value).replace("年", "-").replace("月", "-").replace("日", "").replace("/", "-").replace(".", "-")
    for fmt in ("%Y-%m-%d", "%Y%m%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def validate_rows(
    rows: list[tuple[int, dict[str, Any]]], *, taken: set[tuple[str, str]]
) -> tuple[list[RecordRow], list[RowError]]:
    """Check every row; ``taken`` holds the (type, certificate number) pairs already registered."""
    good: list[RecordRow] = []
    errors: list[RowError] = []
    seen: dict[tuple[str, str], int] = {}
    today = timezone.localdate()
    for line, raw in rows:
        messages: list[str] = []
        name = _text(raw.get("holder_name"))
        if not name:
            messages.append(_("姓名不能为空"))
        elif len(name) > 50:
            messages.append(_("姓名最多 50 个字"))
        id_number = ""
        try:
            id_number = normalize_id_number(_text(raw.get("id_number")))
        except ValidationError as exc:
            messages.extend(str(m) for m in exc.messages)
        programme = _text(raw.get("programme"))
        if not programme:
            messages.append(_("专业不能为空"))
        elif len(programme) > 80:
            messages.append(_("专业名称最多 80 个字"))
        level = LEVELS.get(_text(raw.get("level")), "")
        if not level:
            messages.append(_("层次“%(v)s”无法识别，应为专科、本科、硕士或博士") % {"v": _text(raw.get("level"))})
        record_type = TYPES.get(_text(raw.get("record_type")), "")
        if not record_type:
            messages.append(_("类型“%(v)s”无法识别，应为学籍、学历或学位") % {"v": _text(raw.get("record_type"))})
        status = STATUSES.get(_text(raw.get("status")), "")
        if not status:
            messages.append(_("状态“%(v)s”无法识别") % {"v": _text(raw.get("status"))})
        elif record_type and status not in STATUSES_BY_TYPE[record_type]:
            messages.append(
                _("状态“%(v)s”不适用于%(t)s记录") % {"v": _text(raw.get("status")), "t": _text(raw.get("record_type"))}
            )
        if record_type == RecordType.DEGREE and level == Level.ASSOCIATE:
            messages.append(_("专科层次没有学位"))
        entry = end = None
        try:
            entry = parse_date(raw.get("entry_date"))
            if entry is None:
                messages.append(_("入学日期不能为空"))
            elif entry > today:
                messages.append(_("入学日期不能晚于今天"))
        except ValueError:
            messages.append(_("入学日期格式不正确，例如 2022-09-01"))
        try:
            end = parse_date(raw.get("end_date"))
        except ValueError:
            messages.append(_("毕业（授予）日期格式不正确，例如 2026-06-30"))
        else:
            if end is None and status and status not in OPEN_STATUSES:
                messages.append(_("毕业（授予）日期不能为空"))
            if end and entry and end < entry:
                messages.append(_("毕业（授予）日期早于入学日期"))
            if end and end > today:
                messages.append(_("毕业（授予）日期不能晚于今天"))
        number = _text(raw.get("certificate_number")).replace(" ", "")
        if record_type in (RecordType.QUALIFICATION, RecordType.DEGREE) and not number:
            messages.append(_("学历和学位记录必须有证书编号"))
        if len(number) > 40:
            messages.append(_("证书编号最多 40 个字符"))
        if number and record_type:
            key = (record_type, number)
            if key in taken:
                messages.append(_("证书编号 %(n)s 已被登记") % {"n": number})
            elif key in seen:
                messages.append(_("证书编号 %(n)s 与第 %(line)d 行重复") % {"n": number, "line": seen[key]})
            else:
                seen[key] = line
        if messages:
            errors.append(RowError(line, messages))
            continue
        assert entry is not None
        good.append(
            RecordRow(
                line=line,
                holder_name=name,
                id_number=id_number,
                programme=programme,
                level=level,
                record_type=record_type,
                entry_date=entry,
                end_date=end,
                status=status,
                certificate_number=number,
            )
        )
    return good, errors
