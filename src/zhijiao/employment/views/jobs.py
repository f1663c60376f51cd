"""Job pages: the list and search, a job's page (with its schema.org JobPosting), and for those who manage jobs:
writing, editing, publishing or closing, sharing a campus job, the applications pipeline."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from zhijiao.core.actors import MemberRequest, signed_in
from zhijiao.core.errors import NotFound
from zhijiao.core.params import page_number, parse_int
from zhijiao.core.views import service_errors
from zhijiao.orgs.models import Organization

from .. import forms, selectors, services
from ..models import EDUCATION_CREDENTIAL, Application, Education, Job

PER_PAGE = 20


# The search filters as their form labels them: a refused filter is named the way the visitor sees it.
FILTER_LABELS = {
    "q": gettext_lazy("关键词"),
    "region": gettext_lazy("工作地点"),
    "industry": gettext_lazy("行业"),
    "education": gettext_lazy("我的学历"),
    "major": gettext_lazy("专业门类"),
    "salary": gettext_lazy("月薪不低于"),
    "employment_type": gettext_lazy("工作性质"),
    "posted": gettext_lazy("发布时间"),
    "sort": gettext_lazy("排序"),
}


def _job_query_context(request: HttpRequest) -> dict[str, Any]:
    from ..models import Discipline, Education, EmploymentType, Industry

    # The place is chosen by name (北京, 深圳 南山); the query then carries its code as before.
    region_form = forms.RegionFilterForm(request.GET, actor=request.user)
    params_in = request.GET.copy()
    region = region_form.cleaned_data["region"] if region_form.is_valid() else None
    params_in["region"] = region.code if region else ""
    query, errors = selectors.clean_job_query(params_in)
    page = page_number(request.GET.get("page"), maximum=50)
    results = selectors.job_search(actor=request.user, query=query, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    params = query.params()
    last_page = max(1, min((results.total + PER_PAGE - 1) // PER_PAGE, 50))

    def url(**changes: Any) -> str:
        merged = {**params, **changes}
        return "?" + urlencode({k: v for k, v in merged.items() if v})

    return {
        "query": query,
        "errors": {FILTER_LABELS.get(name, name): texts for name, texts in errors.items()},
        "results": results,
        "page_number": page,
        "last_page": last_page,
        "prev_url": url(page=page - 1) if page > 1 else "",
        "next_url": url(page=page + 1) if page < last_page else "",
        "sorts": [
            {
                "key": key,
                "label": label,
                "url": url(sort=None if key == "relevance" else key, page=None),
                "current": key == query.sort,
            }
            for key, label in (("relevance", _("相关度")), ("newest", _("最新")), ("salary", _("薪资最高")))
        ],
        "region_form": region_form,
        "choices": {
            "industry": Industry.choices,
            "education": [c for c in Education.choices if c[0] != Education.ANY],
            "major": Discipline.choices,
            "salary": [(str(step), f"{step:,}") for step in selectors.SALARY_STEPS],
            "employment_type": EmploymentType.choices,
            "posted": [(str(days), _("%(n)d 天内") % {"n": days}) for days in selectors.POSTED_WITHIN],
        },
        "query_string": urlencode(params),
        "saved": list(selectors.saved_searches_of(user=request.user)[:20]),
    }


@require_safe
def job_list(request: HttpRequest) -> HttpResponse:
    return render(request, "employment/job_list.html", _job_query_context(request))


def job_jsonld(job: Job, request: HttpRequest) -> dict[str, Any]:
    """schema.org JobPosting of a job page."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": job.title,
        "description": job.description,
        "datePosted": job.date_posted.isoformat(),
        "validThrough": f"{job.valid_through.isoformat()}T23:59:59+08:00",
        "employmentType": job.employment_type,
        "industry": job.get_industry_display(),
        "occupationalCategory": job.get_occupation_display(),
        "totalJobOpenings": job.headcount,
        "identifier": {"@type": "PropertyValue", "name": "zhijiao", "value": str(job.pk)},
        "hiringOrganization": {
            "@type": "Organization",
            "name": job.employer.name,
            **({"identifier": job.employer.uscc} if job.employer.uscc else {}),
        },
        "jobLocation": [
            {
                "@type": "Place",
                "address": {
                    "@type": "PostalAddress",
                    "addressRegion": location.region.code,
                    "addressLocality": location.region.name,
                    "addressCountry": "CN",
                },
            }
            for location in job.locations.all()
        ],
        "baseSalary": {
            "@type": "MonetaryAmount",
            "currency": "CNY",
            "value": {
                "@type": "QuantitativeValue",
                "minValue": job.salary_min,
                "maxValue": job.salary_max,
                "unitText": "MONTH",
            },
        },
        "url": request.build_absolute_uri(job.get_absolute_url()),
    }
    credential = EDUCATION_CREDENTIAL.get(Education(job.education))
    if credential:
        data["educationRequirements"] = {"@type": "EducationalOccupationalCredential", "credentialCategory": credential}
    return data


@require_safe
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = selectors.access_job(actor=request.user, job_id=job_id)
    try:
        from zhijiao.analytics.services import mark_viewed

        mark_viewed(request, job)
    except ImportError:  # analytics is optional for this page
        pass
    return _job_page(request, job)


