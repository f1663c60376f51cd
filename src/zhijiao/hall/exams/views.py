"""Pages of the exam services: notices, special-type lists, the score lookup and the score certificates (the hall's
landing page, 我的办事 and the officers' desk are ``zhijiao.hall.views``). Each calls the same services as the API;
what a selector does not find is the 404 page (``core.middleware.PageErrorMiddleware``)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from zhijiao.accounts.models import User
from zhijiao.accounts.selectors import real_name_of
from zhijiao.core.actors import Origin
from zhijiao.core.errors import DomainError
from zhijiao.core.pagecache import public_page
from zhijiao.core.ratelimit import RateLimited
from zhijiao.credentials import selectors as credential_selectors

from . import selectors, services
from .forms import CandidateSearchForm, NoticeFilterForm, ScoreLookupForm
from .models import ScoreRecord

# --- Notices ------------------------------------------------------------------------------------------------------


@require_safe
@public_page
def notices(request: HttpRequest) -> HttpResponse:
    form = NoticeFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {key: value for key, value in form.cleaned_data.items() if value}
    page = Paginator(selectors.notice_list(**filters), 20).get_page(request.GET.get("page"))
    return render(request, "exams/notices.html", {"form": form, "page_obj": page})


@require_safe
def notice_detail(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = selectors.access_notice(actor=request.user, notice_id=notice_id)
    return render(request, "exams/notice_detail.html", {"notice": notice})


@require_safe
def attachment(request: HttpRequest, attachment_id: int) -> HttpResponseBase:
    from zhijiao.core.files import serve_file

    item = selectors.access_attachment(actor=request.user, attachment_id=attachment_id)
    return serve_file(request, item.file, content_type=item.mime_type, filename=item.name, download=True)


# --- Special-type lists --------------------------------------------------------------------------------------


@require_safe
@public_page
def special_lists(request: HttpRequest) -> HttpResponse:
    return render(request, "exams/special_lists.html", {"lists": selectors.special_lists_visible()})


@require_safe
def special_list_detail(request: HttpRequest, list_id: int) -> HttpResponse:
    found = selectors.access_special_list(actor=request.user, list_id=list_id)
    form = CandidateSearchForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {key: value for key, value in form.cleaned_data.items() if value}
    qs = selectors.special_candidates(special_list=found, **filters)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "exams/special_list_detail.html", {"list": found, "form": form, "page_obj": page})


# --- Score lookup ---------------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def scores(request: HttpRequest) -> HttpResponse:
    """The score lookup, mobile first; the result appears only for a full match."""
    form = ScoreLookupForm(request.POST or None, initial={"sitting": request.GET.get("sitting")})
    context: dict[str, Any] = {"form": form, "sittings": selectors.sittings_public(), "now": timezone.now()}
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.score_lookup(
                request=request,
                sitting_id=data["sitting"],
                name=data["name"],
                ticket_number=data["ticket_number"],
                id_number=data["id_number"],
                altcha=request.POST.get("altcha", ""),
            )
        except services.NotReleased as exc:
            context["not_released"] = exc.message
            status = 409
        except RateLimited as exc:
            context["error"] = exc.message
            status = 429
        except DomainError as exc:
            if exc.code in ("captcha_required", "captcha_invalid"):
                context["captcha_error"] = exc.message
            elif exc.fields:
                for name, texts in exc.fields.items():
                    for text in texts:
                        form.add_error(name if name in form.fields else None, text)
            else:
                context["error"] = exc.message
            status = exc.status
        else:
            context["result"] = result
    elif request.method == "POST":
        status = 422
    context["captcha"] = services.captcha_required(request)
    return render(request, "exams/scores.html", context, status=status)


def _certificate_score(request: HttpRequest) -> ScoreRecord:
    score_id = services.score_from_token(request.GET.get("t", ""))
    return selectors.access_score(score_id=score_id)


def _holder(request: HttpRequest, score: ScoreRecord) -> User | None:
    """The signed-in person the certificate is issued to when their real-name identity is the candidate's."""
    holder = real_name_of(request.user)
    return request.user if holder is not None and holder.id_number_index == score.id_number_index else None  # type: ignore[return-value]


@never_cache
@require_safe
def score_certificate_pdf(request: HttpRequest) -> HttpResponse:
    try:
        score = _certificate_score(request)
        credential = services.certificate_issue(
            score=score, holder_user=_holder(request, score), origin=Origin.of(request)
        )
    except DomainError as exc:
        return render(request, "exams/certificate_error.html", {"message": exc.message}, status=exc.status)
    response = HttpResponse(credential_selectors.credential_pdf(credential), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{credential.code}.pdf"'
    return response


@never_cache
@require_safe
def score_certificate_json(request: HttpRequest) -> HttpResponse:
    try:
        score = _certificate_score(request)
        credential = services.certificate_issue(
            score=score, holder_user=_holder(request, score), origin=Origin.of(request)
        )
    except DomainError as exc:
        return HttpResponse(
            json.dumps({"code": exc.code, "message": str(exc.message), "fields": {}}, ensure_ascii=False),
            content_type="application/json",
            status=exc.status,
        )
    response = HttpResponse(
        json.dumps(credential_selectors.credential_json(credential), ensure_ascii=False, indent=2),
        content_type="application/json",
    )
    response["Content-Disposition"] = f'attachment; filename="certificate-{credential.code}.json"'
    return response


@never_cache
@login_required
@require_safe
def my_scores(request: HttpRequest) -> HttpResponse:
    """A signed-in holder's released scores (matched by their real-name identity), with certificate links."""
    rows = [(score, services.score_token(score_id=score.pk)) for score in selectors.scores_of(request.user)]
    has_identity = real_name_of(request.user) is not None
    return render(request, "exams/my_scores.html", {"rows": rows, "has_identity": has_identity})
