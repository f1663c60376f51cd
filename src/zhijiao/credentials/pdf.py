"""What a holder downloads: the credential as a Chinese PDF (with its code and a QR code of the verification page)
and as JSON (the VC-JWT and the credential it carries)."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from zhijiao.core.pdf import FONT, QRCode, register_fonts, style

from . import vc
from .codes import format_code
from .models import Credential
from .selectors import verify_url


def _p(text: str, **kw: Any) -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style(**kw))


def _date(value: Any) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def credential_pdf(credential: Credential) -> bytes:
    """A one-page Chinese certificate: holder, masked ID, title, claims, dates, issuer, code and QR code.

    A certificate is an official document, so it is in Chinese whatever the viewer's language."""
    register_fonts()
    url = verify_url(credential.code)
    story: list[Any] = [
        _p(credential.title, size=18, bold=True, alignment=1, spaceAfter=10),
        Spacer(1, 4 * mm),
    ]
    rows = [
        [_p("姓名", size=10.5, bold=True), _p(credential.holder_name, size=10.5)],
        [_p("身份证号码", size=10.5, bold=True), _p(credential.holder_id_masked, size=10.5)],
    ]
    rows += [[_p(name, size=10.5, bold=True), _p(value, size=10.5)] for name, value in credential.claim_items]
    rows.append([_p("颁发机构", size=10.5, bold=True), _p(credential.issuer_name, size=10.5)])
    rows.append([_p("颁发日期", size=10.5, bold=True), _p(_date(credential.issued_on), size=10.5)])
    if credential.valid_until:
        rows.append([_p("有效期至", size=10.5, bold=True), _p(_date(credential.valid_until), size=10.5)])
    table = Table(rows, colWidths=[40 * mm, 130 * mm])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (0, -1), colors.whitesmoke),
            ]
        )
    )
    story += [table, Spacer(1, 8 * mm)]
    story.append(_p(f"验证码：{format_code(credential.code)}", size=14, bold=True))
    story.append(_p(f"在线验证：{url}", size=9))
    story.append(Spacer(1, 3 * mm))
    story.append(QRCode(url, 32 * mm))
    story.append(Spacer(1, 4 * mm))
    story.append(
        _p(
            "本证书同时以 W3C 可验证凭证（VC-JWT，Ed25519 签名）形式提供，可下载 JSON 后用平台公布的公钥"
            f"（{vc.issuer_did()}，/.well-known/jwks.json）离线验证。验证码失效或被撤销后在线验证将查无结果。",
            size=8.5,
            textColor=colors.grey,
        )
    )
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=18 * mm,
        title=credential.title,
        author="智教平台",
    ).build(story)
    return buffer.getvalue()


def credential_json(credential: Credential) -> dict[str, Any]:
    """``{"jwt": "<compact VC-JWT>", "credential": {…the decoded W3C VC…}}``, with where to find the key."""
    header, payload = vc.decode_unverified(credential.jwt)
    return {
        "jwt": credential.jwt,
        "header": header,
        "credential": payload,
        "jwks": f"{settings.PUBLIC_ORIGIN}/.well-known/jwks.json",
    }
