"""Pages of the credentials app: the public verification page and published keys, the holder's records,
reports and certificates (/hall/degrees/), the registrars' import page and the issuers' revocation page.

Thin: forms parse, selectors read and check access, services write.
"""

from __future__ import annotations

import json
import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from zhijiao.core.api import RateLimited, parse_rate, rate_limit
from zhijiao.core.errors import DomainError, NotFound
from zhijiao.core.views import form_errors, not_found_as_404

from . import forms, results, selectors, services, vc
from .codes import normalize_code
from .pdf import credential_json, credential_pdf

# How long the drawn page around a verification result is kept (validity is checked on every request regardless).
RENDER_CACHE_SECONDS = 300


def _verify_rate() -> tuple[int, int]:
    # Public verification is cheap to answer but must not be a free oracle (settings.VERIFY_RATE_LIMIT).
    return parse_rate(settings.VERIFY_RATE_LIMIT)


# --- Public: verification and keys ---------------------------------------------------------------------------


def _signed_in(request: HttpRequest) -> bool:
    return (
        settings.SESSION_COOKIE_NAME in request.COOKIES
        and getattr(request, "user", None) is not None
        and request.user.is_authenticated
    )


def _shared(request: HttpRequest) -> bool:
    """Whether the page is the same for every visitor: nobody signed in, no one-off messages pending."""
    return not _signed_in(request) and "messages" not in request.COOKIES


def _public(response: HttpResponse, seconds: int = 60, request: HttpRequest | None = None) -> HttpResponse:
    """Same-for-everyone answers a CDN may keep briefly (a revocation shows within a minute).

    A page drawn for a signed-in visitor (their name in the header) is never shared."""
    if request is not None and not _shared(request):
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, public=True, max_age=seconds)
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


def _rate_limited(request: HttpRequest) -> HttpResponse | None:
    limit, window = _verify_rate()
    try:
        rate_limit(request, "credentials.verify", limit, window)
    except RateLimited as exc:
        if _shared(request):
            # A flood must not cost a full page drawing per refused request: the page is drawn once per language.
            page = _kept(
                (get_language(), "limited"),
                lambda: _drawn_at_mark(request, "credentials/verify_limited.html", {"retry_after": _RETRY_MARK}),
            )
            page = page.replace(str(_RETRY_MARK), str(exc.retry_after)).replace(_CODE_MARK, "")
            response = HttpResponse(page, status=429)
        else:
            context = {"retry_after": exc.retry_after}
            response = render(request, "credentials/verify_limited.html", context, status=429)
        response["Retry-After"] = str(exc.retry_after)
        patch_cache_control(response, no_store=True)
        return response
    return None


# The page around a verification result is the same for every anonymous visitor in a language: it is drawn once
# per process (with placeholders for the result and the code in the language-switch link) and kept a while.
_CODE_MARK = "ZJVERIFYCODEMARK"
_RESULT_MARK = "<!--zj-verify-result-->"
_RETRY_MARK = 987654321
_shells: dict[tuple[str, str], tuple[float, str]] = {}


def _kept(key: tuple[str, str], draw: Any) -> str:
    now = time.monotonic()
    hit = _shells.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    html = str(draw())
    _shells[key] = (now + RENDER_CACHE_SECONDS, html)
    return html


def _drawn_at_mark(request: HttpRequest, template: str, context: dict[str, Any]) -> str:
    """``template`` drawn as if asked at /verify/<code mark> (the mark is replaced by the real code later)."""
    saved = request.path, request.path_info, request.META.get("QUERY_STRING", "")
    request.path = request.path_info = reverse("credentials_verify_code", args=[_CODE_MARK])
    request.META["QUERY_STRING"] = ""
    try:
        return render_to_string(template, context, request=request)
    finally:
        request.path, request.path_info, request.META["QUERY_STRING"] = saved


