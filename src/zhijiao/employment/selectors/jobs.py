"""Reads of the employment platform and its access checks, each question answered by one function.

``access_<entity>(actor=…, …)`` answers "not found" for both missing and forbidden, so nobody learns what exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from zhijiao.core.cache import content_cached
from zhijiao.core.errors import NotFound
from zhijiao.orgs.models import Organization, Region, Role
from zhijiao.orgs.selectors import has_role, is_platform_admin, organizations_where

from ..models import (
    Agreement,
    Application,
    EmployerProfile,
    Graduate,
    ImportBatch,
    Job,
    JobArea,
    JobMajor,
    JobPush,
    JobShare,
    PushRun,
    Resume,
    SavedSearch,
)

# --- Who is who --------------------------------------------------------------------------------------------


def _signed_in(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)


def recruiter_employers(user: Any) -> QuerySet[Organization]:
    """The employers a person recruits for."""
    return organizations_where(user, Role.RECRUITER).filter(kind=Organization.Kind.EMPLOYER)


def staff_universities(user: Any) -> QuerySet[Organization]:
    """The universities whose employment office a person works in."""
    return organizations_where(user, Role.EMPLOYMENT_STAFF).filter(kind=Organization.Kind.UNIVERSITY)


def is_employer_reviewer(user: Any) -> bool:
    """Platform admins and any university's employment staff verify employers; one verification counts for all."""
    return _signed_in(user) and (is_platform_admin(user) or has_role(user, Role.EMPLOYMENT_STAFF))


def is_recruiter_of(user: Any, employer: Organization | int) -> bool:
    employer_id = employer if isinstance(employer, int) else employer.pk
    return _signed_in(user) and recruiter_employers(user).filter(pk=employer_id).exists()


def is_staff_of(user: Any, university: Organization | int | None) -> bool:
    if university is None:
        return False
    university_id = university if isinstance(university, int) else university.pk
    return _signed_in(user) and staff_universities(user).filter(pk=university_id).exists()


def employer_can_publish(employer: Organization) -> bool:
    """Only verified (and not suspended) employers publish jobs."""
    profile = EmployerProfile.objects.filter(organization=employer).only("status").first()
    return profile is not None and profile.status == EmployerProfile.Status.VERIFIED


def can_manage_job(user: Any, job: Job) -> bool:
    """The employer's recruiters; for a campus job also the posting university's employment staff."""
    return is_recruiter_of(user, job.employer_id) or is_staff_of(user, job.owner_university_id)


def graduate_of(user: Any) -> Graduate | None:
    if not _signed_in(user):
        return None
    return Graduate.objects.select_related("university").filter(user=user).first()


# --- Employers ---------------------------------------------------------------------------------------------


def employer_review_queue(*, status: str | None = EmployerProfile.Status.PENDING) -> QuerySet[EmployerProfile]:
    qs = EmployerProfile.objects.select_related("organization", "organization__region", "reviewed_by")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-needs_manual_review", "created_at", "id")


def access_employer_profile_for_review(*, actor: Any, profile_id: int) -> EmployerProfile:
    if not is_employer_reviewer(actor):
        raise NotFound
    profile = employer_review_queue(status=None).filter(pk=profile_id).first()
    if profile is None:
        raise NotFound
    return profile


def employer_profile_of(*, organization: Organization) -> EmployerProfile | None:
    return EmployerProfile.objects.filter(organization=organization).first()


# --- Jobs --------------------------------------------------------------------------------------------------


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


def can_see_restricted_job(user: Any, job: Job) -> bool:
    if not _signed_in(user):
        return False
    allowed = set(restricted_job_universities(job))
    return Organization.objects.filter(pk__in=allowed, memberships__user=user, memberships__is_active=True).exists()


