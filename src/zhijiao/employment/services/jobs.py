"""Jobs: what one is made of, drafting, editing, publishing, closing, and a university sharing its campus jobs."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijiao.accounts.models import User
from zhijiao.core.errors import DomainError
from zhijiao.orgs.models import Organization, Region
from zhijiao.search.services import index_later

from .. import selectors
from ..models import Discipline, Job, JobArea, JobLocation, JobMajor, JobShare, JobSource
from .indexing import JOB_KIND, job_areas_refresh


@dataclass
class JobData:
    """What a job is made of, from a form, the API or a feed row."""

    title: str
    description: str
    region_codes: Sequence[str]
    industry: str
    occupation: str
    education: int
    disciplines: Sequence[str]
    salary_min: int
    salary_max: int
    headcount: int
    employment_type: str
    valid_through: date
    date_posted: date | None = None


def normalize_title(title: str) -> str:
    return "".join(title.split()).lower()


def dedup_key(
    *, employer_id: int, title: str, region_codes: Iterable[str], date_posted: date, valid_through: date
) -> str:
    """Same employer, title, places and dates: the same job, whichever source it came from."""
    parts = [
        str(employer_id),
        normalize_title(title),
        ",".join(sorted(set(region_codes))),
        str(date_posted),
        str(valid_through),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def job_regions(codes: Sequence[str]) -> tuple[list[Region], list[str]]:
    """The regions behind location codes, and the messages for unknown ones."""
    clean = [str(code).strip() for code in codes if str(code).strip()]
    if not clean:
        return [], [_("请至少选择一个工作地点")]
    found = Region.objects.in_bulk(clean)
    unknown = [code for code in clean if code not in found]
    if unknown:
        return [], [_("未知的地区代码：%(codes)s") % {"codes": _("、").join(unknown[:5])}]
    return [found[code] for code in dict.fromkeys(clean)], []


def area_codes(code: str) -> list[str]:
    """A location's code and its city's and province's (GB/T 2260 codes nest by digits)."""
    return list(dict.fromkeys([code, code[:4] + "00", code[:2] + "0000"]))


