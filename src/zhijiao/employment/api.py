"""The employment API: job search and pages, recruiters' jobs, partner feeds, applications, agreement checks."""

from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Status
from ninja.files import UploadedFile

from zhijiao.core.actors import MemberRequest, Origin
from zhijiao.core.api_auth import session_or_token
from zhijiao.core.api_errors import ErrorOut
from zhijiao.core.errors import DomainError, NotFound
from zhijiao.core.pagination import PageParams
from zhijiao.core.params import Id, one_of
from zhijiao.core.ratelimit import rate_limit
from zhijiao.credentials.selectors import verify_rate
from zhijiao.orgs.models import Organization

from . import selectors, services
from .imports import FeedError, parse_json
from .models import Application, Discipline, Education, EmploymentType, Industry, Job
from .schemas import (
    AgreementVerifyOut,
    ApplicationOut,
    ApplyIn,
    FeedIn,
    ImportOut,
    JobIn,
    JobOut,
    JobPageOut,
    MoveIn,
    RosterOut,
)
from .selectors.jobs import POSTED_WITHIN, SALARY_STEPS, SORTS

router = Router(tags=["employment"], auth=session_or_token)
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}


def _job_out(job: Job) -> dict[str, Any]:
    return {
        "id": job.pk,
        "title": job.title,
        "employer": job.employer.name,
        "employer_id": job.employer_id,
        "region_codes": [location.region_id for location in job.locations.all()],
        "industry": job.industry,
        "occupation": job.occupation,
        "education": job.education,
        "salary_min": job.salary_min,
        "salary_max": job.salary_max,
        "headcount": job.headcount,
        "employment_type": job.employment_type,
        "date_posted": job.date_posted,
        "valid_through": job.valid_through,
        "status": job.status,
        "url": job.get_absolute_url(),
    }


def _application_out(application: Application) -> dict[str, Any]:
    return {
        "id": application.pk,
        "job_id": application.job_id,
        "job_title": application.job.title,
        "status": application.status,
        "created_at": application.created_at,
        "events": list(application.events.all()),
    }


@router.get(
    "/jobs", response={200: JobPageOut, **ERRORS}, auth=None, operation_id="employment_job_search", summary="搜索岗位"
)
def job_search(
    request: HttpRequest,
    page: Query[PageParams],
    q: str = "",
    region: Annotated[
        str, Field(pattern=r"^([0-9]{6})?$", description="GB/T 2260 六位地区代码；须是已收录的地区")
    ] = "",
    industry: one_of(Industry.values) = "",  # type: ignore[valid-type]
    education: one_of(v for v in Education.values if v != Education.ANY) = "",  # type: ignore[valid-type]
    major: one_of(Discipline.values) = "",  # type: ignore[valid-type]
    salary: one_of(SALARY_STEPS) = "",  # type: ignore[valid-type]
    employment_type: one_of(EmploymentType.values) = "",  # type: ignore[valid-type]
    posted: one_of(POSTED_WITHIN) = "",  # type: ignore[valid-type]
    sort: one_of(SORTS) = "relevance",  # type: ignore[valid-type]
) -> Any:
    params = {
        "q": q,
        "region": region,
        "industry": industry,
        "education": education,
        "major": major,
        "salary": salary,
        "employment_type": employment_type,
        "posted": posted,
        "sort": sort,
    }
    query, errors = selectors.clean_job_query(params)
    if errors:
        raise DomainError("invalid", _("提交的内容有误"), fields=errors, status=422)
    results = selectors.job_search(
        actor=request.user, query=query, limit=min(page.limit, 50), offset=min(page.offset, 1000)
    )
    return {
        "items": [_job_out(job) for job in results.jobs],
        "count": results.total,
        "count_exact": results.total_exact,
        "limit": results.limit,
        "offset": results.offset,
    }


@router.get(
    "/jobs/{job_id}", response={200: JobOut, **ERRORS}, auth=None, operation_id="employment_job_get", summary="岗位详情"
)
def job_get(request: HttpRequest, job_id: Id) -> Any:
    return _job_out(selectors.access_job(actor=request.user, job_id=job_id))


@router.post(
    "/jobs",
    response={201: JobOut, **ERRORS},
    operation_id="employment_job_create",
    summary="发布岗位",
)
def job_create(request: MemberRequest, data: JobIn) -> Any:
    employers = selectors.recruiter_employers(request.user)
    employer = employers.filter(pk=data.employer_id).first() if data.employer_id else employers.first()
    if employer is None:
        raise NotFound
    job = services.job_create(
        actor=request.user,
        employer=employer,
        data=services.JobData(**data.dict(exclude={"employer_id", "publish"})),
        publish=data.publish,
    )
    return Status(201, _job_out(job))


@router.post(
    "/jobs/{job_id}/publish",
    response={200: JobOut, **ERRORS},
    operation_id="employment_job_publish",
    summary="发布草稿岗位",
)
def job_publish(request: MemberRequest, job_id: Id) -> Any:
    job = selectors.access_job_for_management(actor=request.user, job_id=job_id)
    return _job_out(services.job_publish(actor=request.user, job=job))


