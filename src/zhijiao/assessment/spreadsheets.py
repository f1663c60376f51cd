"""The question bank as an Excel workbook: the template teachers download, the bank's export, and reading a filled
workbook back.

One row is one question; the columns are the flat fields every type reads (``question_types``: options one per
column, the answer as ``B`` / ``ACD`` / ``对`` / ``答案1|答案2；第二空``, a rubric as ``要点|分值`` lines). The
headers are the file's format, written in Chinese whatever the reader's language (a teacher's colleague may
download in English and fill in Chinese); the 说明 sheet explains them.

Reading checks every row before anything is stored: a file with one bad row stores nothing, and the message names
the row and the column (``第 5 行“答案”列：…``).
"""

from __future__ import annotations

import io
import uuid
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from zhijiao.core.tables import cell_text

from .drafts import QuestionDraft, prepare_draft
from .models import Question
from .question_types import Grading, Scoring, get_type, type_by_label

SHEET = "题目"
GUIDE = "说明"
MAX_ROWS = 2000
MAX_BYTES = 10 * 1024 * 1024
MAX_ERRORS = 30
OPTION_COLUMNS = [f"选项{letter}" for letter in "ABCDEFGH"]
HEADERS = [
    "编号",
    "题型",
    "题干",
    *OPTION_COLUMNS,
    "答案",
    "分值",
    "难度",
    "标签",
    "知识点",
    "解析",
    "评分方式",
    "评分标准",
    "空格顺序不限",
    "允许格式",
]
# Which column a field's error belongs to.
FIELD_COLUMN = {
    "identifier": "编号",
    "type": "题型",
    "stem": "题干",
    "options": "选项A",
    "answer": "答案",
    "blanks": "答案",
    "reference": "答案",
    "data": "答案",
    "points": "分值",
    "difficulty": "难度",
    "tags": "标签",
    "knowledge_points": "知识点",
    "explanation": "解析",
    "scoring": "评分方式",
    "grading": "评分方式",
    "rubric": "评分标准",
    "any_order": "空格顺序不限",
    "formats": "允许格式",
}
DIFFICULTY_WORDS = {1: "易", 2: "较易", 3: "中", 4: "较难", 5: "难"}

EXAMPLES: list[dict[str, Any]] = [
    {
        "题型": "单选题",
        "题干": "在顺序表中访问第 i 个元素的时间复杂度是（　）。",
        "options": ["O(1)", "O(n)", "O(log n)", "O(n²)"],
        "答案": "A",
        "分值": 2,
        "难度": "易",
        "标签": "第一章",
        "知识点": "顺序表",
        "解析": "顺序表支持随机存取。",
    },
    {
        "题型": "多选题",
        "题干": "下列数据结构中，属于线性结构的有（　）。",
        "options": ["栈", "队列", "二叉树", "线性表"],
        "答案": "ABD",
        "分值": 3,
        "难度": "中",
        "标签": "第一章",
        "知识点": "线性结构",
        "评分方式": "share",
    },
    {
        "题型": "判断题",
        "题干": "队列的特点是先进先出。",
        "答案": "对",
        "分值": 1,
        "难度": "易",
        "标签": "第三章",
        "知识点": "队列",
    },
    {
        "题型": "填空题",
        "题干": "栈的两种基本操作是 ____ 和 ____。",
        "答案": "入栈|进栈|push；出栈|退栈|pop",
        "分值": 2,
        "难度": "较易",
        "标签": "第三章",
        "知识点": "栈",
        "空格顺序不限": "是",
    },
    {
        "题型": "简答题",
        "题干": "简述顺序表与链表的主要区别。",
        "答案": "存储方式不同；随机访问与插入删除的效率不同。",
        "分值": 5,
        "难度": "中",
        "标签": "第二章",
        "知识点": "线性表",
        "评分方式": "manual",
        "评分标准": "说明存储方式的区别|2\n比较访问与插入删除效率|3",
    },
    {
        "题型": "论述题",
        "题干": "结合实例论述哈希表在工程中的应用及其冲突处理方法。",
        "分值": 10,
        "难度": "较难",
        "标签": "第八章",
        "知识点": "哈希表",
        "评分方式": "peer",
        "评分标准": "举出恰当的应用实例|4\n讲清至少两种冲突处理方法|4\n表达清楚、有条理|2",
    },
    {
        "题型": "文件题",
        "题干": "完成实验一（线性表的实现），上传实验报告。",
        "分值": 10,
        "难度": "中",
        "标签": "实验",
        "知识点": "线性表",
        "评分方式": "manual",
        "允许格式": "pdf,docx",
    },
]


