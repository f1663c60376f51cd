"""云码: making codes, and printing them (an A4 sheet of QR codes as PDF; SVG and PNG per code).

A code is six characters from :data:`CODE_ALPHABET` (23 symbols, no 0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V), drawn with
``secrets`` so codes say nothing about each other or their order: 23⁶ ≈ 148 million codes. Codes are never
deleted, so the unique column alone keeps a retired code from being issued again.
"""

import io
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from xml.sax.saxutils import escape

import segno
from django.conf import settings
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from zhijiao.core.pdf import FONT_DIR, draw_qr, register_fonts

from .models import CODE_ALPHABET, CODE_LENGTH


def random_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str) -> str:
    """What someone typed or scanned, as stored: trimmed and upper-case (lookups ignore case)."""
    return (text or "").strip().upper()


def looks_like_code(text: str) -> bool:
    value = normalize_code(text)
    return len(value) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in value)


def code_url(code: str, *, base_url: str = "") -> str:
    """The address printed in the QR code: ``<base>/q/<code>``."""
    base = (getattr(settings, "K12_CODE_BASE_URL", "") or base_url).rstrip("/")
    return f"{base}/q/{code}"


@dataclass(frozen=True)
class PrintedCode:
    code: str
    title: str
    subtitle: str
    url: str


# --- The A4 sheet -----------------------------------------------------------------------------------------

COLUMNS, ROWS = 4, 5
MARGIN = 12 * mm
HEADER = 14 * mm


def _fit(canvas: Canvas, text: str, font: str, size: float, width: float) -> str:
    """``text`` shortened with … so it fits ``width`` points."""
    if canvas.stringWidth(text, font, size) <= width:
        return text
    while text and canvas.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def sheet_pdf(*, title: str, codes: Sequence[PrintedCode]) -> bytes:
    """A printable A4 sheet: a grid of QR codes (error correction H), each with its code and lesson below."""
    regular, bold = register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(title)
    page_width, page_height = A4
    cell_width = (page_width - 2 * MARGIN) / COLUMNS
    cell_height = (page_height - 2 * MARGIN - HEADER) / ROWS
    qr_size = min(cell_width - 8 * mm, cell_height - 22 * mm)
    per_page = COLUMNS * ROWS
    pages = max(1, -(-len(codes) // per_page))
    for page in range(pages):
        canvas.setFont(bold, 12)
        canvas.drawString(MARGIN, page_height - MARGIN - 6 * mm, _fit(canvas, title, bold, 12, page_width * 0.7))
        canvas.setFont(regular, 8)
        canvas.drawRightString(page_width - MARGIN, page_height - MARGIN - 6 * mm, f"{page + 1} / {pages}")
        for index, item in enumerate(codes[page * per_page : (page + 1) * per_page]):
            column, row = index % COLUMNS, index // COLUMNS
            left = MARGIN + column * cell_width
            top = page_height - MARGIN - HEADER - row * cell_height
            qr_x = left + (cell_width - qr_size) / 2
            qr_y = top - qr_size - 2 * mm
            draw_qr(canvas, item.url, x=qr_x, y=qr_y, size=qr_size, error="h")
            centre = left + cell_width / 2
            canvas.setFont(bold, 13)
            canvas.drawCentredString(centre, qr_y - 5 * mm, item.code)
            canvas.setFont(regular, 8)
            canvas.drawCentredString(centre, qr_y - 9.5 * mm, _fit(canvas, item.title, regular, 8, cell_width - 4 * mm))
            canvas.setFont(regular, 6.5)
            canvas.drawCentredString(
                centre, qr_y - 13 * mm, _fit(canvas, item.subtitle, regular, 6.5, cell_width - 4 * mm)
            )
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# --- One code as SVG or PNG -------------------------------------------------------------------------------


def code_svg(item: PrintedCode, *, scale: int = 8, border: int = 2) -> str:
    """The QR code with the code printed under it, as a standalone SVG."""
    qr = segno.make(item.url, error="h", micro=False)
    modules = qr.symbol_size(scale=1, border=border)[0]
    size = modules * scale
    path_buffer = io.BytesIO()
    qr.save(path_buffer, kind="svg", scale=scale, border=border, xmldecl=False, svgns=True, nl=False)
    inner = path_buffer.getvalue().decode()
    height = size + 4 * scale + 12
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{height}" viewBox="0 0 {size} {height}">'
        f'<rect width="100%" height="100%" fill="#fff"/>{inner}'
        f'<text x="{size / 2}" y="{size + 3 * scale}" font-family="monospace" font-size="{3 * scale}" '
        f'font-weight="bold" text-anchor="middle">{escape(item.code)}</text></svg>'
    )


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_DIR / "NotoSansSC-Bold-GBK.ttf"), size)


def code_png(item: PrintedCode, *, scale: int = 8, border: int = 2) -> bytes:
    """The QR code with the code and lesson title under it, as PNG."""
    qr = segno.make(item.url, error="h", micro=False)
    qr_buffer = io.BytesIO()
    qr.save(qr_buffer, kind="png", scale=scale, border=border)
    qr_buffer.seek(0)
    symbol = Image.open(qr_buffer).convert("L")
    width = symbol.width
    big, small = _font(3 * scale), _font(max(12, int(1.6 * scale)))
    canvas = Image.new("L", (width, symbol.height + 6 * scale), 255)
    canvas.paste(symbol, (0, 0))
    draw = ImageDraw.Draw(canvas)
    draw.text((width / 2, symbol.height), item.code, fill=0, font=big, anchor="ma")
    title = item.title
    while title and draw.textlength(title, font=small) > width - 2 * scale:
        title = title[:-1]
    if title != item.title:
        title = title[:-1] + "…"
    draw.text((width / 2, symbol.height + 3.6 * scale), title, fill=0, font=small, anchor="ma")
    out = io.BytesIO()
    canvas.save(out, format="PNG", optimize=True)
    return out.getvalue()


def unique_candidates(count: int, taken: Iterable[str] = ()) -> list[str]:
    """``count`` distinct fresh random codes, none of them in ``taken``."""
    seen = set(taken)
    made: list[str] = []
    while len(made) < count:
        code = random_code()
        if code not in seen:
            seen.add(code)
            made.append(code)
    return made
