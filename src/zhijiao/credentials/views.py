"""Public pages of the credentials kernel: /verify/ and /verify/<code> (whatever the kernel or a registered product
finds behind a code, see ``verification``) and the published keys under /.well-known/.

The holders' and issuers' pages over the kernel's selectors and services are the service hall's (``zhijiao.hall``).
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from zhijiao.core.actors import signed_in
from zhijiao.core.ratelimit import RateLimited, rate_limit

from . import forms, results, selectors, vc
from .codes import normalize_code

# How long the drawn page around a verification result is kept (validity is checked on every request regardless).
RENDER_CACHE_SECONDS = 300


def _shared(request: HttpRequest) -> bool:
    """Whether the page is the same for every visitor: nobody signed in, no one-off messages pending.

    Without a session cookie nobody is signed in: ``request.user`` is then not even looked at (on the hottest public
    page, making the anonymous user costs more than the rest of this check)."""
    if "messages" in request.COOKIES:
        return False
    return settings.SESSION_COOKIE_NAME not in request.COOKIES or not signed_in(getattr(request, "user", None))


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
    limit, window = selectors.verify_rate()
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
    verification = selectors.verification_of(code=code)
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