def _guide_rows() -> list[tuple[str, str]]:
    return [
        ("编号", _("导出的题目带有编号：保留编号再导入，会给该题生成新版本；新题留空。")),
        ("题型", _("单选题、多选题、判断题、填空题、简答题、论述题、文件题。")),
        ("题干", _("题目正文。")),
        ("选项A–选项H", _("单选题、多选题的选项，从选项A起依次填写，至少两个。")),
        (
            "答案",
            _(
                "单选题填一个字母，如 B；多选题填多个字母，如 ACD；判断题填“对”或“错”；"
                "填空题每空之间用“；”分隔，同一空的多个可接受答案用“|”分隔；简答题、论述题、文件题填参考答案（可空）。"
            ),
        ),
        ("分值", _("大于 0 的数，可有两位小数。")),
        ("难度", _("1–5，或“易、较易、中、较难、难”；留空为“中”。")),
        ("标签 / 知识点", _("多个之间用逗号或顿号分隔，最多 10 个。")),
        ("解析", _("答题后给学习者看的解析，可空。")),
        (
            "评分方式",
            _("多选题：all 全部选对才得分，share 少选按比例得分、错选不得分，net 选对加分、选错扣分；")
            + _("简答、论述、文件题：manual 教师评分，peer 学生互评。"),
        ),
        ("评分标准", _("简答、论述、文件题的评分要点，每行一条，写作“要点|分值”；各条合计应等于分值。")),
        ("空格顺序不限", _("填空题填“是”时，各空答案可以任意顺序作答。")),
        ("允许格式", _("文件题允许上传的格式，如 pdf,docx。")),
        ("", _("导入时先检查每一行，任何一行有错都不会导入，并指出是第几行哪一列。")),
    ]


