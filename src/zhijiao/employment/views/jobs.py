"""The employment platform's pages. Thin: forms parse, selectors read and check access, services write."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from zhijiao.core.errors import DomainError, NotFound
from zhijiao.core.pagecache import public_page
from zhijiao.core.views import form_errors
from zhijiao.orgs.models import Organization, Region
from zhijiao.orgs.selectors import is_platform_admin
from zhijiao.portal.selectors import platform_page

from .. import forms, selectors, services
from ..models import (
    EDUCATION_CREDENTIAL,
    Agreement,
    Application,
    Education,
    EmployerProfile,
    Graduate,
    Job,
    JobSource,
    PushPreference,
    ResumeEntry,
)
from ..pdf import agreement_pdf, format_code, resume_pdf

PER_PAGE = 20


# --- Landing and statistics ---------------------------------------------------------------------------------


@require_safe
@public_page
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "employment/index.html",
        {"page": platform_page(key="employment"), "stats": selectors.employment_stats()},
    )


# --- Jobs ----------------------------------------------------------------------------------------------------


def _job_query_context(request: HttpRequest) -> dict[str, Any]:
    from ..models import Discipline, Education, EmploymentType, Industry

    query, errors = selectors.clean_job_query(request.GET)
    try:
        page = max(1, min(int(request.GET.get("page") or 1), 50))
    except ValueError:
        page = 1
    results = selectors.job_search(actor=request.user, query=query, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    params = query.params()
    last_page = max(1, min((results.total + PER_PAGE - 1) // PER_PAGE, 50))

    def url(**changes: Any) -> str:
        merged = {**params, **changes}
        return "?" + urlencode({k: v for k, v in merged.items() if v})

    region = Region.objects.filter(code=query.region).first() if query.region else None
    return {
        "query": query,
        "errors": errors,
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
        "region_name": region.name if region else "",
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
    graduate_application = None
    apply_form = None
    if request.user.is_authenticated:
        graduate_application = Application.objects.filter(graduate_id=request.user.pk, job=job).first()
        if graduate_application is None and job.is_open():
            apply_form = forms.ApplyForm(graduate=request.user)
    try:
        from zhijiao.analytics.services import mark_viewed

        mark_viewed(request, job)
    except ImportError:  # analytics is optional for this page
        pass
    return render(
        request,
        "employment/job_detail.html",
        {
            "job": job,
            "jsonld": job_jsonld(job, request),
            "can_manage": selectors.can_manage_job(request.user, job),
            "application": graduate_application,
            "apply_form": apply_form,
            "sources": list(job.sources.all()),
            "share_form": forms.ShareForm() if job.owner_university_id else None,
        },
    )


@require_POST
@login_required
def job_apply(request: HttpRequest, job_id: int) -> HttpResponse:
    job = selectors.access_job(actor=request.user, job_id=job_id)
    form = forms.ApplyForm(request.POST, graduate=request.user)
    if form.is_valid():
        try:
            application = services.application_submit(
                graduate=request.user,
                job=job,
                resume=form.cleaned_data["resume"],
                cover_letter=form.cleaned_data["cover_letter"],
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return redirect(job)
        messages.success(request, _("简历已投递"))
        return redirect(application)
    messages.error(request, _("请选择一份简历"))
    return redirect(job)


@require_POST
@login_required
def saved_search_create(request: HttpRequest) -> HttpResponse:
    form = forms.SavedSearchForm(request.POST)
    if form.is_valid():
        try:
            services.saved_search_create(
                user=request.user, name=form.cleaned_data["name"], query=form.cleaned_data["query"]
            )
            messages.success(request, _("已保存搜索"))
        except (DomainError, ValidationError) as exc:
            messages.error(request, getattr(exc, "message", _("保存失败")))
    return redirect(reverse("employment:job_list") + "?" + (form.data.get("query") or ""))


@require_POST
@login_required
def saved_search_delete(request: HttpRequest, saved_id: int) -> HttpResponse:
    services.saved_search_delete(user=request.user, saved_id=saved_id)
    messages.success(request, _("已删除保存的搜索"))
    return redirect("employment:job_list")


# --- Employers ---------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def employer_register(request: HttpRequest) -> HttpResponse:
    form = forms.EmployerRegisterForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            profile = services.employer_register(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            if profile.needs_manual_review:
                messages.warning(request, _("信用代码校验未通过，已转人工核验，请耐心等待审核。"))
            else:
                messages.success(request, _("注册已提交，审核通过后即可发布岗位。"))
            return redirect("employment:employer_home")
    return render(request, "employment/employer_register.html", {"form": form}, status=422 if form.errors else 200)


@require_safe
@login_required
def employer_home(request: HttpRequest) -> HttpResponse:
    employers = list(selectors.recruiter_employers(request.user).select_related("employer_profile"))
    return render(
        request,
        "employment/employer_home.html",
        {"employers": employers, "jobs": list(selectors.jobs_managed_by(actor=request.user)[:100])},
    )


def _employer_for(request: HttpRequest) -> Organization:
    employer_id = request.GET.get("employer") or request.POST.get("employer")
    employers = selectors.recruiter_employers(request.user)
    employer = employers.filter(pk=employer_id).first() if employer_id else employers.first()
    if employer is None:
        raise NotFound
    return employer


@require_http_methods(["GET", "POST"])
@login_required
def job_create(request: HttpRequest) -> HttpResponse:
    employer = _employer_for(request)
    form = forms.JobForm(request.POST or None, initial={"valid_through": timezone.localdate() + timedelta(days=60)})
    if request.method == "POST" and form.is_valid():
        publish = "publish" in request.POST
        if publish and not selectors.employer_can_publish(employer):
            messages.warning(request, _("单位资质通过审核后才能发布岗位，已保存为草稿"))
            publish = False
        try:
            job = services.job_create(actor=request.user, employer=employer, data=form.job_data(), publish=publish)
        except ValidationError as exc:
            form_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
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
def job_edit(request: HttpRequest, job_id: int) -> HttpResponse:
    job = selectors.access_job_for_management(actor=request.user, job_id=job_id)
    initial = {
        "title": job.title,
        "description": job.description,
        "region_codes": ",".join(job.locations.values_list("region_id", flat=True)),
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
    form = forms.JobForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.job_update(actor=request.user, job=job, data=form.job_data())
        except ValidationError as exc:
            form_errors(form, exc)
        else:
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
def job_publish(request: HttpRequest, job_id: int) -> HttpResponse:
    job = selectors.access_job_for_management(actor=request.user, job_id=job_id)
    try:
        if request.POST.get("action") == "close":
            services.job_close(actor=request.user, job=job)
            messages.success(request, _("岗位已关闭"))
        else:
            services.job_publish(actor=request.user, job=job)
            messages.success(request, _("岗位已发布"))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect(job)


@require_POST
@login_required
def job_share(request: HttpRequest, job_id: int) -> HttpResponse:
    job = selectors.access_job_for_management(actor=request.user, job_id=job_id)
    form = forms.ShareForm(request.POST)
    if form.is_valid():
        region = None
        code = form.cleaned_data["region_code"].strip()
        if code:
            region = Region.objects.filter(code=code).first()
            if region is None:
                messages.error(request, _("未知的地区代码"))
                return redirect(job)
        try:
            services.job_share(
                actor=request.user, job=job, target_organization=form.cleaned_data["university"], target_region=region
            )
            messages.success(request, _("已共享"))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        except (DomainError, PermissionDenied) as exc:
            messages.error(request, str(getattr(exc, "message", exc)))
    return redirect(job)


@require_safe
@login_required
def job_pipeline(request: HttpRequest, job_id: int) -> HttpResponse:
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


# --- Review queue -------------------------------------------------------------------------------------------------


@require_safe
@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    if not selectors.is_employer_reviewer(request.user):
        raise Http404
    status = request.GET.get("status", EmployerProfile.Status.PENDING)
    if status not in EmployerProfile.Status.values:
        status = EmployerProfile.Status.PENDING
    page = Paginator(selectors.employer_review_queue(status=status), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "employment/review_queue.html",
        {"page": page, "status": status, "statuses": EmployerProfile.Status.choices, "form": forms.ReviewForm()},
    )


@require_POST
@login_required
def review_decide(request: HttpRequest, profile_id: int) -> HttpResponse:
    profile = selectors.access_employer_profile_for_review(actor=request.user, profile_id=profile_id)
    form = forms.ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择审核结论"))
        return redirect("employment:review_queue")
    decision, reason = form.cleaned_data["decision"], form.cleaned_data["reason"]
    try:
        if decision in ("approve", "reject"):
            services.employer_review(actor=request.user, profile=profile, approve=decision == "approve", reason=reason)
        else:
            services.employer_suspend(actor=request.user, profile=profile, reason=reason, suspend=decision == "suspend")
        messages.success(request, _("已处理：%(name)s") % {"name": profile.organization.name})
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect(reverse("employment:review_queue") + f"?status={profile.status}")


@require_safe
@login_required
def review_licence(request: HttpRequest, profile_id: int) -> HttpResponseBase:
    profile = selectors.access_employer_profile_for_review(actor=request.user, profile_id=profile_id)
    if not profile.licence:
        raise Http404
    return FileResponse(
        profile.licence.open("rb"), as_attachment=False, filename=(profile.licence.name or "").rsplit("/", 1)[-1]
    )


# --- Graduates --------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def graduate_home(request: HttpRequest) -> HttpResponse:
    graduate = selectors.graduate_of(request.user)
    form = forms.GraduateForm(
        request.POST or None,
        initial={
            "university": graduate.university_id if graduate else None,
            "graduation_year": graduate.graduation_year if graduate else timezone.localdate().year,
            "real_name": graduate.real_name if graduate else "",
            "major": graduate.major if graduate else "",
            "discipline": graduate.discipline if graduate else "",
            "education": graduate.education if graduate else 3,
            "student_number": graduate.student_number if graduate else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.graduate_register(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("已提交，等待学校就业部门确认"))
            return redirect("employment:graduate_home")
    return render(
        request,
        "employment/graduate_home.html",
        {
            "graduate": graduate,
            "form": form,
            "applications": list(selectors.applications_of_graduate(user=request.user)[:50]),
            "resumes": list(selectors.resumes_of(user=request.user)),
            "agreements": list(selectors.agreements_of(actor=request.user).filter(graduate_id=request.user.pk)[:10]),
        },
        status=422 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def push_preferences(request: HttpRequest) -> HttpResponse:
    graduate = selectors.graduate_of(request.user)
    if graduate is None:
        messages.info(request, _("请先登记毕业生信息"))
        return redirect("employment:graduate_home")
    prefs: dict[str, list[str]] = {}
    for kind, value in PushPreference.objects.filter(graduate=graduate).values_list("kind", "value"):
        prefs.setdefault(kind, []).append(value)
    form = forms.PushPreferenceForm(
        request.POST or None,
        initial={
            "region_codes": ",".join(prefs.get("region", [])),
            "industries": prefs.get("industry", []),
            "occupations": prefs.get("occupation", []),
            "salary_min": graduate.push_salary_min,
            "enabled": graduate.push_enabled,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.push_preferences_update(
                graduate=graduate,
                region_codes=form.region_list(),
                industries=form.cleaned_data["industries"],
                occupations=form.cleaned_data["occupations"],
                salary_min=form.cleaned_data["salary_min"],
                enabled=form.cleaned_data["enabled"],
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("推送设置已保存"))
            return redirect("employment:push_preferences")
    return render(
        request,
        "employment/push_preferences.html",
        {"form": form, "graduate": graduate, "pushes": list(selectors.pushes_of(graduate=graduate, limit=30))},
        status=422 if form.errors else 200,
    )


@require_safe
@login_required
def pushes(request: HttpRequest) -> HttpResponse:
    return redirect("employment:push_preferences")


@never_cache
@require_http_methods(["GET", "POST"])
def push_stop(request: HttpRequest, token: str) -> HttpResponse:
    """One click, no sign-in: the signed link in every push stops further pushes."""
    if request.method == "POST":
        services.push_stop(token=token)
        return render(request, "employment/push_stopped.html", {"stopped": True})
    try:
        services._push_signer().unsign(token)
    except Exception as exc:
        raise Http404 from exc
    return render(request, "employment/push_stopped.html", {"stopped": False, "token": token})


# --- Resumes ----------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def resume_new(request: HttpRequest) -> HttpResponse:
    graduate = selectors.graduate_of(request.user)
    form = forms.ResumeForm(
        request.POST or None,
        initial={
            "title": _("通用简历"),
            "full_name": graduate.real_name if graduate else "",
            "phone": getattr(request.user, "phone", "") or "",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            resume = services.resume_save(owner=request.user, **form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            form.add_error(None, getattr(exc, "message", None) or exc.messages)  # type: ignore[union-attr]
        else:
            return redirect(resume)
    return render(request, "employment/resume_form.html", {"form": form}, status=422 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def resume_edit(request: HttpRequest, resume_id: int) -> HttpResponse:
    resume = selectors.access_own_resume(actor=request.user, resume_id=resume_id)
    form = (
        forms.ResumeForm(request.POST or None, instance=resume)
        if request.POST.get("part") != "entry"
        else forms.ResumeForm(instance=resume)
    )
    entry_form = forms.ResumeEntryForm(request.POST if request.POST.get("part") == "entry" else None)
    if request.method == "POST":
        if request.POST.get("part") == "entry":
            if entry_form.is_valid():
                try:
                    services.resume_entry_add(owner=request.user, resume=resume, **entry_form.cleaned_data)
                except ValidationError as exc:
                    form_errors(entry_form, exc)
                else:
                    messages.success(request, _("已添加"))
                    return redirect(resume)
        elif form.is_valid():
            fields = {name: form.cleaned_data[name] for name in services.RESUME_FIELDS}
            services.resume_save(owner=request.user, resume=resume, **fields)
            messages.success(request, _("简历已保存"))
            return redirect(resume)
    entries = list(resume.entries.all())
    sections = [
        (value, label, [e for e in entries if e.section == value]) for value, label in ResumeEntry.Section.choices
    ]
    return render(
        request,
        "employment/resume_edit.html",
        {"resume": resume, "form": form, "entry_form": entry_form, "sections": sections},
        status=422 if form.errors or entry_form.errors else 200,
    )


@require_POST
@login_required
def resume_action(request: HttpRequest, resume_id: int) -> HttpResponse:
    resume = selectors.access_own_resume(actor=request.user, resume_id=resume_id)
    action = request.POST.get("action")
    try:
        if action == "copy":
            copy = services.resume_copy(
                owner=request.user, resume=resume, title=_("%(title)s（副本）") % {"title": resume.title}
            )
            return redirect(copy)
        if action == "delete":
            services.resume_delete(owner=request.user, resume=resume)
            messages.success(request, _("简历已删除"))
            return redirect("employment:graduate_home")
        if action == "remove_entry":
            services.resume_entry_remove(owner=request.user, entry_id=int(request.POST.get("entry_id") or 0))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect(resume)


@require_safe
@login_required
def resume_view(request: HttpRequest, resume_id: int) -> HttpResponse:
    """A resume as an employer sees it (or its owner previews it)."""
    resume = selectors.access_resume(actor=request.user, resume_id=resume_id)
    entries = list(resume.entries.all())
    sections = [(v, label, [e for e in entries if e.section == v]) for v, label in ResumeEntry.Section.choices]
    return render(request, "employment/resume_view.html", {"resume": resume, "sections": sections})


@require_safe
@login_required
def resume_download(request: HttpRequest, resume_id: int) -> HttpResponseBase:
    resume = selectors.access_resume(actor=request.user, resume_id=resume_id)
    data = resume_pdf(resume, labels={"objective": _("求职意向"), "summary": _("自我评价")})
    return FileResponse(io.BytesIO(data), content_type="application/pdf", filename=f"resume-{resume.pk}.pdf")


# --- Applications -----------------------------------------------------------------------------------------------


@require_safe
@login_required
def application_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    application = selectors.access_application(actor=request.user, application_id=application_id)
    manager = selectors.can_manage_job(request.user, application.job)
    if manager and application.status == Application.Status.SUBMITTED:
        services.application_move(actor=request.user, application=application, status=Application.Status.VIEWED)
        application = selectors.access_application(actor=request.user, application_id=application_id)
    agreement = Agreement.objects.filter(application=application).first()
    return render(
        request,
        "employment/application_detail.html",
        {
            "application": application,
            "is_manager": manager,
            "is_graduate": application.graduate_id == request.user.pk,
            "move_form": forms.MoveForm() if manager else None,
            "agreement": agreement,
            "open_statuses": services.OPEN_STATUSES,
        },
    )


@require_POST
@login_required
def application_move(request: HttpRequest, application_id: int) -> HttpResponse:
    application = selectors.access_application(actor=request.user, application_id=application_id)
    form = forms.MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(application)
    try:
        services.application_move(actor=request.user, application=application, **form.cleaned_data)
        messages.success(request, _("已更新进展并通知毕业生"))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect(application)


@require_POST
@login_required
def application_respond(request: HttpRequest, application_id: int) -> HttpResponse:
    application = selectors.access_application(actor=request.user, application_id=application_id)
    action = request.POST.get("action")
    try:
        if action == "withdraw":
            services.application_withdraw(
                graduate=request.user, application=application, note=request.POST.get("note", "")
            )
            messages.success(request, _("已撤回投递"))
        elif action in ("accept", "decline"):
            services.application_respond(graduate=request.user, application=application, accept=action == "accept")
            if action == "accept":
                messages.success(request, _("已接受录用，三方协议已生成"))
                return redirect(Agreement.objects.get(application=application))
            messages.success(request, _("已婉拒录用"))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect(application)


# --- Agreements -------------------------------------------------------------------------------------------------


def _agreement_context(request: HttpRequest, agreement: Agreement) -> dict[str, Any]:
    signatures = list(agreement.signatures.all())
    parties = selectors.agreement_parties_of(request.user, agreement)
    turn = services.next_party(agreement)
    return {
        "agreement": agreement,
        "signatures": [(s, services.signature_is_valid(agreement, s)) for s in signatures],
        "parties": parties,
        "turn": turn,
        "turn_label": dict(Agreement.Party.choices).get(turn or "", ""),
        "can_sign": turn in parties,
        "code_display": format_code(agreement.code),
        "verify_url": request.build_absolute_uri(reverse("employment:agreement_verify_code", args=[agreement.code])),
    }


@require_safe
@login_required
def agreement_detail(request: HttpRequest, agreement_id: int) -> HttpResponse:
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
def agreement_action(request: HttpRequest, agreement_id: int) -> HttpResponse:
    agreement = selectors.access_agreement(actor=request.user, agreement_id=agreement_id)
    action = request.POST.get("action")
    context = _agreement_context(request, agreement)
    sign_form = forms.SignForm(initial={"text_sha256": agreement.text_sha256})
    reason_form = forms.ReasonForm()
    amend_form = forms.AmendForm(initial={"extra": agreement.terms.get("extra", "")})
    try:
        if action == "sign":
            sign_form = forms.SignForm(request.POST)
            if sign_form.is_valid():
                services.agreement_sign(
                    actor=request.user,
                    agreement=agreement,
                    password=sign_form.cleaned_data["password"],
                    text_sha256_seen=sign_form.cleaned_data["text_sha256"],
                )
                messages.success(request, _("已签署"))
                return redirect(agreement)
        elif action == "terminate":
            reason_form = forms.ReasonForm(request.POST)
            if reason_form.is_valid():
                services.agreement_terminate(
                    actor=request.user, agreement=agreement, reason=reason_form.cleaned_data["reason"]
                )
                messages.success(request, _("已解约"))
                return redirect(agreement)
        elif action == "amend":
            amend_form = forms.AmendForm(request.POST)
            if amend_form.is_valid():
                services.agreement_amend(
                    actor=request.user, agreement=agreement, extra=amend_form.cleaned_data["extra"]
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
def agreement_download(request: HttpRequest, agreement_id: int) -> HttpResponseBase:
    agreement = selectors.access_agreement(actor=request.user, agreement_id=agreement_id)
    verify_url = request.build_absolute_uri(reverse("employment:agreement_verify_code", args=[agreement.code]))
    valid = {s.pk: services.signature_is_valid(agreement, s) for s in agreement.signatures.all()}
    data = agreement_pdf(agreement, verify_url=verify_url, valid=valid)
    return FileResponse(io.BytesIO(data), content_type="application/pdf", filename=f"agreement-{agreement.number}.pdf")


@require_safe
def agreement_verify(request: HttpRequest) -> HttpResponse:
    form = forms.VerifyForm(request.GET or None)
    if form.is_valid():
        code = selectors.normalize_code(form.cleaned_data["code"])
        if code:
            return redirect("employment:agreement_verify_code", code=code)
    return render(request, "employment/agreement_verify.html", {"form": form, "agreement": None})


@require_safe
def agreement_verify_code(request: HttpRequest, code: str) -> HttpResponse:
    """Public: whether an agreement with this code exists, its state, and whether every signature still holds."""
    try:
        agreement = selectors.access_agreement_by_code(code=code)
    except NotFound:
        return render(
            request,
            "employment/agreement_verify.html",
            {"form": forms.VerifyForm(initial={"code": code}), "agreement": None, "not_found": True},
            status=404,
        )
    signatures = [(s, services.signature_is_valid(agreement, s)) for s in agreement.signatures.all()]
    intact = services.text_sha256(agreement.text) == agreement.text_sha256
    return render(
        request,
        "employment/agreement_verify.html",
        {
            "form": forms.VerifyForm(initial={"code": code}),
            "agreement": agreement,
            "signatures": signatures,
            "intact": intact,
            "graduate_name": _mask_name(agreement.terms.get("graduate_name", "")),
        },
    )


def _mask_name(name: str) -> str:
    from zhijiao.core.masking import mask_name

    return mask_name(name)


# --- University employment office --------------------------------------------------------------------------------


def _university_for(request: HttpRequest) -> Organization:
    universities = selectors.staff_universities(request.user)
    chosen = request.GET.get("university") or request.POST.get("university")
    university = universities.filter(pk=chosen).first() if chosen else universities.first()
    if university is None:
        raise Http404
    return university


@require_safe
@login_required
def office(request: HttpRequest) -> HttpResponse:
    university = _university_for(request)
    year = request.GET.get("year")
    year_value = int(year) if year and year.isdigit() else None
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
            "shared_jobs": list(selectors.shared_jobs_of(university=university)[:30]),
            "review_count": selectors.employer_review_queue().count(),
        },
    )


@require_POST
@login_required
def office_confirm(request: HttpRequest, graduate_id: int) -> HttpResponse:
    graduate = selectors.access_graduate_for_staff(actor=request.user, graduate_id=graduate_id)
    services.graduate_confirm(actor=request.user, graduate=graduate, approve=request.POST.get("action") != "reject")
    messages.success(request, _("已处理：%(name)s") % {"name": graduate.real_name})
    return redirect(reverse("employment:office") + f"?university={graduate.university_id}")


@login_required
def office_roster(request: HttpRequest) -> HttpResponse:
    """The employment office imports its list of graduates; matching registrations are confirmed."""
    university = _university_for(request)
    form = forms.RosterForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = services.graduate_roster_import(
                actor=request.user, university=university, data=upload.read(), filename=upload.name
            )
        except ValidationError as exc:
            for message in exc.message_dict.get("file", exc.messages):
                form.add_error("file", message)
    return render(
        request,
        "employment/office_roster.html",
        {"form": form, "report": report, "university": university},
        status=422 if form.errors else 200,
    )


@require_safe
@login_required
def office_roster_template(request: HttpRequest) -> HttpResponse:
    _university_for(request)
    body = "学号,姓名,毕业年份,专业,学科门类,学历\r\n2022011234,张三,2026,计算机科学与技术,工学,本科\r\n"
    response = HttpResponse("\ufeff" + body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="roster-template.csv"'
    return response


@require_safe
@login_required
def office_destinations(request: HttpRequest) -> HttpResponse:
    """就业去向 as an Excel workbook."""
    from openpyxl import Workbook

    university = _university_for(request)
    year = request.GET.get("year")
    rows = selectors.destination_report(university=university, year=int(year) if year and year.isdigit() else None)
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


@require_http_methods(["GET", "POST"])
@login_required
def job_import(request: HttpRequest) -> HttpResponse:
    from ..imports import FeedError, parse_feed

    if not services.can_import_jobs(request.user):
        raise Http404
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    batch = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        universities = selectors.staff_universities(request.user)
        campus = form.cleaned_data["campus"] and universities.exists()
        if is_platform_admin(request.user) or universities.exists():
            kind = JobSource.Kind.UNIVERSITY if campus else JobSource.Kind.FEED
        else:
            kind = JobSource.Kind.EMPLOYER
        try:
            rows = parse_feed(upload.read(), filename=upload.name)
            batch = services.jobs_import(
                actor=request.user,
                rows=rows,
                source_kind=kind,
                feed=form.cleaned_data["feed"],
                filename=upload.name,
                source_org=universities.first() if campus else None,
            )
        except FeedError as exc:
            form.add_error("file", str(exc))
    return render(
        request,
        "employment/job_import.html",
        {"form": form, "batch": batch, "batches": list(selectors.import_batches(actor=request.user)[:10])},
        status=422 if form.errors else 200,
    )
