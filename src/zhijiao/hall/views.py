"""The service hall's own pages: the landing page, 我的办事 (everything a person has in the hall) and the officers'
desk. Each list and each write comes from the sub-app that owns it (exams, records, abroad) and the credentials
kernel, through their selectors and services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from zhijiao.core.errors import DomainError
from zhijiao.core.pagecache import public_page
from zhijiao.credentials.selectors import credentials_of, reports_of
from zhijiao.portal.selectors import platform_page

from .abroad.selectors import applications_of
from .exams import selectors as exam_selectors
from .exams import services as exam_services
from .exams.forms import NoticeForm, ScoreImportForm, SittingForm, SpecialListImportForm


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
            "credentials": list(credentials_of(user)[:20]),
            "reports": list(reports_of(user)[:20]),
            "applications": list(applications_of(user)[:20]),
            "has_identity": getattr(user, "identity", None) is not None,
        },
    )


# --- Officers' desk ------------------------------------------------------------------------------------------


def _report(exc: exam_services.ImportRejected) -> list[dict[str, Any]]:
    return [error.as_dict() for error in exc.errors[:500]]


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
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "scores":
                    upload = data["file"]
                    done = exam_services.scores_import(
                        actor=request.user,
                        sitting=data["sitting"],
                        data=upload.read(),
                        filename=upload.name,
                        request=request,
                    )
                    messages.success(
                        request, _("已导入 %(n)d 条成绩（%(s).1f 秒）") % {"n": done.created, "s": done.seconds}
                    )
                elif action == "sitting":
                    exam_services.sitting_create(actor=request.user, request=request, **data)
                    messages.success(request, _("考试场次已创建"))
                elif action == "special":
                    upload = data.pop("file")
                    made = exam_services.special_list_import(
                        actor=request.user, data=upload.read(), filename=upload.name, request=request, **data
                    )
                    messages.success(request, _("名单已导入：%(n)d 人") % {"n": made.candidates.count()})
                else:
                    notice = exam_services.notice_create(
                        actor=request.user,
                        title=data["title"],
                        kind=data["kind"],
                        year=data["year"],
                        body=data["body"],
                        province_code=data["province"] or None,
                        publish=data["publish"],
                        request=request,
                    )
                    if data.get("attachment"):
                        exam_services.attachment_add(
                            actor=request.user, notice=notice, upload=data["attachment"], request=request
                        )
                    messages.success(request, _("公告已保存"))
                return redirect("hall:office")
            except exam_services.ImportRejected as exc:
                context["report"] = _report(exc)
                form.add_error(None, exc.message)
                status = 422
            except ValidationError as exc:
                for name, texts in getattr(exc, "message_dict", {None: exc.messages}).items():
                    for text in texts:
                        form.add_error(name if name in form.fields else None, text)
                status = 422
            except DomainError as exc:
                for name, texts in exc.fields.items():
                    for text in texts:
                        form.add_error(name if name in form.fields else None, text)
                if not exc.fields:
                    form.add_error(None, exc.message)
                status = exc.status
        else:
            status = 422
    context["sittings"] = exam_selectors.sittings_public()
    return render(request, "hall/office.html", context, status=status)