def _style_header(sheet: Any) -> None:
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in sheet[1]:
        cell.font = bold
        cell.fill = fill
    sheet.freeze_panes = "A2"
    widths = {"编号": 38, "题干": 50, "答案": 30, "解析": 30, "评分标准": 30}
    for index, header in enumerate(HEADERS, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = widths.get(header, 12)


def _row(values: dict[str, Any]) -> list[Any]:
    options = list(values.get("options") or [])
    row = []
    for header in HEADERS:
        if header in OPTION_COLUMNS:
            at = OPTION_COLUMNS.index(header)
            row.append(options[at] if at < len(options) else "")
        else:
            row.append(values.get(header, ""))
    return row


def _save(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _guide(workbook: Workbook) -> None:
    guide = workbook.create_sheet(GUIDE)
    guide.append([_("列"), _("填写说明")])
    for column, text in _guide_rows():
        guide.append([column, text])
    guide.column_dimensions["A"].width = 16
    guide.column_dimensions["B"].width = 100
    for row in guide.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    guide["A1"].font = guide["B1"].font = Font(bold=True)


def template_workbook() -> bytes:
    """The import template: the 题目 sheet with one example row per type, and the 说明 sheet."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET
    sheet.append(HEADERS)
    for example in EXAMPLES:
        sheet.append(_row(example))
    _style_header(sheet)
    _guide(workbook)
    return _save(workbook)


def _version_row(question: Question) -> list[Any]:
    version = question.current_version
    assert version is not None
    kind = get_type(version.type)
    flat = kind.to_flat(version.data) if kind else {}
    values: dict[str, Any] = {
        "编号": str(question.identifier),
        "题型": str(kind.label) if kind else version.type,
        "题干": _text(version.stem),
        "options": flat.get("options", []),
        "答案": flat.get("answer", ""),
        "分值": Decimal(version.points),
        "难度": DIFFICULTY_WORDS.get(version.difficulty, ""),
        "标签": "，".join(version.tags),
        "知识点": "，".join(version.knowledge_points),
        "解析": _text(version.explanation),
        "评分方式": flat.get("scoring") or flat.get("grading") or "",
        "评分标准": flat.get("rubric", ""),
        "空格顺序不限": ("是" if flat.get("any_order") else "") if version.type == "fill" else "",
        "允许格式": flat.get("formats", ""),
    }
    return _row(values)


def _text(html: str) -> str:
    """Rich text as a cell holds it: paragraphs as lines, no tags (a cell shows no HTML)."""
    for tag in ("</p>", "<br>", "<br/>", "</li>"):
        html = html.replace(tag, "\n")
    return "\n".join(line.strip() for line in strip_tags(html).splitlines() if line.strip())


def bank_workbook(questions: Iterable[Question]) -> bytes:
    """The bank's questions (their current versions) in the template's shape, ready to edit and import again."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET
    sheet.append(HEADERS)
    for question in questions:
        sheet.append(_version_row(question))
    _style_header(sheet)
    _guide(workbook)
    return _save(workbook)


# --- Reading ------------------------------------------------------------------------------------------------------


def _html(text: str) -> str:
    """A cell's plain text as rich text: one paragraph per line, escaped."""
    from django.utils.html import escape

    return "".join(f"<p>{escape(line)}</p>" for line in text.splitlines() if line.strip())


def _row_draft(values: dict[str, str]) -> QuestionDraft:
    errors: dict[str, list[str]] = {}
    identifier = None
    if values.get("编号"):
        try:
            identifier = uuid.UUID(values["编号"])
        except ValueError:
            errors["identifier"] = [_("编号应为导出文件中的编号，新题留空")]
    kind = type_by_label(values.get("题型", ""))
    if kind is None:
        raise ValidationError({"type": [_("题型应为单选题、多选题、判断题、填空题、简答题、论述题或文件题")]})
    way = values.get("评分方式", "")
    flat = {
        "options": [values.get(column, "") for column in OPTION_COLUMNS if values.get(column, "")],
        "answer": values.get("答案", ""),
        "scoring": way if kind.name == "multiple" else "",
        "grading": way if kind.name != "multiple" else "",
        "rubric": values.get("评分标准", ""),
        "any_order": values.get("空格顺序不限", ""),
        "formats": values.get("允许格式", ""),
    }
    data: dict[str, Any] = {}
    try:
        data = kind.from_flat(flat)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        draft = prepare_draft(
            type=kind.name,
            stem=_html(values.get("题干", "")),
            data=data,
            points=values.get("分值", ""),
            explanation=_html(values.get("解析", "")),
            tags=values.get("标签", ""),
            knowledge_points=values.get("知识点", ""),
            difficulty=values.get("难度") or 3,
            identifier=identifier,
        )
    except ValidationError as error:
        for key, messages in error.message_dict.items():
            # The type's own data errors are already reported by field.
            if not (data == {} and key in {"options", "answer", "blanks", "data", "scoring", "grading", "rubric"}):
                errors.setdefault(key, []).extend(messages)
        raise ValidationError(errors) from None
    if errors:
        raise ValidationError(errors)
    return draft


def read_workbook(upload: Any) -> list[QuestionDraft]:
    """Every question of a filled template, checked; a ``ValidationError`` on ``file`` lists each bad row and
    column (at most thirty) and nothing is returned."""
    size = getattr(upload, "size", None) or 0
    if size > MAX_BYTES:
        raise ValidationError({"file": [_("文件不能超过 10 MB")]})
    try:
        upload.seek(0)
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ValidationError({"file": [_("不是有效的 Excel 文件（.xlsx），请用下载的模板填写")]}) from None
    sheet = workbook[SHEET] if SHEET in workbook.sheetnames else workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [cell_text(value) for value in next(rows, ())]
    missing = [name for name in ("题型", "题干", "答案", "分值") if name not in header]
    if missing:
        raise ValidationError(
            {"file": [_("表头缺少这些列：%(columns)s。请用下载的模板填写") % {"columns": "、".join(missing)}]}
        )
    drafts: list[QuestionDraft] = []
    messages: list[str] = []
    for number, row in enumerate(rows, start=2):
        values = {name: cell_text(value) for name, value in zip(header, row, strict=False) if name}
        if not any(values.values()):
            continue
        if len(drafts) + len(messages) >= MAX_ROWS:
            raise ValidationError({"file": [_("一次最多导入 %(n)d 道题") % {"n": MAX_ROWS}]})
        try:
            drafts.append(_row_draft(values))
        except ValidationError as error:
            for field, texts in error.message_dict.items():
                column = FIELD_COLUMN.get(field, "")
                for text in texts:
                    messages.append(
                        _("第 %(row)d 行“%(column)s”列：%(message)s")
                        % {"row": number, "column": column, "message": text}
                        if column
                        else _("第 %(row)d 行：%(message)s") % {"row": number, "message": text}
                    )
    workbook.close()
    if messages:
        shown = messages[:MAX_ERRORS]
        if len(messages) > MAX_ERRORS:
            shown.append(_("……还有 %(n)d 处错误") % {"n": len(messages) - MAX_ERRORS})
        raise ValidationError({"file": shown})
    if not drafts:
        raise ValidationError({"file": [_("文件里没有题目")]})
    identifiers = [draft.identifier for draft in drafts if draft.identifier is not None]
    if len(identifiers) != len(set(identifiers)):
        raise ValidationError({"file": [_("同一个编号出现在多行，每道题只能有一行")]})
    return drafts


def scoring_words() -> Sequence[str]:
    """The codes the 评分方式 column takes (for the API's description)."""
    return [*Scoring.LABELS, *Grading.LABELS]
