"""PDF building blocks shared by every app that prints something: the bundled CJK font and QR codes.

Fonts are Noto Sans SC (see ``core/fonts/README.md``), embedded as subsets, so certificates, reports,
agreements and code sheets look the same everywhere. QR codes are drawn as vector squares (segno's matrix),
crisp at any print size.
"""

from functools import cache
from pathlib import Path
from typing import Any

import segno
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "ZhijiaoSans"
FONT_BOLD = "ZhijiaoSans-Bold"


@cache
def register_fonts() -> tuple[str, str]:
    """Register the bundled CJK fonts with reportlab once per process; returns (regular, bold) names."""
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "NotoSansSC-Regular-GBK.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "NotoSansSC-Bold-GBK.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)
    return FONT, FONT_BOLD


def style(
    name: str = "body", *, size: float = 10.5, bold: bool = False, leading: float | None = None, **kw: Any
) -> ParagraphStyle:
    """A paragraph style in the bundled font; CJK text wraps between any two characters."""
    register_fonts()
    return ParagraphStyle(
        name,
        fontName=FONT_BOLD if bold else FONT,
        fontSize=size,
        leading=leading or size * 1.5,
        wordWrap="CJK",
        **kw,
    )


def draw_qr(canvas: Canvas, data: str, *, x: float, y: float, size: float, error: str = "h", border: int = 2) -> None:
    """Draw a QR code for ``data`` with its lower-left corner at (x, y), ``size`` points wide."""
    qr = segno.make(data, error=error, micro=False)
    matrix = list(qr.matrix)
    modules = len(matrix) + 2 * border
    cell = size / modules
    canvas.saveState()
    canvas.setFillGray(1)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillGray(0)
    for row_index, row in enumerate(matrix):
        top = y + size - (row_index + border + 1) * cell
        column = 0
        while column < len(row):
            if row[column]:
                start = column
                while column < len(row) and row[column]:
                    column += 1
                # one rectangle per run of dark modules: fewer operators, smaller files
                canvas.rect(x + (start + border) * cell, top, (column - start) * cell, cell, stroke=0, fill=1)
            else:
                column += 1
    canvas.restoreState()


class QRCode(Flowable):
    """A QR code as a platypus flowable, for documents built from paragraphs."""

    def __init__(self, data: str, size: float, *, error: str = "h") -> None:
        super().__init__()
        self.data = data
        self.size = size
        self.error = error
        self.width = self.height = size

    def draw(self) -> None:
        draw_qr(self.canv, self.data, x=0, y=0, size=self.size, error=self.error)