def access_job(*, actor: Any, job_id: int) -> Job:
    """A job page: open jobs for whoever may see them; any state for those who manage it."""
    job = (
        Job.objects.select_related("employer", "employer__region", "employer__employer_profile", "owner_university")
        .prefetch_related("locations__region__parent", "majors")
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


def access_job_for_management(*, actor: Any, job_id: int) -> Job:
    job = Job.objects.select_related("employer", "employer__employer_profile").filter(pk=job_id).first()
    if job is None or not can_manage_job(actor, job):
        raise NotFound
    return job


def jobs_managed_by(*, actor: Any) -> QuerySet[Job]:
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


def job_search(*, actor: Any, query: JobQuery, limit: int = 20, offset: int = 0) -> JobResults:
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
    return qs.select_related("employer", "employer__employer_profile").prefetch_related("locations__region")


def saved_searches_of(*, user: Any) -> QuerySet[SavedSearch]:
    if not _signed_in(user):
        return SavedSearch.objects.none()
    return SavedSearch.objects.filter(user=user)


# --- Resumes -----------------------------------------------------------------------------------------------


def resumes_of(*, user: Any) -> QuerySet[Resume]:
    if not _signed_in(user):
        return Resume.objects.none()
    return Resume.objects.filter(owner=user).order_by("-updated_at", "-id")


def can_view_resume(user: Any, resume: Resume) -> bool:
    """Its owner; recruiters of an employer it was sent to; recruiters of any verified employer if shared so."""
    if not _signed_in(user):
        return False
    if resume.owner_id == user.pk:
        return True
    employers = recruiter_employers(user)
    if Application.objects.filter(resume=resume, job__employer__in=employers).exists():
        return True
    return (
        resume.privacy == Resume.Privacy.VERIFIED_EMPLOYERS
        and employers.filter(employer_profile__status=EmployerProfile.Status.VERIFIED).exists()
    )


def access_resume(*, actor: Any, resume_id: int) -> Resume:
    resume = Resume.objects.prefetch_related("entries").filter(pk=resume_id).first()
    if resume is None or not can_view_resume(actor, resume):
        raise NotFound
    return resume


def access_own_resume(*, actor: Any, resume_id: int) -> Resume:
    resume = Resume.objects.prefetch_related("entries").filter(pk=resume_id).first()
    if resume is None or not _signed_in(actor) or resume.owner_id != actor.pk:
        raise NotFound
    return resume


# --- Applications ------------------------------------------------------------------------------------------


def applications_of_graduate(*, user: Any) -> QuerySet[Application]:
    if not _signed_in(user):
        return Application.objects.none()
    return (
        Application.objects.filter(graduate=user).select_related("job", "job__employer").order_by("-created_at", "-id")
    )


def applications_for_job(*, actor: Any, job: Job, status: str | None = None) -> QuerySet[Application]:
    """A job's pipeline, for those who manage the job only."""
    if not can_manage_job(actor, job):
        raise NotFound
    qs = Application.objects.filter(job=job).select_related("graduate", "resume")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def can_view_application(user: Any, application: Application) -> bool:
    """The graduate who applied, and whoever manages the job; nobody else."""
    if not _signed_in(user):
        return False
    return application.graduate_id == user.pk or can_manage_job(user, application.job)


def access_application(*, actor: Any, application_id: int) -> Application:
    application = (
        Application.objects.select_related("job", "job__employer", "graduate", "resume")
        .prefetch_related("events")
        .filter(pk=application_id)
        .first()
    )
    if application is None or not can_view_application(actor, application):
        raise NotFound
    return application


# --- Agreements --------------------------------------------------------------------------------------------


def agreement_parties_of(user: Any, agreement: Agreement) -> set[str]:
    """Which parties of an agreement a person may act for."""
    parties: set[str] = set()
    if not _signed_in(user):
        return parties
    if agreement.graduate_id == user.pk:
        parties.add(Agreement.Party.GRADUATE)
    if is_recruiter_of(user, agreement.employer_id):
        parties.add(Agreement.Party.EMPLOYER)
    if is_staff_of(user, agreement.university_id):
        parties.add(Agreement.Party.UNIVERSITY)
    return parties


def access_agreement(*, actor: Any, agreement_id: int) -> Agreement:
    agreement = (
        Agreement.objects.select_related("employer", "university", "graduate", "application__job")
        .prefetch_related("signatures")
        .filter(pk=agreement_id)
        .first()
    )
    if agreement is None or not (agreement_parties_of(actor, agreement) or is_platform_admin(actor)):
        raise NotFound
    return agreement


def agreements_of(*, actor: Any) -> QuerySet[Agreement]:
    if not _signed_in(actor):
        return Agreement.objects.none()
    employers = recruiter_employers(actor).values("pk")
    universities = staff_universities(actor).values("pk")
    return (
        Agreement.objects.filter(Q(graduate=actor) | Q(employer_id__in=employers) | Q(university_id__in=universities))
        .select_related("employer", "university", "graduate")
        .order_by("-created_at")
    )


def normalize_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())[:32]


def access_agreement_by_code(*, code: str) -> Agreement:
    """The public verification of an agreement by its code; a wrong code is "not found"."""
    agreement = (
        Agreement.objects.select_related("employer", "university", "graduate")
        .prefetch_related("signatures")
        .filter(code=normalize_code(code))
        .first()
    )
    if agreement is None:
        raise NotFound
    return agreement


# --- Graduates and the employment office ---------------------------------------------------------------------


def access_graduate_for_staff(*, actor: Any, graduate_id: int) -> Graduate:
    graduate = Graduate.objects.select_related("user", "university").filter(pk=graduate_id).first()
    if graduate is None or not is_staff_of(actor, graduate.university_id):
        raise NotFound
    return graduate


def graduates_of_university(*, university: Organization, status: str | None = None) -> QuerySet[Graduate]:
    qs = Graduate.objects.filter(university=university).select_related("user")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("status", "major", "real_name", "id")


@dataclass
class MajorRow:
    major: str
    registered: int
    applied: int
    offered: int
    signed: int


OFFERED = (Application.Status.OFFER, Application.Status.ACCEPTED)


