"""Jobs: who sees which job (public, campus jobs shared between universities, those who manage it) and the job
search (keywords through the unified search, filters alone straight from the job tables)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from zhijiao.core.actors import Actor, signed_in
from zhijiao.core.errors import NotFound
from zhijiao.orgs.models import Organization, Region

from ..models import EmployerProfile, Job, JobArea, JobLocation, JobMajor, JobShare
from .roles import can_manage_job, is_employer_reviewer, recruiter_employers, staff_universities


def open_jobs(*, on: date | None = None) -> QuerySet[Job]:
    """Jobs graduates may apply to today: published, within their dates, from a verified employer."""
    on = on or timezone.localdate()
    return Job.objects.filter(
        status=Job.Status.PUBLISHED,
        date_posted__lte=on,
        valid_through__gte=on,
        employer__employer_profile__status=EmployerProfile.Status.VERIFIED,
    )


def restricted_job_universities(job: Job) -> list[int]:
    """The universities whose graduates see a non-public campus job: its own and those it is shared with."""
    ids = {job.owner_university_id} if job.owner_university_id else set()
    region_codes: list[str] = []
    for organization_id, region_id in JobShare.objects.filter(job=job).values_list(
        "target_organization_id", "target_region_id"
    ):
        if organization_id:
            ids.add(organization_id)
        if region_id:
            region_codes.append(region_id)
    for code in region_codes:
        region = Region.objects.filter(code=code).first()
        if region is None:
            continue
        prefix = code[:2] if region.level == Region.Level.PROVINCE else code[:4] if region.level == 2 else code
        ids.update(
            Organization.objects.filter(
                kind=Organization.Kind.UNIVERSITY, region__code__startswith=prefix, is_active=True
            ).values_list("pk", flat=True)
        )
    return sorted(i for i in ids if i)


def can_see_restricted_job(user: Actor, job: Job) -> bool:
    if not signed_in(user):
        return False
    allowed = set(restricted_job_universities(job))
    return Organization.objects.filter(pk__in=allowed, memberships__user=user, memberships__is_active=True).exists()


# A job's places with their city and province in the same query, for their full names ("北京市海淀区").
_LOCATIONS = Prefetch("locations", queryset=JobLocation.objects.select_related("region__parent__parent"))


def access_job(*, actor: Actor, job_id: int) -> Job:
    """A job page: open jobs for whoever may see them; any state for those who manage it."""
    job = (
        Job.objects.select_related("employer", "employer__region", "employer__employer_profile", "owner_university")
        .prefetch_related(_LOCATIONS, "majors")
        .filter(pk=job_id)
        .first()
    )
    if job is None:
        raise NotFound
    if can_manage_job(actor, job):
        return job
    if not job.is_open():
        raise NotFound
    if not job.is_public and not can_see_restricted_job(actor, job):
        raise NotFound
    return job


def job_shares_of(*, actor: Actor, job: Job, can_manage: bool) -> list[JobShare]:
    """Where a campus job was shared (universities and regions), oldest first. A public job's list is public; a
    restricted job's is shown to those who manage it (``can_manage``, as the page already knows) and to employment
    offices, who coordinate sharing; a job that was never a campus job costs no query."""
    if job.owner_university_id is None:
        return []
    if not (job.is_public or can_manage or is_employer_reviewer(actor)):
        return []
    return list(
        JobShare.objects.filter(job=job)
        .select_related("target_organization", "target_region__parent")
        .order_by("created_at", "id")
    )


def access_job_for_management(*, actor: Actor, job_id: int) -> Job:
    job = Job.objects.select_related("employer", "employer__employer_profile").filter(pk=job_id).first()
    if job is None or not can_manage_job(actor, job):
        raise NotFound
    return job


def jobs_managed_by(*, actor: Actor) -> QuerySet[Job]:
    """Every job of the employers a recruiter works for and the campus jobs of a staff member's university."""
    employers = list(recruiter_employers(actor).values_list("pk", flat=True))
    universities = list(staff_universities(actor).values_list("pk", flat=True))
    return (
        Job.objects.filter(Q(employer_id__in=employers) | Q(owner_university_id__in=universities))
        .select_related("employer")
        .annotate(application_count=Count("applications"))
        .order_by("-created_at", "-id")
    )


SALARY_STEPS = (3000, 5000, 8000, 10000, 15000, 20000, 30000)
POSTED_WITHIN = (1, 3, 7, 30)
SORTS = ("relevance", "newest", "salary")


@dataclass
class JobQuery:
    """What a job search asks for; every field optional."""

    q: str = ""
    region: str = ""
    industry: str = ""
    education: str = ""
    major: str = ""
    salary: str = ""
    employment_type: str = ""
    posted: str = ""
    sort: str = "relevance"

    FILTERS = ("region", "industry", "education", "major", "salary", "employment_type", "posted")

    def filters(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.FILTERS if getattr(self, name)}

    def params(self) -> dict[str, str]:
        out = {"q": self.q, **self.filters()}
        if self.sort != "relevance":
            out["sort"] = self.sort
        return {key: value for key, value in out.items() if value}


@dataclass
class JobResults:
    query: JobQuery
    total: int = 0
    total_exact: bool = True  # False when there were more matches than ``total`` (a lower bound)
    jobs: list[Job] = field(default_factory=list)
    limit: int = 20
    offset: int = 0
    highlights: dict[int, Any] = field(default_factory=dict)


