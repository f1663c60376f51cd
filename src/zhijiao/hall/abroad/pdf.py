"""The returnee's placement letter (留学回国人员派遣函) as a Chinese PDF.

It is an official document, so it is in Chinese whatever the viewer's language. It names the returnee by their
real-name identity (name and masked ID number) and is signed off by the configured authority (``abroad.returnee``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from zhijiao.accounts.selectors import real_name_of
from zhijiao.core.errors import DomainError
from zhijiao.core.pdf import register_fonts, style

from .forms import ReturneeForm
from .models import Application, Service

TITLE = "留学回国人员就业派遣函"


def _p(text: str, **kw: Any) -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style(**kw))


@dataclass(frozen=True)
class PlacementLetter:
    """What the letter says, line by line (drawn by :func:`placement_pdf`)."""

    reference: str
    addressee: str
    body: str
    facts: list[tuple[str, str]]
    issuer: str
    issued_on: str


def placement_letter(application: Application) -> PlacementLetter:
    """The letter's text: the returnee by real name and masked ID number, signed off by the configured authority."""
    from .services import issuer_of

    holder = real_name_of(application.applicant)
    if holder is None:
        raise DomainError("identity_required", _("申请人尚未完成实名认证，不能出具派遣函"), status=409)
    data = application.data or {}
    with translation.override("zh-hans"):
        facts = [(str(label), str(value)) for label, value in ReturneeForm.display(data)]
    issued = timezone.localtime(application.decided_at or timezone.now())
    return PlacementLetter(
        reference=application.reference,
        addressee=f"{data.get('intended_employer') or data.get('intended_city', '')}：",
        body=(
            f"兹有留学回国人员 {holder.name}（身份证号码：{holder.id_number_masked}）已在我中心办理回国报到登记，"
            f"意向在 {data.get('intended_city', '')} 就业，请按有关规定办理接收手续。"
        ),
        facts=facts,
        issuer=issuer_of(Service.RETURNEE).name,
        issued_on=f"{issued.year}年{issued.month:02d}月{issued.day:02d}日",
    )


def placement_pdf(application: Application) -> bytes:
    """A one-page letter: who returned from where with which degree, and where they are sent to work."""
    letter = placement_letter(application)
    register_fonts()
    story: list[Any] = [
        _p(TITLE, size=18, bold=True, alignment=1, spaceAfter=12),
        _p(f"编号：{letter.reference}", size=10, alignment=2, spaceAfter=8),
        _p(letter.addressee, size=11),
        _p(letter.body, size=11, spaceAfter=8),
    ]
    for label, value in letter.facts:
        story.append(_p(f"{label}：{value}", size=10.5))
    story += [
        Spacer(1, 12 * mm),
        _p(letter.issuer, size=11, alignment=2),
        _p(letter.issued_on, size=11, alignment=2),
    ]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=TITLE,
        author="智教平台",
    )
    doc.build(story)
    return buffer.getvalue()