def office_status_by_major(*, university: Organization, year: int | None = None) -> list[MajorRow]:
    """Per major: confirmed graduates, and how many applied, hold an offer, and signed an agreement."""
    graduates = Graduate.objects.filter(university=university, status=Graduate.Status.CONFIRMED)
    if year:
        graduates = graduates.filter(graduation_year=year)
    applied = Application.objects.filter(graduate=OuterRef("user_id"))
    rows = (
        graduates.values("major")
        .annotate(
            registered=Count("id"),
            applied=Count("id", filter=Q(Exists(applied))),
            offered=Count("id", filter=Q(Exists(applied.filter(status__in=OFFERED)))),
            signed=Count(
                "id",
                filter=Q(
                    Exists(Agreement.objects.filter(graduate=OuterRef("user_id"), status=Agreement.Status.SIGNED))
                ),
            ),
        )
        .order_by("-registered", "major")
    )
    return [MajorRow(**row) for row in rows]


@dataclass
class DestinationRow:
    graduate: Graduate
    destination: str
    employer: str
    job: str
    city: str
    agreement_number: str


def destination_report(*, university: Organization, year: int | None = None) -> list[DestinationRow]:
    """就业去向: for every confirmed graduate, signed (employer, job, city), offered, seeking, or not applied."""
    from django.utils.translation import gettext as _

    graduates = list(
        Graduate.objects.filter(university=university, status=Graduate.Status.CONFIRMED)
        .filter(**({"graduation_year": year} if year else {}))
        .order_by("major", "real_name", "id")
    )
    user_ids = [graduate.user_id for graduate in graduates]
    signed = {
        agreement.graduate_id: agreement
        for agreement in Agreement.objects.filter(graduate_id__in=user_ids, status=Agreement.Status.SIGNED)
        .select_related("employer", "application__job")
        .order_by("created_at")
    }
    statuses: dict[int, set[str]] = {}
    for graduate_id, status in Application.objects.filter(graduate_id__in=user_ids).values_list(
        "graduate_id", "status"
    ):
        statuses.setdefault(graduate_id, set()).add(status)
    rows = []
    for graduate in graduates:
        agreement = signed.get(graduate.user_id)
        if agreement is not None:
            rows.append(
                DestinationRow(
                    graduate,
                    _("签约就业"),
                    agreement.employer.name,
                    agreement.terms.get("job_title", ""),
                    agreement.terms.get("work_place", ""),
                    agreement.number,
                )
            )
            continue
        seen = statuses.get(graduate.user_id, set())
        if seen & set(OFFERED):
            destination = _("已获录用，待签约")
        elif seen:
            destination = _("求职中")
        else:
            destination = _("暂未求职")
        rows.append(DestinationRow(graduate, destination, "", "", "", ""))
    return rows


def shared_jobs_of(*, university: Organization) -> QuerySet[Job]:
    """The university's campus jobs and the jobs other universities share with it."""
    return (
        Job.objects.filter(Q(owner_university=university) | Q(shares__target_organization=university))
        .select_related("employer", "owner_university")
        .prefetch_related("shares__target_organization", "shares__target_region")
        .distinct()
        .order_by("-date_posted", "-id")
    )


def import_batches(*, actor: Any) -> QuerySet[ImportBatch]:
    return ImportBatch.objects.filter(created_by=actor).order_by("-created_at")


# --- Statistics ----------------------------------------------------------------------------------------------


@dataclass
class EmploymentStats:
    jobs_open: int
    jobs_new: int
    graduates: int
    graduates_new: int
    pushes_today: int
    push_recipients_today: int
    push_days: list[PushRun]


def employment_stats(*, days: int = 7) -> EmploymentStats:
    """The employment figures on /employment/ and /data/: open and new jobs, registered graduates (total, new),
    job pushes per day. Counting a million open jobs takes a while, so the figures are shared for
    ``CONTENT_CACHE_SECONDS`` (as the other dashboard figures are)."""
    key = f"employment:stats:v1:{days}:{timezone.localdate().isoformat()}"
    return content_cached(key, lambda: _employment_stats(days=days))


def _employment_stats(*, days: int) -> EmploymentStats:
    today = timezone.localdate()
    since = today - timedelta(days=days - 1)
    run = PushRun.objects.filter(day=today).first()
    return EmploymentStats(
        jobs_open=open_jobs(on=today).count(),
        jobs_new=open_jobs(on=today).filter(date_posted__gte=since).count(),
        graduates=Graduate.objects.count(),
        graduates_new=Graduate.objects.filter(created_at__date__gte=since).count(),
        pushes_today=run.pushes if run else 0,
        push_recipients_today=run.recipients if run else 0,
        push_days=list(PushRun.objects.order_by("-day")[:days]),
    )


def pushes_of(*, graduate: Graduate, limit: int = 50) -> QuerySet[JobPush]:
    return (
        JobPush.objects.filter(graduate=graduate).select_related("job", "job__employer").order_by("-day", "-id")[:limit]
    )
