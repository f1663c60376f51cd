"""The result block of the public verification page, written out in Python rather than a template.

It is the only part of /verify/<code> drawn per request (the page around it is drawn once per language), and a
template costs several times as much as this on the hottest public page; every value goes through ``escape``.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.translation import gettext as _

from .selectors import mask_holder_name
from .verification import Verification, verifier_of


def _row(label: str, value: str, *, dd_attrs: str = "") -> str:
    return f"<div><dt>{escape(label)}</dt><dd{dd_attrs}>{escape(value)}</dd></div>"


def result_html(verification: Verification) -> str:
    """The masked holder, the title, the claims, the dates and the code of a valid credential (or of a product's
    document), worded as its kind registered (``verification.register_verifier``)."""
    verifier = verifier_of(verification.kind)
    status = verification.status_text or str(verifier.valid_text)
    issued_label = str(verifier.issued_label)
    rows = [_row(_("姓名"), mask_holder_name(verification.holder_name), dd_attrs=' id="verify-name"')]
    if verification.holder_id_masked:
        rows.append(_row(_("身份证号码"), verification.holder_id_masked))
    rows += [
        *(_row(name, value) for name, value in verification.claim_items),
        _row(_("颁发机构"), verification.issuer_name),
        _row(issued_label, verification.issued_on.isoformat()),
    ]
    # The kernel's credentials are valid until a date or for good; a product's own document (an agreement) states
    # its validity among its claims when it has no end date.
    if verification.valid_until is not None or verifier.resolve is None:
        valid_until = verification.valid_until.isoformat() if verification.valid_until else _("长期有效")
        rows.append(_row(_("有效期至"), valid_until, dd_attrs=' id="verify-valid-until"'))
    rows.append(_row(_("验证码"), verification.code_display, dd_attrs=' class="cred-code"'))
    note = _("请核对持证人身份证件上的姓名与号码。此结果同时以签名凭证形式提供，可用平台公布的公钥离线验证。")
    return (
        '<section class="card cred-result" aria-labelledby="result-title" id="verify-result">'
        f'<p class="cred-valid" id="verify-status">{escape(status)}</p>'
        f'<h2 id="result-title" class="card-title">{escape(verification.title)}</h2>'
        f'<dl class="cred-facts">{"".join(rows)}</dl>'
        f'<p class="note">{escape(note)}</p>'
        "</section>"
    )


def not_found_html() -> str:
    """The one answer for unknown, expired and revoked codes alike."""
    message = _("未找到有效的验证结果。验证码可能输入有误、已过有效期或已被撤销，请向持有人核实。")
    return (
        '<section class="card cred-result" id="verify-result">'
        f'<p role="alert" class="message message-error" id="verify-not-found">{escape(message)}</p>'
        "</section>"
    )
