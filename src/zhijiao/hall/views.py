"""The service hall's own pages: the landing page, 我的办事 (everything a person has in the hall), the holder's
certificates and the issuers' list of what they issued (every credential of every sub-app, from the credentials
kernel), and the officers' desk. Each list and each write comes from the sub-app that owns it (exams, records,
abroad) or the kernel, through their selectors and services; what a service refuses is shown by
``core.middleware.PageErrorMiddleware`` or next to the form's fields."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from zhijiao.accounts.selectors import real_name_of
from zhijiao.core.actors import Actor, Origin
from zhijiao.core.errors import DomainError
from zhijiao.core.pagecache import public_page
from zhijiao.core.views import service_errors
from zhijiao.credentials import selectors as credential_selectors
from zhijiao.credentials import services as credential_services
from zhijiao.portal.selectors import platform_page

from .abroad.selectors import applications_of
from .exams import selectors as exam_selectors
from .exams import services as exam_services
from .forms import NoticeForm, RevokeForm, ScoreImportForm, SittingForm, SpecialListImportForm
from .records.selectors import reports_of


@require_safe
@public_page
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "hall/index.html", {"page": platform_page(key="hall")})


@never_cache
@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    """我的办事: everything a person has in the hall, zone by zone: released scores and certificates, verification
    reports, study-abroad applications. Each list comes from its own app's selector and access rules."""
    user = request.user
    return render(
        request,
        "hall/mine.html",
        {
            "scores": list(exam_selectors.scores_of(user)[:20]),
            "credentials": list(credential_selectors.credentials_of(user)[:20]),
            "reports": list(reports_of(user)[:20]),
            "applications": list(applications_of(user)[:20]),
            "has_identity": real_name_of(user) is not None,
        },
    )


# --- Certificates: the holder's, and the issuers' -------------------------------------------------------------


@require_safe
@login_required
def certificates(request: HttpRequest) -> HttpResponse:
    """我的证书: every credential of the holder with PDF and JSON downloads."""
    return render(
        request, "hall/certificates.html", {"credentials": list(credential_selectors.credentials_of(request.user))}
    )


@require_safe
@login_required
def certificate_pdf(request: HttpRequest, credential_id: int) -> HttpResponse:
    credential = credential_selectors.access_credential(actor=request.user, credential_id=credential_id)
    response = HttpResponse(credential_selectors.credential_pdf(credential), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="credential-{credential.pk}.pdf"'
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_safe
@login_required
def certificate_json(request: HttpRequest, credential_id: int) -> HttpResponse:
    credential = credential_selectors.access_credential(actor=request.user, credential_id=credential_id)
    body = json.dumps(credential_selectors.credential_json(credential), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="credential-{credential.pk}.json"'
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_safe
@login_required
def issued(request: HttpRequest) -> HttpResponse:
    """Credentials the user's office issued, newest first, with a revoke form each."""
    issued_qs = credential_selectors.issued_by(request.user)
    if not issued_qs.exists():
        raise PermissionDenied
    return render(
        request,
        "hall/issued.html",
        {"credentials": list(issued_qs.order_by("-issued_on", "-id")[:100]), "form": RevokeForm()},
    )


@require_POST
@login_required
def credential_revoke(request: HttpRequest, credential_id: int) -> HttpResponse:
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写撤销原因"))
        return redirect("hall:issued")
    credential_services.credential_revoke(
        actor=request.user,
        credential_id=credential_id,
        reason=form.cleaned_data["reason"],
        origin=Origin.of(request),
    )
    messages.success(request, _("证书已撤销"))
    return redirect("hall:issued")


# --- Officers' desk ------------------------------------------------------------------------------------------


def _office_action(action: str, data: dict[str, Any], *, actor: Actor, origin: Origin) -> str:
    """Run one of the desk's forms through its service; the message to show when it went through."""
    if action == "scores":
        upload = data["file"]
        done = exam_services.scores_import(
            actor=actor, sitting=data["sitting"], data=upload.read(), filename=upload.name, origin=origin
        )
        return _("已导入 %(n)d 条成绩（%(s).1f 秒）") % {"n": done.created, "s": done.seconds}
    if action == "sitting":
        exam_services.sitting_create(actor=actor, origin=origin, **data)
        return _("考试场次已创建")
    if action == "special":
        upload = data.pop("file")
        made = exam_services.special_list_import(
            actor=actor, data=upload.read(), filename=upload.name, origin=origin, **data
        )
        return _("名单已导入：%(n)d 人") % {"n": made.candidates.count()}
    notice = exam_services.notice_create(
        actor=actor,
        title=data["title"],
        kind=data["kind"],
        year=data["year"],
        body=data["body"],
        province_code=data["province"] or None,
        publish=data["publish"],
        origin=origin,
    )
    if data.get("attachment"):
        exam_services.attachment_add(actor=actor, notice=notice, upload=data["attachment"], origin=origin)
    return _("公告已保存")


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def office(request: HttpRequest) -> HttpResponse:
    """Officers import scores and candidate lists, open sittings and publish notices; each import is all or none."""
    if not exam_selectors.is_hall_officer(request.user):
        raise PermissionDenied
    action = request.POST.get("action", "")
    forms: dict[str, Any] = {
        "scores": ScoreImportForm(request.POST if action == "scores" else None, request.FILES or None),
        "sitting": SittingForm(request.POST if action == "sitting" else None),
        "special": SpecialListImportForm(request.POST if action == "special" else None, request.FILES or None),
        "notice": NoticeForm(request.POST if action == "notice" else None, request.FILES or None),
    }
    context: dict[str, Any] = {"forms": forms, "report": None, "action": action}
    status = 200
    form = forms.get(action)
    if request.method == "POST" and form is not None:
        status = 422
        if form.is_valid():
            with service_errors(form) as outcome:
                try:
                    message = _office_action(action, form.cleaned_data, actor=request.user, origin=Origin.of(request))
                except exam_services.ImportRejected as exc:
                    # Every bad row goes in the report table; the form says only how many there were.
                    context["report"] = [error.as_dict() for error in exc.errors[:500]]
                    raise DomainError(exc.code, exc.message, status=exc.status) from exc
            if outcome.ok:
                messages.success(request, message)
                return redirect("hall:office")
    context["sittings"] = exam_selectors.sittings_public()
    return render(request, "hall/office.html", context, status=status)
