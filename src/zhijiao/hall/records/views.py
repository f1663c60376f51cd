"""Pages of the academic records under /hall/degrees/: the holder's records and verification reports, and the
registrars' import page. Thin: forms parse, selectors read and check access, services write; what a service
refuses is shown by ``core.middleware.PageErrorMiddleware`` (or next to the form's fields)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from zhijiao.core.actors import Origin
from zhijiao.core.views import service_errors
from zhijiao.credentials.selectors import issued_by, verify_url

from . import forms, selectors, services


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
        "issuer": issued_by(request.user).exists(),
    }
    return render(request, "records/index.html", context)


@require_POST
@login_required
def report_create(request: HttpRequest) -> HttpResponse:
    form = forms.ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择有效期"))
        return redirect("records:index")
    report = services.report_create(
        actor=request.user,
        record_id=form.cleaned_data["record"],
        days=form.cleaned_data["days"],
        origin=Origin.of(request),
    )
    messages.success(request, _("在线验证报告已生成"))
    return redirect("records:report_detail", report_id=report.pk)


@require_safe
@login_required
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.access_report(actor=request.user, report_id=report_id)
    context = {
        "report": report,
        "credential": report.credential,
        "verify_url": verify_url(report.code),
        "extend_form": forms.ExtendForm(),
    }
    return render(request, "records/report_detail.html", context)


@require_POST
@login_required
def report_extend(request: HttpRequest, report_id: int) -> HttpResponse:
    form = forms.ExtendForm(request.POST)
    if form.is_valid():
        services.report_extend(
            actor=request.user, report_id=report_id, days=form.cleaned_data["days"], origin=Origin.of(request)
        )
        messages.success(request, _("有效期已延长"))
    return redirect("records:report_detail", report_id=report_id)


@require_POST
@login_required
def report_revoke(request: HttpRequest, report_id: int) -> HttpResponse:
    services.report_revoke(actor=request.user, report_id=report_id, origin=Origin.of(request))
    messages.success(request, _("验证报告已撤销，验证码即时失效"))
    return redirect("records:report_detail", report_id=report_id)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def records_import(request: HttpRequest) -> HttpResponse:
    """A registrar uploads the university's records; a file with any bad row changes nothing."""
    if not selectors.may_import_records(request.user):
        raise PermissionDenied(_("只有院校的学籍学历管理人员可以导入记录"))
    universities = selectors.registrar_universities(request.user)
    report = None
    form = forms.ImportForm(request.POST or None, request.FILES or None, universities=universities)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            upload = form.cleaned_data["file"]
            with service_errors(form) as outcome:
                report = services.records_import(
                    actor=request.user,
                    university_id=form.cleaned_data["university"].pk,
                    data=upload.read(),
                    filename=upload.name or "",
                    origin=Origin.of(request),
                )
            if outcome.ok and report is not None and report.ok:
                messages.success(request, _("已导入 %(n)d 条记录") % {"n": report.created})
                status = 200
    return render(request, "records/import.html", {"form": form, "report": report}, status=status)
