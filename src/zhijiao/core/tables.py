"""Reading the spreadsheets staff upload (CSV or Excel .xlsx) into numbered rows, the same way everywhere.

Each app names its columns (``headers`` maps the Chinese or English column names people write to the field names
it validates) and checks its rows itself; this module only reads: the encoding (UTF-8 with or without BOM, or
GB18030 as Excel in China saves CSV), the header row, blank lines skipped, line numbers as the spreadsheet shows
them (the header is line 1). Rows are produced one at a time, so a million-row file is never held twice.
"""

import csv
import io
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

Row = tuple[int, dict[str, Any]]


class TableError(ValueError):
    """The file as a whole cannot be read: not CSV/Excel, unreadable, no header, too large."""


@dataclass
class RowError:
    """One refused row: its line number as the spreadsheet shows it and the reasons, in the user's language."""

    line: int
    messages: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "messages": self.messages}


def cell_text(value: Any) -> str:
    """A cell as stripped text: empty when blank, ``12`` (not ``12.0``) for a whole number Excel stored as a float."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise TableError(_("无法识别文件编码，请使用 UTF-8 或 GB18030"))


def column_names(header: Iterable[Any], headers: Mapping[str, str], *, lower: bool = False) -> list[str]:
    """The field name of each column: its mapping in ``headers``, else the header itself (lower-cased if asked)."""
    names = []
    for name in header:
        text = str(name or "").strip().lstrip("\ufeff")
        names.append(headers.get(text, text.lower() if lower else text))
    return names


def csv_rows(data: bytes, headers: Mapping[str, str], *, lower: bool = False) -> Iterator[Row]:
    reader = csv.reader(io.StringIO(decode(data)))
    header = next(reader, None)
    if not header:
        raise TableError(_("文件没有表头"))
    names = column_names(header, headers, lower=lower)
    for line, values in enumerate(reader, start=2):
        if any(value.strip() for value in values):
            yield line, dict(zip(names, values, strict=False))


def xlsx_rows(data: bytes, headers: Mapping[str, str], *, lower: bool = False) -> Iterator[Row]:
    from openpyxl import load_workbook

    if not data.startswith(b"PK"):
        raise TableError(_("无法读取 Excel 文件"))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise TableError(_("无法读取 Excel 文件")) from exc
    try:
        values_iter = workbook.worksheets[0].iter_rows(values_only=True)
        header = next(values_iter, None)
        if not header:
            raise TableError(_("文件没有表头"))
        names = column_names(header, headers, lower=lower)
        for line, values in enumerate(values_iter, start=2):
            if any(value not in (None, "") for value in values):
                yield line, dict(zip(names, values, strict=False))
    finally:
        workbook.close()


def read_table(
    data: bytes,
    *,
    filename: str,
    headers: Mapping[str, str] | None = None,
    lower: bool = False,
    max_bytes: int | None = None,
) -> Iterator[Row]:
    """(line, row) pairs of an uploaded .csv or .xlsx file, chosen by its name; TableError for anything else."""
    if max_bytes is not None and len(data) > max_bytes:
        raise TableError(_("文件不能超过 %(mb)d MB") % {"mb": max_bytes // (1024 * 1024)})
    name = (filename or "").lower()
    if name.endswith(".csv"):
        return csv_rows(data, headers or {}, lower=lower)
    if name.endswith(".xlsx"):
        return xlsx_rows(data, headers or {}, lower=lower)
    raise TableError(_("只支持 CSV 或 Excel（.xlsx）文件"))


def take(rows: Iterable[Row], *, limit: int) -> list[Row]:
    """At most ``limit`` rows as a list; TableError when the file has more."""
    out: list[Row] = []
    for row in rows:
        out.append(row)
        if len(out) > limit:
            raise TableError(_("一次最多导入 %(n)d 行") % {"n": limit})
    return out