def _job_page(request: HttpRequest, job: Job, *, share_form: forms.ShareForm | None = None) -> HttpResponse:
    graduate_application = None
    apply_form = None
    if signed_in(request.user):
        graduate_application = Application.objects.filter(graduate_id=request.user.pk, job=job).first()
        if graduate_application is None and job.is_open():
            apply_form = forms.ApplyForm(graduate=request.user)
    if share_form is None and job.owner_university_id:
        share_form = forms.ShareForm(actor=request.user)
    can_manage = selectors.can_manage_job(request.user, job)
    return render(
        request,
        "employment/job_detail.html",
        {
            "job": job,
            "jsonld": job_jsonld(job, request),
            "can_manage": can_manage,
            "shares": selectors.job_shares_of(actor=request.user, job=job, can_manage=can_manage),
            "application": graduate_application,
            "apply_form": apply_form,
            "sources": list(job.sources.all()),
            "share_form": share_form,
        },
        status=422 if share_form is not None and share_form.errors else 200,
    )


def _employer_for(request: HttpRequest) -> Organization:
    employer_id = request.GET.get("employer") or request.POST.get("employer")
    employers = selectors.recruiter_employers(request.user)
    if employer_id:
        chosen = parse_int(employer_id)
        employer = employers.filter(pk=chosen).first() if chosen else None
    else:
        employer = employers.first()
    if employer is None:
        raise NotFound
    return employer


@require_http_methods(["GET", "POST"])
@login_required
def job_create(request: MemberRequest) -> HttpResponse:
    employer = _employer_for(request)
    form = forms.JobForm(
        request.POST or None,
        initial={"valid_through": timezone.localdate() + timedelta(days=60)},
        actor=request.user,
    )
    if request.method == "POST" and form.is_valid():
        publish = "publish" in request.POST
        if publish and not selectors.employer_can_publish(employer):
            messages.warning(request, _("单位资质通过审核后才能发布岗位，已保存为草稿"))
            publish = False
        with service_errors(form) as outcome:
            job = services.job_create(actor=request.user, employer=employer, data=form.job_data(), publish=publish)
        if outcome.ok:
            messages.success(request, _("岗位已保存"))
            return redirect(job)
    return render(
        request,
        "employment/job_form.html",
        {"form": form, "employer": employer, "job": None},
        status=422 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def job_edit(request: MemberRequest, job_id: int) -> HttpResponse:
    job = selectors.access_job_for_management(actor=request.user, job_id=job_id)
    initial = {
        "title": job.title,
        "description": job.description,
        "region_codes": list(job.locations.values_list("region_id", flat=True)),
        "industry": job.industry,
        "occupation": job.occupation,
        "education": job.education,
        "disciplines": list(job.majors.values_list("discipline", flat=True)),
        "salary_min": job.salary_min,
        "salary_max": job.salary_max,
        "headcount": job.headcount,
        "employment_type": job.employment_type,
        "valid_through": job.valid_through,
    }
    form = forms.JobForm(request.POST or None, initial=initial, actor=request.user)
    if request.method == "POST" and form.is_valid():
        with service_errors(form) as outcome:
            services.job_update(actor=request.user, job=job, data=form.job_data())
        if outcome.ok:
            messages.success(request, _("岗位已更新"))
            return redirect(job)
    return render(
        request,
        "employment/job_form.html",
        {"form": form, "employer": job.employer, "job": job},
        status=422 if form.errors else 200,
    )


@require_POST
@login_required
def job_publish(request: MemberRequest, job_id: int) -> HttpResponse:
    job = selectors.access_job_for_management(actor=request.user, job_id=job_id)
    if request.POST.get("action") == "close":
        services.job_close(actor=request.user, job=job)
        messages.success(request, _("岗位已关闭"))
    else:
        services.job_publish(actor=request.user, job=job)
        messages.success(request, _("岗位已发布"))
    return redirect(job)


@require_POST
@login_required
def job_share(request: MemberRequest, job_id: int) -> HttpResponse:
    job = selectors.access_job_for_management(actor=request.user, job_id=job_id)
    form = forms.ShareForm(request.POST, actor=request.user)
    if not form.is_valid():
        return _job_page(request, job, share_form=form)
    try:
        services.job_share(
            actor=request.user,
            job=job,
            target_organization=form.cleaned_data["university"],
            target_region=form.cleaned_data["region_code"],
        )
    except PermissionDenied as exc:  # a recruiter managing a campus job may not share it: said here, not a 403
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已共享"))
    return redirect(job)


@require_safe
@login_required
def job_pipeline(request: MemberRequest, job_id: int) -> HttpResponse:
    job = selectors.access_job_for_management(actor=request.user, job_id=job_id)
    status = request.GET.get("status") or None
    if status not in Application.Status.values:
        status = None
    paginator = Paginator(selectors.applications_for_job(actor=request.user, job=job, status=status), PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    counts = dict(Application.objects.filter(job=job).values_list("status").annotate(n=Count("id")).order_by())
    return render(
        request,
        "employment/job_pipeline.html",
        {
            "job": job,
            "page": page,
            "status": status,
            "statuses": [(value, label, counts.get(value, 0)) for value, label in Application.Status.choices],
        },
    )
