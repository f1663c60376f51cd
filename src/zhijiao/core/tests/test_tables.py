"""Reading staff spreadsheets: encodings, header names, blank lines, Excel, and files that can't be read."""

import io

import pytest
from openpyxl import Workbook

from zhijiao.core.tables import TableError, read_table, take

HEADERS = {"姓名": "name", "学号": "number"}


def test_csv_in_gb18030_with_chinese_headers_and_blank_lines() -> None:
    data = "学号,姓名,Extra\n001,张三,x\n,,\n002,李四,y\n".encode("gb18030")
    rows = list(read_table(data, filename="名单.CSV", headers=HEADERS, lower=True))
    assert rows == [
        (2, {"number": "001", "name": "张三", "extra": "x"}),
        (4, {"number": "002", "name": "李四", "extra": "y"}),
    ]


def test_excel_rows_keep_the_spreadsheets_line_numbers() -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "学号"])
    sheet.append([None, None])
    sheet.append(["王五", 3])
    buffer = io.BytesIO()
    book.save(buffer)
    assert list(read_table(buffer.getvalue(), filename="a.xlsx", headers=HEADERS)) == [
        (3, {"name": "王五", "number": 3})
    ]


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"a,b\n", "a.pdf", "只支持"),
        (b"%PDF-1.4", "a.xlsx", "Excel"),
        (b"PK\x03\x04broken", "a.xlsx", "Excel"),
        (b"\xff\xfe\x00a\x00", "a.csv", "编码"),
        (b"", "a.csv", "表头"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(data: bytes, filename: str, message: str) -> None:
    with pytest.raises(TableError, match=message):
        list(read_table(data, filename=filename))


def test_size_and_row_limits() -> None:
    with pytest.raises(TableError, match="MB"):
        read_table(b"x" * 2_000_000, filename="a.csv", max_bytes=1_000_000)
    rows = read_table(b"h\n1\n2\n3\n", filename="a.csv")
    with pytest.raises(TableError, match="2"):
        take(rows, limit=2)