@router.post(
    "/feeds",
    response={201: ImportOut, **ERRORS},
    operation_id="employment_feed_push",
    summary="合作渠道推送岗位（JobPosting JSON，逐条校验、去重合并）",
)
def feed_push(request: MemberRequest, data: FeedIn) -> Any:
    import json

    try:
        rows = list(parse_json(json.dumps(data.jobs).encode()))
    except FeedError as exc:
        raise DomainError("invalid_feed", str(exc), status=422) from exc
    batch = services.jobs_import(
        actor=request.user, rows=rows, feed=data.feed, filename="api", origin=Origin.of(request)
    )
    return Status(
        201,
        {"id": batch.pk, "rows": batch.rows, "created": batch.created, "merged": batch.merged, "errors": batch.errors},
    )


@router.post(
    "/jobs/{job_id}/applications",
    response={201: ApplicationOut, **ERRORS},
    operation_id="employment_application_submit",
    summary="投递简历",
)
def application_submit(request: MemberRequest, job_id: Id, data: ApplyIn) -> Any:
    job = selectors.access_job(actor=request.user, job_id=job_id)
    resume = selectors.access_own_resume(actor=request.user, resume_id=data.resume_id)
    application = services.application_submit(
        graduate=request.user, job=job, resume=resume, cover_letter=data.cover_letter
    )
    return Status(201, _application_out(application))


@router.get(
    "/applications",
    response={200: list[ApplicationOut], **ERRORS},
    operation_id="employment_application_list",
    summary="我的投递",
)
def application_list(request: MemberRequest) -> Any:
    return [
        _application_out(a)
        for a in selectors.applications_of_graduate(user=request.user).prefetch_related("events")[:100]
    ]


@router.get(
    "/applications/{application_id}",
    response={200: ApplicationOut, **ERRORS},
    operation_id="employment_application_get",
    summary="投递详情",
)
def application_get(request: MemberRequest, application_id: Id) -> Any:
    return _application_out(selectors.access_application(actor=request.user, application_id=application_id))


@router.post(
    "/applications/{application_id}/events",
    response={201: ApplicationOut, **ERRORS},
    operation_id="employment_application_move",
    summary="推进投递（笔试、面试、录用、未通过）",
)
def application_move(request: MemberRequest, application_id: Id, data: MoveIn) -> Any:
    application = selectors.access_application(actor=request.user, application_id=application_id)
    services.application_move(actor=request.user, application=application, **data.dict())
    return Status(
        201, _application_out(selectors.access_application(actor=request.user, application_id=application_id))
    )


@router.post(
    "/applications/{application_id}/withdraw",
    response={200: ApplicationOut, **ERRORS},
    operation_id="employment_application_withdraw",
    summary="撤回投递",
)
def application_withdraw(request: MemberRequest, application_id: Id) -> Any:
    application = selectors.access_application(actor=request.user, application_id=application_id)
    services.application_withdraw(graduate=request.user, application=application)
    return _application_out(selectors.access_application(actor=request.user, application_id=application_id))


@router.get(
    "/agreements/verify/{code}",
    response={200: AgreementVerifyOut, **ERRORS},
    auth=None,
    operation_id="employment_agreement_verify",
    summary="按验证码核验三方协议",
)
def agreement_verify(request: HttpRequest, code: str) -> Any:
    # One counter with /verify/ and the credentials API: every public check by code is the same oracle.
    rate_limit(request, "credentials.verify", *verify_rate())
    agreement = selectors.access_agreement_by_code(code=code)
    return {
        "number": agreement.number,
        "status": agreement.status,
        "employer": agreement.employer.name,
        "university": agreement.university.name,
        "text_intact": selectors.text_sha256(agreement.text) == agreement.text_sha256,
        "signatures": [
            {"party": s.party, "signed_at": s.signed_at, "valid": selectors.signature_is_valid(agreement, s)}
            for s in agreement.signatures.all()
        ],
    }


@router.post(
    "/office/roster",
    response={200: RosterOut, **ERRORS},
    operation_id="employment_roster_import",
    summary="高校导入毕业生名单（CSV/Excel，逐行校验；学号与姓名一致的已登记毕业生随即确认）",
)
def roster_import(request: MemberRequest, university: Form[Id], file: File[UploadedFile]) -> Any:
    organization = Organization.objects.filter(pk=university, kind=Organization.Kind.UNIVERSITY).first()
    if organization is None or not selectors.can_import_roster(request.user, organization):
        raise NotFound()
    report = services.graduate_roster_import(
        actor=request.user,
        university=organization,
        data=file.read(),
        filename=file.name or "",
        origin=Origin.of(request),
    )
    return {
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
        "confirmed": report.confirmed,
        "errors": report.errors,
    }
