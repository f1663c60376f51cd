"""Small real documents the demo generates at load time (exam notices' attachments, applicants' papers, learners'
homework files): one-page PDFs in reportlab's built-in Chinese CID font, nothing embedded, so each takes a
millisecond or two and a few KB."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4, A6

__all__ = ["A4", "A6", "text_pdf"]


def text_pdf(title: str, lines: list[str], *, page: tuple[float, float] = A4, chars: int = 48) -> bytes:
    """A one-page PDF: ``title`` centred at the top, then ``lines`` (each cut at ``chars`` characters)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    small = page[0] < A4[0] / 2
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=page, invariant=True)
    canvas.setTitle(title)
    canvas.setFont("STSong-Light", 12 if small else 16)
    canvas.drawCentredString(page[0] / 2, page[1] - (40 if small else 80), title[:40])
    canvas.setFont("STSong-Light", 11)
    y = page[1] - (70 if small else 130)
    for line in lines:
        canvas.drawString(24 if small else 60, y, line[:chars])
        y -= 22
    canvas.save()
    return buffer.getvalue()
