"""Chinese PDFs of the employment platform: a resume, and a three-party agreement with its signatures and a
verification code (and its QR code) anyone can check on the public verification page."""

import io
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from zhijiao.core.pdf import FONT, QRCode, register_fonts, style
from zhijiao.credentials.codes import format_code

from .models import Agreement, Resume, ResumeEntry


def _p(text: str, **kw: Any) -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style(**kw))


def _build(story: list[Any], *, title: str) -> bytes:
    register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=title,
        author="智教平台",
    )
    doc.build(story)
    return buffer.getvalue()


def resume_pdf(resume: Resume, *, labels: dict[str, str]) -> bytes:
    """A resume version as a one- or two-page PDF, sections in the editor's order."""
    story: list[Any] = [_p(resume.full_name, size=20, bold=True)]
    contacts = "  ".join(item for item in (resume.phone, resume.email) if item)
    if contacts:
        story.append(_p(contacts, size=10))
    if resume.objective:
        story.append(_p(f"{labels['objective']}：{resume.objective}", size=11))
    story.append(Spacer(1, 4 * mm))
    entries = list(resume.entries.all())
    for section, section_label in ResumeEntry.Section.choices:
        items = [e for e in entries if e.section == section]
        if not items:
            continue
        story.append(_p(str(section_label), size=13, bold=True, spaceBefore=6))
        for entry in items:
            period = " – ".join(d.strftime("%Y.%m") for d in (entry.start, entry.end) if d)
            head = "  ".join(part for part in (entry.title, entry.subtitle, period) if part)
            story.append(_p(head, size=10.5, bold=True))
            if entry.detail:
                story.append(_p(entry.detail, size=10))
    if resume.summary:
        story.append(_p(labels["summary"], size=13, bold=True, spaceBefore=6))
        story.append(_p(resume.summary, size=10))
    return _build(story, title=f"{resume.full_name} {resume.title}")


PARTY_LABELS = {"graduate": "乙方（毕业生）", "employer": "甲方（用人单位）", "university": "丙方（学校）"}


def agreement_pdf(agreement: Agreement, *, verify_url: str, valid: dict[int, bool]) -> bytes:
    """The agreement's exact text, every signature (party, signer, time, SHA-256, valid or void) and the code.

    The PDF is the agreement as a legal document, so it is in Chinese whatever the viewer's language."""
    story: list[Any] = []
    lines = agreement.text.splitlines()
    story.append(_p(lines[0], size=16, bold=True, alignment=1, spaceAfter=6))
    for line in lines[1:]:
        story.append(_p(line or " ", size=10.5))
    story.append(Spacer(1, 6 * mm))
    story.append(_p("签署记录", size=13, bold=True))
    rows = [
        [
            _p("签署方", size=9, bold=True),
            _p("签署人", size=9, bold=True),
            _p("签署时间", size=9, bold=True),
            _p("所签文本 SHA-256", size=9, bold=True),
            _p("状态", size=9, bold=True),
        ]
    ]
    for signature in agreement.signatures.all():
        state = "有效" if valid.get(signature.pk) else "已作废"
        rows.append(
            [
                _p(PARTY_LABELS.get(signature.party, signature.party), size=9),
                _p(signature.signer_name, size=9),
                _p(timezone.localtime(signature.signed_at).strftime("%Y-%m-%d %H:%M:%S"), size=9),
                _p(signature.text_sha256, size=7),
                _p(state, size=9),
            ]
        )
    if len(rows) == 1:
        rows.append([_p("尚无签署", size=9), "", "", "", ""])
    table = Table(rows, colWidths=[28 * mm, 26 * mm, 32 * mm, 70 * mm, 16 * mm])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
            ]
        )
    )
    story.append(table)
    story.append(Spacer(1, 6 * mm))
    status = dict(Agreement.Status.choices)
    status_text = {"signing": "签署中", "signed": "已签署", "terminated": "已解约"}.get(agreement.status, str(status))
    story.append(_p(f"协议状态：{status_text}", size=10.5))
    if agreement.status == Agreement.Status.TERMINATED:
        story.append(_p(f"解约原因：{agreement.termination_reason}", size=10.5))
    story.append(_p(f"正文 SHA-256：{agreement.text_sha256}", size=9))
    story.append(_p(f"验证码：{format_code(agreement.code)}", size=13, bold=True))
    story.append(_p(f"验证网址：{verify_url}", size=9))
    story.append(QRCode(verify_url, 30 * mm))
    return _build(story, title=f"三方协议 {agreement.number}")