def _page(request: HttpRequest, *, code: str, result: str, status: int) -> HttpResponse:
    """The verification page for ``code`` ("" for "not found", drawn as if asked at /verify/, so every such
    page is byte-identical). Whether a code is valid was asked of the database just before, on every request."""
    if not _shared(request):
        context = {"result_html": mark_safe(result), "form": forms.VerifyForm()}  # noqa: S308 - escaped in results
        return _public(render(request, "credentials/verify.html", context, status=status), request=request)

    def draw_shell() -> str:
        shell_context = {"result_html": mark_safe(_RESULT_MARK), "form": forms.VerifyForm()}  # noqa: S308
        return _drawn_at_mark(request, "credentials/verify.html", shell_context)

    shell = _kept((get_language(), "shell"), draw_shell)
    body = shell.replace(_RESULT_MARK, result, 1).replace(_CODE_MARK, code)
    return _public(HttpResponse(body, status=status), request=request)


@require_safe
def verify_form(request: HttpRequest) -> HttpResponse:
    """/verify/: type a code (a GET form, so it works without JavaScript and keeps no session)."""
    form = forms.VerifyForm(request.GET or None)
    if form.is_valid():
        code = normalize_code(form.cleaned_data["code"])
        # A code that cannot exist still goes to its page, which answers like any unknown code.
        target = code or "".join(ch for ch in form.cleaned_data["code"].upper() if ch.isalnum())[:32] or "0"
        return redirect("credentials_verify_code", code=target)
    return _public(render(request, "credentials/verify.html", {"form": form}), request=request)


@require_safe
def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    """/verify/<code>: the masked record or certificate behind a code; unknown, expired and revoked look alike."""
    limited = _rate_limited(request)
    if limited is not None:
        return limited
    verification = selectors.credential_for_verification(code=code)
    if verification is None:
        return _page(request, code="", result=results.not_found_html(), status=404)
    if code != verification.code:
        return redirect("credentials_verify_code", code=verification.code)
    return _page(request, code=verification.code, result=results.result_html(verification), status=200)


@require_safe
def jwks(request: HttpRequest) -> HttpResponse:
    """The platform's public signing key as a JWK Set."""
    return _public(JsonResponse(vc.jwks()), 3600)


@require_safe
def did_document(request: HttpRequest) -> HttpResponse:
    """The platform's did:web document."""
    response = JsonResponse(vc.did_document(), content_type="application/did+json")
    return _public(response, 3600)


# --- Holders: records and reports ---------------------------------------------------------------------------


@require_safe
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """学历学位: the holder's records (when their real name and ID number match) and their reports."""
    records = selectors.records_of(request.user)
    record_list = list(records) if records is not None else []
    context = {
        "has_identity": records is not None,
        "records": record_list,
        "reports": list(selectors.reports_of(request.user)[:50]),
        "report_form": forms.ReportForm(),
        "registrar": selectors.registrar_universities(request.user).exists(),
        "issuer": selectors.issued_by(request.user).exists(),
    }
    return render(request, "credentials/index.html", context)


@require_POST
@login_required
@not_found_as_404
def report_create(request: HttpRequest) -> HttpResponse:
    form = forms.ReportForm(request.POST)
    if form.is_valid():
        try:
            report = services.report_create(
                actor=request.user,
                record_id=form.cleaned_data["record"],
                days=form.cleaned_data["days"],
                request=request,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("在线验证报告已生成"))
            return redirect("credentials:report_detail", report_id=report.pk)
    else:
        messages.error(request, _("请选择有效期"))
    return redirect("credentials:index")


@require_safe
@login_required
@not_found_as_404
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.access_report(actor=request.user, report_id=report_id)
    context = {
        "report": report,
        "credential": report.credential,
        "verify_url": selectors.verify_url(report.code),
        "extend_form": forms.ExtendForm(),
    }
    return render(request, "credentials/report_detail.html", context)