def _validate_job(data: JobData, *, today: date, check_dates: bool = True) -> tuple[list[Region], dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    regions, region_errors = job_regions(data.region_codes)
    if region_errors:
        errors["region_codes"] = region_errors
    if data.salary_min is not None and data.salary_max is not None and data.salary_min > data.salary_max:
        errors["salary_max"] = [_("月薪上限不能低于下限")]
    if check_dates and data.valid_through < today:
        errors["valid_through"] = [_("截止日期已过，请填写今天或以后的日期")]
    bad = [code for code in data.disciplines if code not in Discipline.values]
    if bad:
        errors["disciplines"] = [_("未知的学科门类：%(codes)s") % {"codes": _("、").join(bad)}]
    return regions, errors


def _write_places(job: Job, regions: Sequence[Region], disciplines: Sequence[str]) -> None:
    JobLocation.objects.filter(job=job).delete()
    JobArea.objects.filter(job=job).delete()
    JobMajor.objects.filter(job=job).delete()
    JobLocation.objects.bulk_create([JobLocation(job=job, region=region) for region in regions])
    codes = dict.fromkeys(code for region in regions for code in area_codes(region.code))
    JobArea.objects.bulk_create([JobArea(job=job, code=code, industry=job.industry) for code in codes])
    JobMajor.objects.bulk_create([JobMajor(job=job, discipline=code) for code in dict.fromkeys(disciplines)])
    job_areas_refresh(job_ids=[job.pk])


def _apply(job: Job, data: JobData) -> None:
    for name in (
        "title",
        "description",
        "industry",
        "occupation",
        "education",
        "salary_min",
        "salary_max",
        "headcount",
        "employment_type",
        "valid_through",
    ):
        setattr(job, name, getattr(data, name))
    job.title = job.title.strip()


def _save(job: Job, data: JobData, regions: Sequence[Region]) -> None:
    """The checked data onto the job, its duplicate key, the row, and its places and majors."""
    _apply(job, data)
    job.dedup_key = dedup_key(
        employer_id=job.employer_id,
        title=job.title,
        region_codes=[r.code for r in regions],
        date_posted=job.date_posted,
        valid_through=job.valid_through,
    )
    job.full_clean()
    job.save()
    _write_places(job, regions, data.disciplines)


@transaction.atomic
def job_create(
    *,
    actor: User,
    employer: Organization,
    data: JobData,
    university: Organization | None = None,
    publish: bool = False,
) -> Job:
    """A recruiter drafts a job for their employer (or university staff post a campus job for an employer)."""
    if university is not None:
        if not selectors.is_staff_of(actor, university):
            raise PermissionDenied(_("您不是该高校的就业工作人员"))
    elif not selectors.is_recruiter_of(actor, employer):
        raise PermissionDenied(_("您不是该单位的招聘人员"))
    today = timezone.localdate()
    regions, errors = _validate_job(data, today=today)
    if errors:
        raise ValidationError(errors)
    job = Job(employer=employer, created_by=actor, date_posted=data.date_posted or today, owner_university=university)
    _save(job, data, regions)
    JobSource.objects.create(
        job=job,
        kind=JobSource.Kind.UNIVERSITY if university else JobSource.Kind.EMPLOYER,
        organization=university or employer,
    )
    if publish:
        job_publish(actor=actor, job=job)
    return job


@transaction.atomic
def job_update(*, actor: User, job: Job, data: JobData) -> Job:
    """Those who manage a job change it; the index follows after commit."""
    if not selectors.can_manage_job(actor, job):
        raise PermissionDenied(_("您无权修改该岗位"))
    regions, errors = _validate_job(data, today=timezone.localdate())
    if errors:
        raise ValidationError(errors)
    _save(job, data, regions)
    index_later(JOB_KIND, job.pk)
    return job


@transaction.atomic
def job_publish(*, actor: User, job: Job) -> Job:
    """Publish a job; only verified employers' jobs go out, and never one past its closing date."""
    if not selectors.can_manage_job(actor, job):
        raise PermissionDenied(_("您无权发布该岗位"))
    if not selectors.employer_can_publish(job.employer):
        raise DomainError("employer_not_verified", _("单位资质通过审核后才能发布岗位"), status=403)
    if job.valid_through < timezone.localdate():
        raise ValidationError({"valid_through": [_("截止日期已过，请先修改截止日期")]})
    if job.status != Job.Status.PUBLISHED:
        if job.status == Job.Status.DRAFT:  # a draft goes out today, whenever it was written
            job.date_posted = max(job.date_posted, timezone.localdate())
        job.status = Job.Status.PUBLISHED
        job.save(update_fields=["status", "date_posted", "updated_at"])
        job_areas_refresh(job_ids=[job.pk])
    index_later(JOB_KIND, job.pk)
    return job


@transaction.atomic
def job_close(*, actor: User, job: Job) -> Job:
    if not selectors.can_manage_job(actor, job):
        raise PermissionDenied(_("您无权关闭该岗位"))
    job.status = Job.Status.CLOSED
    job.save(update_fields=["status", "updated_at"])
    job_areas_refresh(job_ids=[job.pk])
    index_later(JOB_KIND, job.pk)
    return job


@transaction.atomic
def job_share(
    *, actor: User, job: Job, target_organization: Organization | None = None, target_region: Region | None = None
) -> JobShare:
    """A university shares one of its campus jobs with another university or a region's universities."""
    if job.owner_university_id is None or not selectors.is_staff_of(actor, job.owner_university_id):
        raise PermissionDenied(_("只有发布该岗位的高校可以共享它"))
    if (target_organization is None) == (target_region is None):
        raise ValidationError({"target": [_("请选择一所高校或一个地区")]})
    if target_organization is not None and target_organization.kind != Organization.Kind.UNIVERSITY:
        raise ValidationError({"target": [_("只能共享给高校")]})
    if target_organization is not None and target_organization.pk == job.owner_university_id:
        raise ValidationError({"target": [_("不能共享给本校")]})
    share = JobShare(
        job=job,
        shared_by_id=job.owner_university_id,
        target_organization=target_organization,
        target_region=target_region,
    )
    share.full_clean()
    try:
        with transaction.atomic():
            share.save()
    except IntegrityError as exc:
        raise DomainError("already_shared", _("已经共享过了")) from exc
    index_later(JOB_KIND, job.pk)
    return share
