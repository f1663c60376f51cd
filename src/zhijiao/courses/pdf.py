"""A course certificate as its learner downloads it: one landscape A4 page in Chinese, drawn from the signed
credential alone (what the PDF says is what ``/verify/<code>`` and the VC-JWT say), in the bundled CJK font, with
the verification code and a QR code of the verification page."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from zhijiao.core.pdf import FONT, QRCode, register_fonts, style
from zhijiao.credentials.codes import format_code
from zhijiao.credentials.models import Credential
from zhijiao.credentials.selectors import verify_url

# The claims the statement names; the others are listed under it.
_IN_STATEMENT = ("课程名称", "开课学校", "开课学期", "学习时间", "完成比例", "成绩等级")


def _p(text: str, **kw: Any) -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style(**kw))


def _date(value: Any) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def certificate_statement(credential: Credential) -> str:
    """兹证明 … : the sentence a certificate reads as, from its signed claims."""
    claims = dict(credential.claim_items)
    where = f"在{claims['开课学校']}开设的" if claims.get("开课学校") else ""
    term = f"（{claims['开课学期']}）" if claims.get("开课学期") else ""
    period = f"于{claims['学习时间']}" if claims.get("学习时间") else ""
    level = f"成绩{claims['成绩等级']}，" if claims.get("成绩等级") else ""
    return (
        f"兹证明 {credential.holder_name} {period}修读{where}《{claims.get('课程名称', '')}》{term}，"
        f"完成比例 {claims.get('完成比例', '')}，{level}达到课程证书要求，特发此证。"
    )


def certificate_pdf(credential: Credential) -> bytes:
    """The course certificate of ``credential`` (kind ``course``) as PDF bytes."""
    register_fonts()
    url = verify_url(credential.code)
    others = [
        [_p(name, size=10, bold=True), _p(value, size=10)]
        for name, value in credential.claim_items
        if name not in _IN_STATEMENT
    ]
    others.append([_p("身份证号码", size=10, bold=True), _p(credential.holder_id_masked, size=10)])
    facts = Table(others, colWidths=[32 * mm, 120 * mm])
    facts.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.lightgrey),
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    verification = Table(
        [
            [
                [
                    _p(f"颁发：{credential.issuer_name}", size=11, bold=True),
                    _p(f"颁发日期：{_date(credential.issued_on)}", size=10.5),
                    Spacer(1, 3 * mm),
                    _p(f"验证码：{format_code(credential.code)}", size=13, bold=True),
                    _p(f"在线验证：{url}", size=8.5),
                    _p(
                        "本证书同时以 W3C 可验证凭证（VC-JWT，Ed25519 签名）形式提供，下载签名凭证（JSON）后"
                        "可用平台公布的公钥（/.well-known/jwks.json）离线验证。",
                        size=8,
                        textColor=colors.grey,
                    ),
                ],
                QRCode(url, 30 * mm),
            ]
        ],
        colWidths=[200 * mm, 40 * mm],
    )
    verification.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    story: list[Any] = [
        _p("课程证书", size=30, bold=True, alignment=1, spaceAfter=4),
        _p("COURSE CERTIFICATE", size=10, alignment=1, textColor=colors.grey),
        Spacer(1, 8 * mm),
        _p(certificate_statement(credential), size=14, leading=26),
        Spacer(1, 5 * mm),
        facts,
        Spacer(1, 8 * mm),
        verification,
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=22 * mm,
        rightMargin=22 * mm,
        topMargin=16 * mm,
        bottomMargin=14 * mm,
        title=credential.title,
        author=credential.issuer_name,
    ).build(story)
    return buffer.getvalue()
