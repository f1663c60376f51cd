import io

import segno
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from zhijiao.core.pdf import draw_qr, register_fonts


def make_pdf() -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    regular, bold = register_fonts()
    canvas.setFont(bold, 18)
    canvas.drawString(72, 760, "毕业生就业协议书")
    canvas.setFont(regular, 11)
    canvas.drawString(72, 740, "国家智慧教育公共服务平台 ABC 123")
    draw_qr(canvas, "https://example.cn/q/ABC234", x=72, y=500, size=120)
    canvas.save()
    return buffer.getvalue()


def test_chinese_text_embeds_the_bundled_font():
    pdf = make_pdf()
    assert pdf.startswith(b"%PDF")
    assert b"/FontFile2" in pdf  # the TrueType subset travels inside the file
    assert b"NotoSansSC" in pdf or b"ZhijiaoSans" in pdf


def test_pdfs_are_deterministic():
    assert make_pdf() == make_pdf()


def test_qr_is_drawn_from_the_code_matrix():
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True, pageCompression=0)
    draw_qr(canvas, "ABC234", x=0, y=0, size=100)
    canvas.save()
    dark_modules = sum(sum(1 for cell in row if cell) for row in segno.make("ABC234", error="h", micro=False).matrix)
    rectangles = buffer.getvalue().count(b" re f")
    assert 0 < rectangles <= dark_modules + 1