@require_POST
@login_required
@not_found_as_404
def report_extend(request: HttpRequest, report_id: int) -> HttpResponse:
    form = forms.ExtendForm(request.POST)
    if form.is_valid():
        try:
            services.report_extend(
                actor=request.user, report_id=report_id, days=form.cleaned_data["days"], request=request
            )
        except NotFound:
            raise
        except (DomainError, ValidationError) as exc:
            messages.error(request, str(getattr(exc, "message", "")) or " ".join(getattr(exc, "messages", [])))
        else:
            messages.success(request, _("有效期已延长"))
    return redirect("credentials:report_detail", report_id=report_id)


@require_POST
@login_required
@not_found_as_404
def report_revoke(request: HttpRequest, report_id: int) -> HttpResponse:
    try:
        services.report_revoke(actor=request.user, report_id=report_id, request=request)
    except NotFound:
        raise
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("验证报告已撤销，验证码即时失效"))
    return redirect("credentials:report_detail", report_id=report_id)


# --- Holders: certificates ----------------------------------------------------------------------------------


@require_safe
@login_required
def certificates(request: HttpRequest) -> HttpResponse:
    """我的证书: every credential of the holder with PDF and JSON downloads."""
    return render(
        request, "credentials/certificates.html", {"credentials": list(selectors.credentials_of(request.user))}
    )


@require_safe
@login_required
@not_found_as_404
def certificate_pdf(request: HttpRequest, credential_id: int) -> HttpResponse:
    credential = selectors.access_credential(actor=request.user, credential_id=credential_id)
    response = HttpResponse(credential_pdf(credential), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="credential-{credential.pk}.pdf"'
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_safe
@login_required
@not_found_as_404
def certificate_json(request: HttpRequest, credential_id: int) -> HttpResponse:
    credential = selectors.access_credential(actor=request.user, credential_id=credential_id)
    body = json.dumps(credential_json(credential), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="credential-{credential.pk}.json"'
    patch_cache_control(response, private=True, no_store=True)
    return response


# --- Registrars: import ---------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def records_import(request: HttpRequest) -> HttpResponse:
    """A registrar uploads the university's records; a file with any bad row changes nothing."""
    universities = selectors.registrar_universities(request.user)
    if not universities.exists():
        raise PermissionDenied(_("只有院校的学籍学历管理人员可以导入记录"))
    report = None
    form = forms.ImportForm(request.POST or None, request.FILES or None, universities=universities)
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = services.records_import(
                actor=request.user,
                university_id=form.cleaned_data["university"].pk,
                data=upload.read(),
                filename=upload.name or "",
                request=request,
            )
        except ValidationError as exc:
            form_errors(form, exc)
            status = 422
        except DomainError as exc:
            form.add_error(None, str(exc.message))
            status = 409
        else:
            if report.ok:
                messages.success(request, _("已导入 %(n)d 条记录") % {"n": report.created})
            else:
                status = 422
    elif request.method == "POST":
        status = 422
    return render(request, "credentials/import.html", {"form": form, "report": report}, status=status)


# --- Issuers: revocation ---------------------------------------------------------------------------------------


@require_safe
@login_required
def issued(request: HttpRequest) -> HttpResponse:
    """Credentials the user's office issued, newest first, with a revoke form each."""
    issued_qs = selectors.issued_by(request.user)
    if not issued_qs.exists():
        raise PermissionDenied
    return render(
        request,
        "credentials/issued.html",
        {"credentials": list(issued_qs.order_by("-issued_on", "-id")[:100]), "form": forms.RevokeForm()},
    )


@require_POST
@login_required
@not_found_as_404
def credential_revoke(request: HttpRequest, credential_id: int) -> HttpResponse:
    form = forms.RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写撤销原因"))
        return redirect("credentials:issued")
    try:
        services.credential_revoke(
            actor=request.user, credential_id=credential_id, reason=form.cleaned_data["reason"], request=request
        )
    except NotFound:
        raise
    except (DomainError, ValidationError) as exc:
        messages.error(request, str(getattr(exc, "message", "")) or " ".join(getattr(exc, "messages", [])))
    else:
        messages.success(request, _("证书已撤销"))
    return redirect(reverse("credentials:issued"))
