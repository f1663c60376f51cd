"""A learner's course certificates: the list (with how to complete identity when one waits for it), and each issued
certificate as a PDF and as its signed credential (VC-JWT). Only its learner reaches a certificate."""

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from zhijiao.accounts.selectors import real_name_of
from zhijiao.credentials import selectors as credential_selectors

from .. import selectors


@require_safe
@login_required
def certificates(request: HttpRequest) -> HttpResponse:
    """/courses/certificates/: every course certificate of the learner, issued or waiting for their identity."""
    found = selectors.certificates_of(actor=request.user)
    context = {
        "certificates": found,
        "has_identity": real_name_of(request.user) is not None,
        "awaiting": any(c.status == c.Status.AWAITING_IDENTITY for c in found),
    }
    response = render(request, "courses/certificates/list.html", context)
    patch_cache_control(response, private=True, no_store=True)
    return response


def _download(body: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_safe
@login_required
def certificate_pdf(request: HttpRequest, certificate_id: int) -> HttpResponse:
    """The certificate as a one-page Chinese PDF (``courses.pdf``) with its verification code and QR code."""
    certificate = selectors.access_certificate(actor=request.user, certificate_id=certificate_id)
    assert certificate.credential is not None  # an issued certificate has its credential (access_certificate)
    from ..pdf import certificate_pdf as draw  # reportlab loads on the first download, not with every import

    return _download(draw(certificate.credential), "application/pdf", f"course-certificate-{certificate.pk}.pdf")


@require_safe
@login_required
def certificate_json(request: HttpRequest, certificate_id: int) -> HttpResponse:
    """The same certificate as a W3C Verifiable Credential (VC-JWT and its decoded form), to verify offline."""
    certificate = selectors.access_certificate(actor=request.user, certificate_id=certificate_id)
    assert certificate.credential is not None
    body = json.dumps(credential_selectors.credential_json(certificate.credential), ensure_ascii=False, indent=2)
    return _download(body, "application/json; charset=utf-8", f"course-certificate-{certificate.pk}.json")
