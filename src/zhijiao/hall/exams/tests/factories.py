"""Test data for the exam services: valid ID numbers, sittings released or not, score files in CSV and Excel."""

import csv
import io
import itertools
from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from stdnum.cn import ric

from zhijiao.core.crypto import blind_index
from zhijiao.core.masking import mask_id_number
from zhijiao.hall.exams.models import ID_INDEX_CONTEXT, ExamSitting, ExamType, ScoreRecord

_seq = itertools.count(1)


def id_number(n: int | None = None, *, birth: str = "20040315") -> str:
    """A valid resident ID number (check digit computed), different for each n."""
    n = next(_seq) if n is None else n
    body = f"110108{birth}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def make_sitting(
    exam_type: str = ExamType.CET4, *, session: str | None = None, released: bool = True, **fields: Any
) -> ExamSitting:
    now = timezone.now()
    return ExamSitting.objects.create(
        exam_type=exam_type,
        session=session or f"2026年{next(_seq)}月",
        held_on=date(2026, 6, 13),
        release_at=now - timedelta(days=1) if released else now + timedelta(days=3),
        **fields,
    )


def make_score(
    sitting: ExamSitting, *, ticket: str, name: str, number: str, total: int = 568, **fields: Any
) -> ScoreRecord:
    listening = total * 35 // 100
    reading = total * 35 // 100
    return ScoreRecord.objects.create(
        sitting=sitting,
        ticket_number=ticket,
        name=name,
        id_number=number,
        id_number_index=blind_index(number, context=ID_INDEX_CONTEXT),
        id_number_masked=mask_id_number(number),
        total=total,
        listening=listening,
        reading=reading,
        writing=total - listening - reading,
        passed=total >= 425,
        **fields,
    )


CET_HEADER = ["准考证号", "姓名", "身份证号", "学校", "总分", "听力", "阅读", "写作和翻译"]


def cet_rows(count: int, *, start: int = 1) -> list[list[str]]:
    rows = []
    for n in range(start, start + count):
        total = 380 + (n * 37) % 300
        listening, reading = total * 35 // 100, total * 35 // 100
        rows.append(
            [
                f"1101202610{n:05d}",
                f"考生{n}",
                id_number(n),
                "北京师范大学",
                str(total),
                str(listening),
                str(reading),
                str(total - listening - reading),
            ]
        )
    return rows


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(header: list[str], rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