def clean_job_query(params: Any) -> tuple[JobQuery, dict[str, list[str]]]:
    """A job search from a query string, and a message per refused parameter."""
    from django.utils.translation import gettext as _

    from ..models import Discipline, Education, EmploymentType, Industry

    query = JobQuery()
    errors: dict[str, list[str]] = {}
    query.q = str(params.get("q") or "").strip()[:100]
    checks: dict[str, Any] = {
        "industry": Industry.values,
        "education": [str(v) for v in Education.values if v != Education.ANY],
        "major": Discipline.values,
        "salary": [str(v) for v in SALARY_STEPS],
        "employment_type": EmploymentType.values,
        "posted": [str(v) for v in POSTED_WITHIN],
    }
    for name, allowed in checks.items():
        value = str(params.get(name) or "").strip()
        if value and value not in allowed:
            errors[name] = [_("无效的取值：%(value)s") % {"value": value[:20]}]
        elif value:
            setattr(query, name, value)
    region = str(params.get("region") or "").strip()
    if region:
        if not Region.objects.filter(code=region).exists():
            errors["region"] = [_("未知的地区代码：%(value)s") % {"value": region[:10]}]
        else:
            query.region = region
    sort = str(params.get("sort") or "relevance")
    if sort not in SORTS:
        errors["sort"] = [_("未知的排序方式")]
    else:
        query.sort = sort
    return query, errors


# The job list counts at most this many matches and says "more than" beyond it, as the search does: the pages only
# reach this far (50 pages of 20), and counting a whole country's open jobs on every page view would cost more
# than the page.
BROWSE_COUNT_CAP = 1_000


def _capped_count(qs: QuerySet[Any]) -> tuple[int, bool]:
    """How many rows, up to BROWSE_COUNT_CAP, and whether that is exact."""
    total = qs.order_by()[: BROWSE_COUNT_CAP + 1].count()
    return min(total, BROWSE_COUNT_CAP), total <= BROWSE_COUNT_CAP


def _browse(query: JobQuery, *, on: date) -> tuple[QuerySet[Any], str]:
    """The job list without keywords: the same filters as the search, straight from the tables. Returns a query
    of rows and the name of their job-id column, newest (or best paid) first.

    With a place filter the rows come from the area table, which carries each job's listing state and dates, so a
    city (+ industry, + "posted within") list is one covering index range; the other filters join the job."""
    since = on - timedelta(days=int(query.posted) - 1) if query.posted else None
    if query.region:
        areas = JobArea.objects.filter(code=query.region, listed=True, date_posted__lte=on, valid_through__gte=on)
        if query.industry:
            areas = areas.filter(industry=query.industry)
        if since:
            areas = areas.filter(date_posted__gte=since)
        needs_job = query.education or query.major or query.salary or query.employment_type or query.sort == "salary"
        if not needs_job:
            return areas.order_by("-date_posted", "-job_id"), "job_id"
        qs = Job.objects.filter(pk__in=areas.values("job_id"))
    else:
        qs = open_jobs(on=on).filter(is_public=True)
        if query.industry:
            qs = qs.filter(industry=query.industry)
        if since:
            qs = qs.filter(date_posted__gte=since)
    if query.education:
        qs = qs.filter(education__lte=int(query.education))
    if query.major:
        qs = qs.filter(
            ~Exists(JobMajor.objects.filter(job=OuterRef("pk")))
            | Exists(JobMajor.objects.filter(job=OuterRef("pk"), discipline=query.major))
        )
    if query.salary:
        qs = qs.filter(salary_max__gte=int(query.salary))
    if query.employment_type:
        qs = qs.filter(employment_type=query.employment_type)
    order = ["-salary_max", "-id"] if query.sort == "salary" else ["-date_posted", "-id"]
    return qs.order_by(*order), "pk"


def job_search(*, actor: Actor, query: JobQuery, limit: int = 20, offset: int = 0) -> JobResults:
    """Jobs for a search: keywords go through the unified search (``employment.job`` documents, its tags as
    filters); without keywords the same filters run on the job tables (see ``_browse``)."""
    from zhijiao.search import selectors as search_selectors

    from ..search import JobDocuments, search_sort

    results = JobResults(query=query, limit=limit, offset=offset)
    on = timezone.localdate()
    if not query.q:
        rows, id_column = _browse(query, on=on)
        results.total, results.total_exact = _capped_count(rows)
        ids = list(rows.values_list(id_column, flat=True)[offset : offset + limit]) if offset < results.total else []
    else:
        filters = {"type": JobDocuments.kind, **query.filters()}
        found = search_selectors.search(
            actor=actor,
            q=query.q,
            filters=filters,
            sort=search_sort(query.sort),
            limit=limit,
            offset=offset,
            with_facets=False,
        )
        results.total, results.total_exact = found.total, found.total_exact
        ids = [int(hit.document.object_id) for hit in found.hits]
        results.highlights = {int(hit.document.object_id): hit for hit in found.hits}
    by_id = _with_listing(Job.objects.filter(pk__in=ids)).in_bulk(ids)
    results.jobs = [by_id[i] for i in ids if i in by_id]
    return results


def _with_listing(qs: QuerySet[Job]) -> QuerySet[Job]:
    return qs.select_related("employer", "employer__employer_profile").prefetch_related(_LOCATIONS)
