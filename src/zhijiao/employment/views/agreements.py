"""Three-party agreement pages: reading, signing, amending and terminating, the PDF, and the public check by code."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST, require_safe

from zhijiao.core.actors import MemberRequest, Origin
from zhijiao.core.errors import DomainError
from zhijiao.core.views import form_errors
from zhijiao.credentials.codes import format_code, normalize_code
from zhijiao.credentials.selectors import verify_url

from .. import forms, selectors, services
from ..models import Agreement
from ..pdf import agreement_pdf


def _agreement_context(request: HttpRequest, agreement: Agreement) -> dict[str, Any]:
    signatures = list(agreement.signatures.all())
    parties = selectors.agreement_parties_of(request.user, agreement)
    turn = services.next_party(agreement)
    return {
        "agreement": agreement,
        "signatures": [(s, selectors.signature_is_valid(agreement, s)) for s in signatures],
        "parties": parties,
        "turn": turn,
        "turn_label": dict(Agreement.Party.choices).get(turn or "", ""),
        "can_sign": turn in parties,
        "code_display": format_code(agreement.code),
        "verify_url": verify_url(agreement.code),
    }


@require_safe
@login_required
def agreement_detail(request: MemberRequest, agreement_id: int) -> HttpResponse:
    agreement = selectors.access_agreement(actor=request.user, agreement_id=agreement_id)
    context = _agreement_context(request, agreement)
    context.update(
        sign_form=forms.SignForm(initial={"text_sha256": agreement.text_sha256}),
        reason_form=forms.ReasonForm(),
        amend_form=forms.AmendForm(initial={"extra": agreement.terms.get("extra", "")}),
    )
    return render(request, "employment/agreement_detail.html", context)


@sensitive_post_parameters("password")
@require_POST
@login_required
def agreement_action(request: MemberRequest, agreement_id: int) -> HttpResponse:
    agreement = selectors.access_agreement(actor=request.user, agreement_id=agreement_id)
    action = request.POST.get("action")
    context = _agreement_context(request, agreement)
    sign_form = forms.SignForm(initial={"text_sha256": agreement.text_sha256})
    reason_form = forms.ReasonForm()
    amend_form = forms.AmendForm(initial={"extra": agreement.terms.get("extra", "")})
    # A wrong password or a missing reason goes next to its field (422); a refusal of the move itself (not your
    # turn, the text changed, terminated) is a message back on the agreement's page, wherever the form was posted
    # from, so this page keeps its own handling rather than service_errors or the middleware's way back.
    try:
        if action == "sign":
            sign_form = forms.SignForm(request.POST)
            if sign_form.is_valid():
                services.agreement_sign(
                    actor=request.user,
                    agreement=agreement,
                    password=sign_form.cleaned_data["password"],
                    text_sha256_seen=sign_form.cleaned_data["text_sha256"],
                    origin=Origin.of(request),
                )
                messages.success(request, _("已签署"))
                return redirect(agreement)
        elif action == "terminate":
            reason_form = forms.ReasonForm(request.POST)
            if reason_form.is_valid():
                services.agreement_terminate(
                    actor=request.user,
                    agreement=agreement,
                    reason=reason_form.cleaned_data["reason"],
                    origin=Origin.of(request),
                )
                messages.success(request, _("已解约"))
                return redirect(agreement)
        elif action == "amend":
            amend_form = forms.AmendForm(request.POST)
            if amend_form.is_valid():
                services.agreement_amend(
                    actor=request.user,
                    agreement=agreement,
                    extra=amend_form.cleaned_data["extra"],
                    origin=Origin.of(request),
                )
                messages.warning(request, _("协议内容已变更，此前的签署已作废，需重新签署"))
                return redirect(agreement)
    except ValidationError as exc:
        target = {"sign": sign_form, "terminate": reason_form, "amend": amend_form}.get(action or "", sign_form)
        form_errors(target, exc)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect(agreement)
    context.update(sign_form=sign_form, reason_form=reason_form, amend_form=amend_form)
    return render(request, "employment/agreement_detail.html", context, status=422)


@require_safe
@login_required
def agreement_download(request: MemberRequest, agreement_id: int) -> HttpResponseBase:
    agreement = selectors.access_agreement(actor=request.user, agreement_id=agreement_id)
    valid = {s.pk: selectors.signature_is_valid(agreement, s) for s in agreement.signatures.all()}
    data = agreement_pdf(agreement, verify_url=verify_url(agreement.code), valid=valid)
    return FileResponse(io.BytesIO(data), content_type="application/pdf", filename=f"agreement-{agreement.number}.pdf")


@require_safe
def agreement_verify(request: HttpRequest) -> HttpResponse:
    """The old address of the agreement check: agreements are checked at /verify/ like every code now."""
    query = f"?{request.GET.urlencode()}" if request.GET.get("code") else ""
    return redirect(reverse("credentials_verify") + query, permanent=True)


@require_safe
def agreement_verify_code(request: HttpRequest, code: str) -> HttpResponse:
    """The old address of one agreement's check (on agreements printed before /verify/ took them over)."""
    return redirect("credentials_verify_code", code=normalize_code(code) or code, permanent=True)
