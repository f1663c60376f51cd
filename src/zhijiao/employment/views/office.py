"""The university employment office: status by major, confirming graduates, the graduate list import, the
destination report."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from zhijiao.core.actors import MemberRequest, Origin
from zhijiao.core.params import parse_int, query_int
from zhijiao.core.views import service_errors
from zhijiao.orgs.models import Organization

from .. import forms, selectors, services
from ..models import Graduate


def _university_for(request: HttpRequest) -> Organization:
    universities = selectors.staff_universities(request.user)
    chosen = request.GET.get("university") or request.POST.get("university")
    if chosen:
        chosen_id = parse_int(chosen)
        university = universities.filter(pk=chosen_id).first() if chosen_id else None
    else:
        university = universities.first()
    if university is None:
        raise Http404
    return university


@require_safe
@login_required
def office(request: MemberRequest) -> HttpResponse:
    university = _university_for(request)
    year_value = query_int(request, "year", maximum=9999)
    rows = selectors.office_status_by_major(university=university, year=year_value)
    pending = list(selectors.graduates_of_university(university=university, status=Graduate.Status.PENDING)[:50])
    chart = {
        "majors": {
            "kind": "line",
            "labels": [row.major for row in rows[:15]],
            "series": [
                {"name": str(_("已登记")), "values": [row.registered for row in rows[:15]]},
                {"name": str(_("已投递")), "values": [row.applied for row in rows[:15]]},
                {"name": str(_("已获录用")), "values": [row.offered for row in rows[:15]]},
                {"name": str(_("已签约")), "values": [row.signed for row in rows[:15]]},
            ],
        }
    }
    totals = {
        "registered": sum(r.registered for r in rows),
        "applied": sum(r.applied for r in rows),
        "offered": sum(r.offered for r in rows),
        "signed": sum(r.signed for r in rows),
    }
    return render(
        request,
        "employment/office.html",
        {
            "university": university,
            "rows": rows,
            "totals": totals,
            "pending": pending,
            "chart_data": chart,
            "year": year_value,
            "office_jobs": list(selectors.office_jobs_of(university=university)[:30]),
            "review_count": selectors.employer_review_queue().count(),
        },
    )


@require_POST
@login_required
def office_confirm(request: MemberRequest, graduate_id: int) -> HttpResponse:
    graduate = selectors.access_graduate_for_staff(actor=request.user, graduate_id=graduate_id)
    services.graduate_confirm(
        actor=request.user, graduate=graduate, approve=request.POST.get("action") != "reject", origin=Origin.of(request)
    )
    messages.success(request, _("已处理：%(name)s") % {"name": graduate.real_name})
    return redirect(reverse("employment:office") + f"?university={graduate.university_id}")


@login_required
def office_roster(request: MemberRequest) -> HttpResponse:
    """The employment office imports its list of graduates; matching registrations are confirmed."""
    university = _university_for(request)
    form = forms.RosterForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with service_errors(form):
            report = services.graduate_roster_import(
                actor=request.user,
                university=university,
                data=upload.read(),
                filename=upload.name,
                origin=Origin.of(request),
            )
    return render(
        request,
        "employment/office_roster.html",
        {"form": form, "report": report, "university": university},
        status=422 if form.errors else 200,
    )


@require_safe
@login_required
def office_roster_template(request: MemberRequest) -> HttpResponse:
    _university_for(request)
    body = "学号,姓名,毕业年份,专业,学科门类,学历\r\n2022011234,张三,2026,计算机科学与技术,工学,本科\r\n"
    response = HttpResponse("\ufeff" + body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="roster-template.csv"'
    return response


@require_safe
@login_required
def office_destinations(request: MemberRequest) -> HttpResponse:
    """就业去向 as an Excel workbook."""
    from openpyxl import Workbook

    university = _university_for(request)
    rows = selectors.destination_report(university=university, year=query_int(request, "year", maximum=9999))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("就业去向"))[:31]
    sheet.append(
        [
            str(h)
            for h in (
                _("姓名"),
                _("学号"),
                _("专业"),
                _("学历"),
                _("毕业年份"),
                _("去向"),
                _("单位"),
                _("岗位"),
                _("地点"),
                _("协议编号"),
            )
        ]
    )
    for row in rows:
        g = row.graduate
        sheet.append(
            [
                g.real_name,
                g.student_number,
                g.major,
                g.get_education_display(),
                g.graduation_year,
                row.destination,
                row.employer,
                row.job,
                row.city,
                row.agreement_number,
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="destinations-{university.pk}.xlsx"'
    return response
