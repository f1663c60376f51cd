"""Every write of the employment platform: employers and their verification, jobs, graduates, resumes,
applications and their pipeline, three-party agreements, sharing, saved searches and job push."""

from __future__ import annotations

import functools
import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.signing import BadSignature, Signer
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijiao.core.errors import DomainError, NotFound
from zhijiao.core.identifiers import normalize_phone, normalize_uscc
from zhijiao.core.services import audit_record
from zhijiao.core.uploads import DOCUMENTS, check_upload
from zhijiao.notifications.services import notify
from zhijiao.orgs.models import Membership, Organization, Region, Role
from zhijiao.orgs.selectors import is_platform_admin
from zhijiao.search.registry import index_later

from .. import selectors
from ..models import (
    Agreement,
    AgreementSignature,
    Application,
    ApplicationEvent,
    Discipline,
    Education,
    EmployerProfile,
    Graduate,
    Job,
    JobArea,
    JobLocation,
    JobMajor,
    JobShare,
    JobSource,
    PushPreference,
    Resume,
    ResumeEntry,
    RosterEntry,
    SavedSearch,
)

JOB_KIND = "employment.job"
LICENCE_MAX_BYTES = 5 * 1024 * 1024
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud and typed without mistakes
CODE_LENGTH = 20


# --- Employers ---------------------------------------------------------------------------------------------


def licence_check(upload: UploadedFile) -> str:
    """A licence scan must be a PDF, PNG or JPEG (by its content, not its name) of at most 5 MB; its extension."""
    found = check_upload(upload, allowed=DOCUMENTS, max_bytes=LICENCE_MAX_BYTES, field="licence")
    return found.extensions[0].lstrip(".")


def _credit_code(raw: str) -> tuple[str, bool]:
    """The code to keep and whether it needs a person to check it: a bad check character is a typo or an old
    licence far more often than a fake, so it goes to manual review; a code of the wrong shape is refused."""
    try:
        return normalize_uscc(raw), False
    except ValidationError as exc:
        code = "".join(ch for ch in (raw or "").upper() if ch.isalnum())
        if exc.code == "uscc_checksum" and len(code) == 18:
            return code, True
        raise ValidationError({"credit_code": list(exc.messages)}) from exc


@transaction.atomic
def employer_register(
    *,
    user: Any,
    name: str,
    credit_code: str,
    region_code: str,
    contact_name: str,
    contact_phone: str,
    contact_email: str = "",
    licence: UploadedFile | None = None,
    description: str = "",
) -> EmployerProfile:
    """An employer signs up: its organisation, the registering person as its recruiter, and a pending review."""
    errors: dict[str, list[str]] = {}
    code, manual = "", False
    try:
        code, manual = _credit_code(credit_code)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if code and (
        Organization.objects.filter(uscc=code).exists() or EmployerProfile.objects.filter(credit_code=code).exists()
    ):
        errors["credit_code"] = [_("该统一社会信用代码已注册，请联系单位已有的招聘人员")]
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        errors["region_code"] = [_("未知的地区代码")]
    try:
        phone = normalize_phone(contact_phone)
    except ValidationError as exc:
        errors["contact_phone"] = list(exc.messages)
    if licence is None:
        errors["licence"] = [_("请上传营业执照扫描件")]
    else:
        try:
            licence_check(licence)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if not name.strip():
        errors["name"] = [_("请填写单位名称")]
    if errors:
        raise ValidationError(errors)
    organization = Organization(
        kind=Organization.Kind.EMPLOYER,
        name=name.strip(),
        region=region,
        uscc=None if manual else code,
        description=description,
    )
    organization.full_clean()
    organization.save()
    membership = Membership(user=user, organization=organization, role=Role.RECRUITER, title=_("招聘负责人"))
    membership.full_clean()
    membership.save()
    profile = EmployerProfile(
        organization=organization,
        credit_code=code,
        needs_manual_review=manual,
        contact_name=contact_name.strip(),
        contact_phone=phone,
        contact_email=contact_email.strip(),
    )
    assert licence is not None
    profile.licence.save(f"{code}.{licence_check(licence)}", licence, save=False)
    profile.full_clean()
    profile.save()
    audit_record(action="employment.employer.register", actor=user, obj=profile, detail={"manual": manual})
    return profile


def _notify_recruiters(organization: Organization, *, title: str, body: str, url: str, kind: str) -> None:
    for membership in Membership.objects.filter(
        organization=organization, role=Role.RECRUITER, is_active=True
    ).select_related("user"):
        notify(user=membership.user, title=title, body=body, url=url, kind=kind)


def _reindex_employer_jobs(organization: Organization) -> None:
    job_areas_refresh(employer_id=organization.pk)
    for job_id in Job.objects.filter(employer=organization, status=Job.Status.PUBLISHED).values_list("pk", flat=True):
        index_later(JOB_KIND, job_id)


def job_areas_refresh(*, job_ids: Sequence[int] | None = None, employer_id: int | None = None) -> int:
    """Copy the listing state (published, public, verified employer) and the dates of jobs onto their area rows,
    the job list's index. Called by every service that changes one of them; returns the area rows updated."""
    if job_ids is None and employer_id is None:
        raise ValueError("job_ids or employer_id")
    job = Job.objects.filter(pk=OuterRef("job_id"))
    values = {
        "listed": Exists(
            job.filter(
                status=Job.Status.PUBLISHED,
                is_public=True,
                employer__employer_profile__status=EmployerProfile.Status.VERIFIED,
            )
        ),
        "date_posted": Subquery(job.values("date_posted")[:1]),
        "valid_through": Subquery(job.values("valid_through")[:1]),
    }
    if employer_id is not None:
        return JobArea.objects.filter(job__employer_id=employer_id).update(**values)
    ids = list(job_ids or [])
    return sum(
        JobArea.objects.filter(job_id__in=ids[start : start + 2000]).update(**values)
        for start in range(0, len(ids), 2000)
    )


@transaction.atomic
def employer_review(*, actor: Any, profile: EmployerProfile, approve: bool, reason: str = "") -> EmployerProfile:
    """Staff verify an employer (trusted by every university) or reject it with a reason."""
    if not selectors.is_employer_reviewer(actor):
        raise PermissionDenied(_("只有平台管理员或高校就业工作人员可以审核用人单位"))
    profile = EmployerProfile.objects.select_for_update().select_related("organization").get(pk=profile.pk)
    if profile.status not in (EmployerProfile.Status.PENDING, EmployerProfile.Status.REJECTED):
        raise DomainError("already_reviewed", _("该单位已审核"))
    if not approve and not reason.strip():
        raise ValidationError({"reason": [_("请填写不通过的原因")]})
    profile.status = EmployerProfile.Status.VERIFIED if approve else EmployerProfile.Status.REJECTED
    profile.rejection_reason = "" if approve else reason.strip()
    profile.reviewed_by = actor
    profile.reviewed_at = timezone.now()
    profile.full_clean()
    profile.save()
    Organization.objects.filter(pk=profile.organization_id).update(is_verified=approve)
    _reindex_employer_jobs(profile.organization)
    audit_record(
        action="employment.employer.approve" if approve else "employment.employer.reject",
        actor=actor,
        obj=profile,
        detail={"reason": profile.rejection_reason},
    )
    if approve:
        title, body = _("单位资质审核已通过"), _("您的单位已通过认证，可以发布岗位了。")
    else:
        title = _("单位资质审核未通过")
        body = _("原因：%(reason)s。请修改后重新提交。") % {"reason": profile.rejection_reason}
    _notify_recruiters(
        profile.organization, title=title, body=body, url=reverse("employment:employer_home"), kind="employer"
    )
    return profile


@transaction.atomic
def employer_suspend(*, actor: Any, profile: EmployerProfile, reason: str, suspend: bool = True) -> EmployerProfile:
    """Staff suspend a verified employer (its jobs disappear at once) or reinstate it."""
    if not selectors.is_employer_reviewer(actor):
        raise PermissionDenied(_("只有平台管理员或高校就业工作人员可以暂停用人单位"))
    if suspend and not reason.strip():
        raise ValidationError({"reason": [_("请填写暂停的原因")]})
    profile = EmployerProfile.objects.select_for_update().select_related("organization").get(pk=profile.pk)
    expected = EmployerProfile.Status.VERIFIED if suspend else EmployerProfile.Status.SUSPENDED
    if profile.status != expected:
        raise DomainError("wrong_state", _("该单位当前状态不能执行此操作"))
    profile.status = EmployerProfile.Status.SUSPENDED if suspend else EmployerProfile.Status.VERIFIED
    profile.rejection_reason = reason.strip() if suspend else ""
    profile.reviewed_by = actor
    profile.reviewed_at = timezone.now()
    profile.save()
    Organization.objects.filter(pk=profile.organization_id).update(is_verified=not suspend)
    _reindex_employer_jobs(profile.organization)
    audit_record(
        action="employment.employer.suspend" if suspend else "employment.employer.reinstate",
        actor=actor,
        obj=profile,
        detail={"reason": reason},
    )
    return profile


# --- Jobs --------------------------------------------------------------------------------------------------


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
        return [], [_("未知的地区代码：%(codes)s") % {"codes": "、".join(unknown[:5])}]
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
        errors["disciplines"] = [_("未知的学科门类：%(codes)s") % {"codes": "、".join(bad)}]
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


@transaction.atomic
def job_create(
    *, actor: Any, employer: Organization, data: JobData, university: Organization | None = None, publish: bool = False
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
    _apply(job, data)
    job.dedup_key = dedup_key(
        employer_id=employer.pk,
        title=job.title,
        region_codes=[r.code for r in regions],
        date_posted=job.date_posted,
        valid_through=job.valid_through,
    )
    job.full_clean()
    job.save()
    _write_places(job, regions, data.disciplines)
    JobSource.objects.create(
        job=job,
        kind=JobSource.Kind.UNIVERSITY if university else JobSource.Kind.EMPLOYER,
        organization=university or employer,
    )
    if publish:
        job_publish(actor=actor, job=job)
    return job


@transaction.atomic
def job_update(*, actor: Any, job: Job, data: JobData) -> Job:
    """Those who manage a job change it; the index follows after commit."""
    if not selectors.can_manage_job(actor, job):
        raise PermissionDenied(_("您无权修改该岗位"))
    regions, errors = _validate_job(data, today=timezone.localdate())
    if errors:
        raise ValidationError(errors)
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
    index_later(JOB_KIND, job.pk)
    return job


@transaction.atomic
def job_publish(*, actor: Any, job: Job) -> Job:
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
def job_close(*, actor: Any, job: Job) -> Job:
    if not selectors.can_manage_job(actor, job):
        raise PermissionDenied(_("您无权关闭该岗位"))
    job.status = Job.Status.CLOSED
    job.save(update_fields=["status", "updated_at"])
    job_areas_refresh(job_ids=[job.pk])
    index_later(JOB_KIND, job.pk)
    return job


@transaction.atomic
def job_share(
    *, actor: Any, job: Job, target_organization: Organization | None = None, target_region: Region | None = None
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


@transaction.atomic
def saved_search_create(*, user: Any, name: str, query: str) -> SavedSearch:
    """Keep a job search to run again."""
    if SavedSearch.objects.filter(user=user).count() >= 50:
        raise DomainError("too_many", _("最多保存 50 个搜索"))
    existing = SavedSearch.objects.filter(user=user, query=query[:500]).first()
    if existing is not None:
        return existing
    saved = SavedSearch(user=user, name=(name.strip() or query or _("全部岗位"))[:60], query=query[:500])
    saved.full_clean()
    saved.save()
    return saved


@transaction.atomic
def saved_search_delete(*, user: Any, saved_id: int) -> None:
    deleted, _rows = SavedSearch.objects.filter(user=user, pk=saved_id).delete()
    if not deleted:
        raise NotFound


# --- Graduates -----------------------------------------------------------------------------------------------


@transaction.atomic
def graduate_register(
    *,
    user: Any,
    university: Organization,
    graduation_year: int,
    real_name: str,
    major: str,
    discipline: str,
    education: int,
    student_number: str = "",
) -> Graduate:
    """A graduate registers with their university and year; its employment office confirms them."""
    if university.kind != Organization.Kind.UNIVERSITY:
        raise ValidationError({"university": [_("请选择一所高校")]})
    graduate = Graduate.objects.filter(user=user).first() or Graduate(user=user)
    if graduate.pk and graduate.status == Graduate.Status.CONFIRMED:
        raise DomainError("already_confirmed", _("学校已确认您的信息，如需修改请联系学校就业部门"))
    graduate.university = university
    graduate.graduation_year = graduation_year
    graduate.real_name = real_name.strip()
    graduate.major = major.strip()
    graduate.discipline = discipline
    graduate.education = education
    graduate.student_number = student_number.strip()
    graduate.status = Graduate.Status.PENDING
    entry = _roster_match(graduate)
    if entry is not None:  # on the university's own list: confirmed at once, with the list's details
        _take_roster_details(graduate, entry)
        graduate.status = Graduate.Status.CONFIRMED
        graduate.confirmed_at = timezone.now()
        graduate.confirmed_by = entry.imported_by
    graduate.push_profile = push_profile_of(graduate) if graduate.pk else ""
    graduate.full_clean()
    graduate.save()
    return graduate


def _roster_match(graduate: Graduate) -> RosterEntry | None:
    if not graduate.student_number:
        return None
    entry = RosterEntry.objects.filter(
        university_id=graduate.university_id, student_number=graduate.student_number
    ).first()
    return entry if entry and entry.real_name == graduate.real_name else None


def _take_roster_details(graduate: Graduate, entry: RosterEntry) -> None:
    graduate.graduation_year = entry.graduation_year
    graduate.major = entry.major
    graduate.discipline = entry.discipline
    graduate.education = entry.education


ROSTER_MAX_BYTES = 10 * 1024 * 1024


@dataclass
class RosterReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    confirmed: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)


def can_import_roster(user: Any, university: Organization) -> bool:
    return selectors.is_staff_of(user, university.pk)


@transaction.atomic
def graduate_roster_import(*, actor: Any, university: Organization, data: bytes, filename: str) -> RosterReport:
    """A university's employment office imports its list of graduates (CSV/Excel: 学号, 姓名, 毕业年份, 专业,
    学科门类, 学历). Good rows are added or updated, each bad one is reported with its line; graduates already
    registered with a matching student number and name are confirmed (and told), and later registrations that
    match are confirmed at once."""
    from ..imports import FeedError, RowError, parse_roster, validate_roster_row

    if not can_import_roster(actor, university):
        raise PermissionDenied(_("只有本校就业工作人员可以导入毕业生名单"))
    if len(data) > ROSTER_MAX_BYTES:
        raise ValidationError({"file": [_("文件不能超过 %(mb)d MB") % {"mb": ROSTER_MAX_BYTES // 1024 // 1024}]})
    try:
        raw_rows = parse_roster(data, filename=filename)
    except FeedError as exc:
        raise ValidationError({"file": [str(exc)]}) from exc
    report = RosterReport(rows=len(raw_rows))
    this_year = timezone.localdate().year
    good: dict[str, Any] = {}
    for line, raw in raw_rows:
        row = validate_roster_row(line, raw, this_year=this_year)
        if isinstance(row, RowError):
            report.errors.append(row.as_dict())
        elif row.student_number in good:
            report.errors.append(
                {"line": line, "messages": [_("学号与第 %(line)d 行重复") % {"line": good[row.student_number].line}]}
            )
        else:
            good[row.student_number] = row
    existing = {
        entry.student_number: entry
        for chunk in _chunks(list(good))
        for entry in RosterEntry.objects.filter(university=university, student_number__in=list(chunk))
    }
    new, changed = [], []
    fields_ = ("real_name", "graduation_year", "major", "discipline", "education")
    for number, row in good.items():
        entry = existing.get(number)
        if entry is None:
            new.append(RosterEntry(university=university, student_number=number, imported_by=actor))
            entry = new[-1]
        else:
            changed.append(entry)
        for name in fields_:
            setattr(entry, name, getattr(row, name))
        entry.imported_by = actor
    RosterEntry.objects.bulk_create(new, batch_size=2000)
    RosterEntry.objects.bulk_update(changed, [*fields_, "imported_by", "updated_at"], batch_size=2000)
    report.created, report.updated = len(new), len(changed)
    pending = Graduate.objects.filter(
        university=university, status=Graduate.Status.PENDING, student_number__in=list(good)
    ).select_related("user")
    confirmed = []
    now = timezone.now()
    for graduate in pending:
        row = good[graduate.student_number]
        if row.real_name != graduate.real_name:
            continue
        _take_roster_details(
            graduate, existing.get(row.student_number) or RosterEntry(**{n: getattr(row, n) for n in fields_})
        )
        graduate.status, graduate.confirmed_by, graduate.confirmed_at = Graduate.Status.CONFIRMED, actor, now
        graduate.push_profile = push_profile_of(graduate)
        confirmed.append(graduate)
    Graduate.objects.bulk_update(
        confirmed,
        [
            "graduation_year",
            "major",
            "discipline",
            "education",
            "status",
            "confirmed_by",
            "confirmed_at",
            "push_profile",
        ],
        batch_size=1000,
    )
    report.confirmed = len(confirmed)
    for graduate in confirmed:
        notify(
            user=graduate.user,
            title=_("学校已确认您的毕业生信息"),
            body=_("%(university)s %(year)s 届") % {"university": university.name, "year": graduate.graduation_year},
            url=reverse("employment:graduate_home"),
            kind="graduate",
        )
    audit_record(
        action="employment.roster.import",
        actor=actor,
        obj=university,
        detail={
            "rows": report.rows,
            "created": report.created,
            "updated": report.updated,
            "confirmed": report.confirmed,
            "errors": len(report.errors),
        },
    )
    return report


@transaction.atomic
def graduate_confirm(*, actor: Any, graduate: Graduate, approve: bool = True) -> Graduate:
    """The university's employment office confirms (or turns down) a graduate's registration."""
    if not selectors.is_staff_of(actor, graduate.university_id):
        raise PermissionDenied(_("只有本校就业工作人员可以确认毕业生"))
    graduate.status = Graduate.Status.CONFIRMED if approve else Graduate.Status.REJECTED
    graduate.confirmed_by = actor
    graduate.confirmed_at = timezone.now()
    graduate.save(update_fields=["status", "confirmed_by", "confirmed_at", "updated_at"])
    audit_record(
        action="employment.graduate.confirm" if approve else "employment.graduate.reject", actor=actor, obj=graduate
    )
    notify(
        user=graduate.user,
        title=_("学校已确认您的毕业生信息") if approve else _("学校未确认您的毕业生信息"),
        body=_("%(university)s %(year)s 届")
        % {"university": graduate.university.name, "year": graduate.graduation_year},
        url=reverse("employment:graduate_home"),
        kind="graduate",
    )
    return graduate


@transaction.atomic
def push_preferences_update(
    *,
    graduate: Graduate,
    region_codes: Sequence[str],
    industries: Sequence[str],
    occupations: Sequence[str],
    salary_min: int | None,
    enabled: bool = True,
) -> Graduate:
    """A graduate says what jobs to push: cities, industries, occupations, a salary floor."""
    regions, region_errors = job_regions(region_codes) if region_codes else ([], [])
    if region_errors:
        raise ValidationError({"region_codes": region_errors})
    PushPreference.objects.filter(graduate=graduate).delete()
    rows = [PushPreference(graduate=graduate, kind=PushPreference.Kind.REGION, value=r.code) for r in regions]
    rows += [
        PushPreference(graduate=graduate, kind=PushPreference.Kind.INDUSTRY, value=v) for v in dict.fromkeys(industries)
    ]
    rows += [
        PushPreference(graduate=graduate, kind=PushPreference.Kind.OCCUPATION, value=v)
        for v in dict.fromkeys(occupations)
    ]
    PushPreference.objects.bulk_create(rows)
    graduate.push_enabled = enabled
    graduate.push_salary_min = salary_min
    graduate.has_region_pref = bool(regions)
    graduate.has_industry_pref = bool(industries)
    graduate.has_occupation_pref = bool(occupations)
    graduate.push_profile = push_profile_of(graduate)
    graduate.full_clean()
    graduate.save()
    return graduate


def _push_signer() -> Signer:
    return Signer(salt="employment.push.stop")


def push_stop_token(graduate: Graduate) -> str:
    """The signed token of a graduate's one-click "stop pushing" link (works without signing in)."""
    return _push_signer().sign(str(graduate.pk))


@transaction.atomic
def push_stop(*, token: str) -> Graduate:
    """Stop job push for the graduate a signed link names."""
    try:
        graduate_id = int(_push_signer().unsign(token))
    except (BadSignature, ValueError) as exc:
        raise NotFound from exc
    graduate = Graduate.objects.filter(pk=graduate_id).first()
    if graduate is None:
        raise NotFound
    Graduate.objects.filter(pk=graduate.pk).update(push_enabled=False, updated_at=timezone.now())
    graduate.push_enabled = False
    return graduate


# --- Resumes -----------------------------------------------------------------------------------------------


RESUME_FIELDS = ("title", "full_name", "phone", "email", "objective", "summary", "privacy")


@transaction.atomic
def resume_save(*, owner: Any, resume: Resume | None = None, **fields: Any) -> Resume:
    """Create or change a resume version's header (name, contacts, objective, summary, privacy)."""
    if resume is None:
        if Resume.objects.filter(owner=owner).count() >= 10:
            raise DomainError("too_many", _("最多保存 10 份简历"))
        resume = Resume(owner=owner)
    elif resume.owner_id != owner.pk:
        raise NotFound
    for name in RESUME_FIELDS:
        if name in fields:
            setattr(resume, name, fields[name])
    resume.full_clean()
    resume.save()
    return resume


@transaction.atomic
def resume_copy(*, owner: Any, resume: Resume, title: str) -> Resume:
    """A new version starting from an existing one."""
    if resume.owner_id != owner.pk:
        raise NotFound
    copy = resume_save(owner=owner, **{name: getattr(resume, name) for name in RESUME_FIELDS} | {"title": title})
    ResumeEntry.objects.bulk_create(
        [
            ResumeEntry(
                resume=copy,
                section=e.section,
                title=e.title,
                subtitle=e.subtitle,
                start=e.start,
                end=e.end,
                detail=e.detail,
                position=e.position,
            )
            for e in resume.entries.all()
        ]
    )
    return copy


@transaction.atomic
def resume_delete(*, owner: Any, resume: Resume) -> None:
    if resume.owner_id != owner.pk:
        raise NotFound
    if resume.applications.exists():
        raise DomainError("resume_in_use", _("这份简历已用于投递，不能删除；可以复制后修改"))
    resume.delete()


@transaction.atomic
def resume_entry_add(*, owner: Any, resume: Resume, **fields: Any) -> ResumeEntry:
    """Add a school, internship, project, skill, award or certificate to a resume."""
    if resume.owner_id != owner.pk:
        raise NotFound
    position = resume.entries.filter(section=fields.get("section")).count()
    entry = ResumeEntry(resume=resume, position=position, **fields)
    entry.full_clean()
    entry.save()
    resume.save(update_fields=["updated_at"])
    return entry


@transaction.atomic
def resume_entry_remove(*, owner: Any, entry_id: int) -> None:
    deleted, _rows = ResumeEntry.objects.filter(pk=entry_id, resume__owner=owner).delete()
    if not deleted:
        raise NotFound


def resume_snapshot(resume: Resume) -> dict[str, Any]:
    """The resume as data, frozen into an application."""
    return {
        **{name: getattr(resume, name) for name in RESUME_FIELDS if name != "privacy"},
        "entries": [
            {
                "section": e.section,
                "title": e.title,
                "subtitle": e.subtitle,
                "start": e.start.isoformat() if e.start else "",
                "end": e.end.isoformat() if e.end else "",
                "detail": e.detail,
            }
            for e in resume.entries.all()
        ],
    }


# --- Applications ------------------------------------------------------------------------------------------

S = Application.Status
# Which statuses the employer may move an application to, from each status.
EMPLOYER_MOVES: dict[str, set[str]] = {
    S.SUBMITTED: {S.VIEWED, S.WRITTEN_TEST, S.INTERVIEW, S.OFFER, S.REJECTED},
    S.VIEWED: {S.WRITTEN_TEST, S.INTERVIEW, S.OFFER, S.REJECTED},
    S.WRITTEN_TEST: {S.WRITTEN_TEST, S.INTERVIEW, S.OFFER, S.REJECTED},
    S.INTERVIEW: {S.INTERVIEW, S.OFFER, S.REJECTED},
    S.OFFER: {S.REJECTED},
}
OPEN_STATUSES = {S.SUBMITTED, S.VIEWED, S.WRITTEN_TEST, S.INTERVIEW, S.OFFER}


@transaction.atomic
def application_submit(*, graduate: Any, job: Job, resume: Resume, cover_letter: str = "") -> Application:
    """A graduate applies to an open job with one of their resumes; once per job."""
    if resume.owner_id != graduate.pk:
        raise NotFound
    if not job.is_open(on=timezone.localdate()):
        raise DomainError("job_closed", _("该岗位已停止招聘"))
    if Application.objects.filter(graduate=graduate, job=job).exists():
        raise DomainError("already_applied", _("您已投递过该岗位"))
    application = Application(
        graduate=graduate,
        job=job,
        resume=resume,
        resume_snapshot=resume_snapshot(resume),
        cover_letter=cover_letter.strip(),
        status=S.SUBMITTED,
    )
    application.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:  # a double click raced past the check
        raise DomainError("already_applied", _("您已投递过该岗位")) from exc
    ApplicationEvent.objects.create(application=application, status=S.SUBMITTED, actor=graduate)
    _notify_recruiters(
        job.employer,
        title=_("收到新的简历：%(job)s") % {"job": job.title},
        body=_("%(name)s 投递了“%(job)s”。") % {"name": resume.full_name, "job": job.title},
        url=reverse("employment:job_pipeline", args=[job.pk]),
        kind="application",
    )
    return application


def _event(application: Application, *, status: str, actor: Any, **details: Any) -> ApplicationEvent:
    event = ApplicationEvent(application=application, status=status, actor=actor, **details)
    event.full_clean()
    event.save()
    application.status = status
    application.save(update_fields=["status", "updated_at"])
    return event


@transaction.atomic
def application_move(
    *,
    actor: Any,
    application: Application,
    status: str,
    scheduled_at: datetime | None = None,
    place: str = "",
    link: str = "",
    note: str = "",
) -> ApplicationEvent:
    """The employer moves an application along its pipeline; the graduate is told."""
    if not selectors.can_manage_job(actor, application.job):
        raise NotFound
    application = Application.objects.select_for_update().select_related("job").get(pk=application.pk)
    if status not in EMPLOYER_MOVES.get(application.status, set()):
        raise DomainError(
            "invalid_transition",
            _("不能从“%(old)s”变为“%(new)s”")
            % {"old": application.get_status_display(), "new": dict(S.choices).get(status, status)},
        )
    if status in (S.WRITTEN_TEST, S.INTERVIEW) and scheduled_at is None:
        raise ValidationError({"scheduled_at": [_("请填写笔试或面试的时间")]})
    if status in (S.WRITTEN_TEST, S.INTERVIEW) and not (place or link):
        raise ValidationError({"place": [_("请填写地点或线上链接")]})
    event = _event(
        application, status=status, actor=actor, scheduled_at=scheduled_at, place=place, link=link, note=note
    )
    label = dict(S.choices)[status]
    notify(
        user=application.graduate,
        title=_("“%(job)s”进展：%(status)s") % {"job": application.job.title, "status": label},
        body=note,
        url=application.get_absolute_url(),
        kind="application",
    )
    return event


@transaction.atomic
def application_withdraw(*, graduate: Any, application: Application, note: str = "") -> ApplicationEvent:
    """A graduate withdraws an application that is still open."""
    if application.graduate_id != graduate.pk:
        raise NotFound
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status not in OPEN_STATUSES:
        raise DomainError("invalid_transition", _("该投递已结束，不能撤回"))
    return _event(application, status=S.WITHDRAWN, actor=graduate, note=note)


@transaction.atomic
def application_respond(*, graduate: Any, application: Application, accept: bool) -> Application:
    """A graduate accepts an offer (which starts the three-party agreement) or declines it."""
    if application.graduate_id != graduate.pk:
        raise NotFound
    application = Application.objects.select_for_update().select_related("job__employer").get(pk=application.pk)
    if application.status != S.OFFER:
        raise DomainError("invalid_transition", _("只有收到录用通知后才能接受或婉拒"))
    if accept and Agreement.objects.filter(graduate=graduate, status=Agreement.Status.SIGNING).exists():
        raise DomainError("agreement_in_progress", _("您有正在签署的三方协议，请先完成或解约"))
    if accept and Agreement.objects.filter(graduate=graduate, status=Agreement.Status.SIGNED).exists():
        raise DomainError("already_signed", _("您已签订三方协议，如需另签请先解约"))
    _event(application, status=S.ACCEPTED if accept else S.DECLINED, actor=graduate)
    if accept:
        agreement_create(application=application)
    _notify_recruiters(
        application.job.employer,
        title=(_("毕业生已接受录用：%(job)s") if accept else _("毕业生婉拒了录用：%(job)s"))
        % {"job": application.job.title},
        body="",
        url=reverse("employment:job_pipeline", args=[application.job_id]),
        kind="application",
    )
    return application


# --- Agreements ----------------------------------------------------------------------------------------------

SIGNING_ORDER = (Agreement.Party.GRADUATE, Agreement.Party.EMPLOYER, Agreement.Party.UNIVERSITY)


def new_code(length: int = CODE_LENGTH) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(length))


def agreement_terms(application: Application, graduate: Graduate) -> dict[str, Any]:
    """The parties' data and the job's terms that go into the agreement."""
    job = application.job
    employer = job.employer
    places = "、".join(location.region.name for location in job.locations.select_related("region"))
    profile = EmployerProfile.objects.filter(organization=employer).first()
    return {
        "graduate_name": graduate.real_name,
        "graduate_phone": application.resume_snapshot.get("phone", ""),
        "university": graduate.university.name,
        "major": graduate.major,
        "education": str(Education(graduate.education).label),
        "graduation_year": graduate.graduation_year,
        "employer": employer.name,
        "credit_code": employer.uscc or (profile.credit_code if profile else ""),
        "employer_contact": profile.contact_name if profile else "",
        "job_title": job.title,
        "work_place": places,
        "salary": f"{job.salary_min}-{job.salary_max}",
        "probation_months": 3 if job.employment_type == "FULL_TIME" else 0,
        "contract_years": 3 if job.employment_type == "FULL_TIME" else 1,
        "report_by": f"{graduate.graduation_year}-07-31",
        "extra": "",
    }


def agreement_text(*, number: str, terms: dict[str, Any]) -> str:
    """The canonical text of an agreement: the legal document itself, so it is in Chinese whatever the viewer's
    language and byte-for-byte the same on every render (its SHA-256 is what parties sign)."""
    t = terms
    lines = [
        "全国普通高等学校毕业生就业协议书（网签版）",
        f"协议编号：{number}",
        "",
        "甲方（用人单位）",
        f"  单位名称：{t['employer']}",
        f"  统一社会信用代码：{t['credit_code']}",
        f"  联系人：{t['employer_contact']}",
        "乙方（毕业生）",
        f"  姓名：{t['graduate_name']}",
        f"  毕业学校：{t['university']}",
        f"  专业：{t['major']}    学历：{t['education']}    毕业年份：{t['graduation_year']}",
        "丙方（学校）",
        f"  学校名称：{t['university']}（学生就业工作部门）",
        "",
        "一、甲方同意录用乙方，乙方愿意到甲方就业，丙方同意推荐乙方并按规定办理就业手续。",
        f"二、工作岗位：{t['job_title']}；工作地点：{t['work_place']}。",
        f"三、月薪（税前，人民币元）：{t['salary']}；试用期 {t['probation_months']} 个月，包含在劳动合同期限内。",
        f"四、甲方在乙方报到后一个月内与乙方签订劳动合同，合同期限 {t['contract_years']} 年；"
        f"乙方应于 {t['report_by']} 前报到。",
        "五、乙方未取得毕业资格的，甲方有权解除本协议。",
        "六、任何一方解除本协议，应书面说明理由并经三方确认；解约记录在本平台存档。",
        f"七、其他约定：{t['extra'] or '无'}",
        "八、本协议经三方在线签署后生效。各方签署时已确认本文本内容；签署后文本发生任何变更，原签署即失效。",
    ]
    return "\n".join(lines) + "\n"


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def agreement_create(*, application: Application) -> Agreement:
    """Draw up the agreement of an accepted offer from the template with the three parties' data."""
    graduate = Graduate.objects.select_related("university").filter(user_id=application.graduate_id).first()
    if graduate is None or graduate.status != Graduate.Status.CONFIRMED:
        raise DomainError("graduate_not_confirmed", _("学校确认您的毕业生信息后才能签订三方协议"))
    number = f"{timezone.localdate():%Y%m%d}{secrets.randbelow(10**8):08d}"
    terms = agreement_terms(application, graduate)
    text = agreement_text(number=number, terms=terms)
    agreement = Agreement(
        application=application,
        number=number,
        code=new_code(),
        graduate_id=application.graduate_id,
        employer=application.job.employer,
        university=graduate.university,
        terms=terms,
        text=text,
        text_sha256=text_sha256(text),
    )
    agreement.full_clean()
    agreement.save()
    notify(
        user=application.graduate,
        title=_("三方协议已生成，请审阅并签署"),
        body=_("协议编号 %(number)s") % {"number": number},
        url=agreement.get_absolute_url(),
        kind="agreement",
    )
    return agreement


def live_signatures(agreement: Agreement) -> list[AgreementSignature]:
    return [s for s in agreement.signatures.all() if s.voided_at is None]


def next_party(agreement: Agreement) -> str | None:
    """Whose turn it is to sign: graduate, then employer, then university."""
    if agreement.status != Agreement.Status.SIGNING:
        return None
    signed = {s.party for s in live_signatures(agreement)}
    return next((party for party in SIGNING_ORDER if party not in signed), None)


@transaction.atomic
def agreement_sign(*, actor: Any, agreement: Agreement, password: str, text_sha256_seen: str) -> AgreementSignature:
    """A party signs after reading the text and entering their password again; the signature binds the text's hash."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    parties = selectors.agreement_parties_of(actor, agreement)
    if not parties:
        raise NotFound
    party = next_party(agreement)
    if party is None or party not in parties:
        raise DomainError("not_your_turn", _("现在还不是您签署的时候"))
    if not password or not actor.check_password(password):
        audit_record(action="employment.agreement.sign", actor=actor, obj=agreement, result="failure")
        raise ValidationError({"password": [_("密码不正确")]})
    if text_sha256_seen != agreement.text_sha256 or text_sha256(agreement.text) != agreement.text_sha256:
        raise DomainError("text_changed", _("协议内容已变更，请重新阅读后再签署"))
    name = actor.display_name or str(actor)
    if party == Agreement.Party.GRADUATE:
        name = agreement.terms.get("graduate_name", name)
    signature = AgreementSignature(
        agreement=agreement,
        party=party,
        signer=actor,
        signer_name=name,
        signed_at=timezone.now(),
        text_sha256=agreement.text_sha256,
    )
    signature.full_clean()
    signature.save()
    audit_record(action="employment.agreement.sign", actor=actor, obj=agreement, detail={"party": party})
    after = next_party(agreement)
    if after is None:
        agreement.status = Agreement.Status.SIGNED
        agreement.save(update_fields=["status", "updated_at"])
        notify(
            user=agreement.graduate,
            title=_("三方协议已签署完成"),
            body=_("验证码：%(code)s") % {"code": agreement.code},
            url=agreement.get_absolute_url(),
            kind="agreement",
        )
    else:
        _notify_party(agreement, after)
    return signature


def _notify_party(agreement: Agreement, party: str) -> None:
    title = _("三方协议等待您签署：%(number)s") % {"number": agreement.number}
    url = agreement.get_absolute_url()
    if party == Agreement.Party.EMPLOYER:
        _notify_recruiters(agreement.employer, title=title, body="", url=url, kind="agreement")
    elif party == Agreement.Party.UNIVERSITY:
        for membership in Membership.objects.filter(
            organization_id=agreement.university_id, role=Role.EMPLOYMENT_STAFF, is_active=True
        ).select_related("user"):
            notify(user=membership.user, title=title, body="", url=url, kind="agreement")
    else:
        notify(user=agreement.graduate, title=title, body="", url=url, kind="agreement")


@transaction.atomic
def agreement_amend(*, actor: Any, agreement: Agreement, extra: str) -> Agreement:
    """A party changes the other terms; every signature made on the old text is void and signing starts over."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not selectors.agreement_parties_of(actor, agreement):
        raise NotFound
    if agreement.status == Agreement.Status.TERMINATED:
        raise DomainError("terminated", _("协议已解约"))
    agreement.terms = {**agreement.terms, "extra": extra.strip()[:500]}
    agreement.text = agreement_text(number=agreement.number, terms=agreement.terms)
    agreement.text_sha256 = text_sha256(agreement.text)
    agreement.status = Agreement.Status.SIGNING
    agreement.save()
    voided = AgreementSignature.objects.filter(agreement=agreement, voided_at__isnull=True).update(
        voided_at=timezone.now()
    )
    audit_record(action="employment.agreement.amend", actor=actor, obj=agreement, detail={"voided": voided})
    _notify_party(agreement, Agreement.Party.GRADUATE)
    return agreement


@transaction.atomic
def agreement_terminate(*, actor: Any, agreement: Agreement, reason: str) -> Agreement:
    """解约: a party ends the agreement with a written reason; the record stays and verification shows it."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not selectors.agreement_parties_of(actor, agreement) and not is_platform_admin(actor):
        raise NotFound
    if agreement.status == Agreement.Status.TERMINATED:
        raise DomainError("terminated", _("协议已解约"))
    if not reason.strip():
        raise ValidationError({"reason": [_("请填写解约原因")]})
    agreement.status = Agreement.Status.TERMINATED
    agreement.terminated_at = timezone.now()
    agreement.terminated_by = actor
    agreement.termination_reason = reason.strip()[:300]
    agreement.save()
    audit_record(action="employment.agreement.terminate", actor=actor, obj=agreement, detail={"reason": reason})
    notify(
        user=agreement.graduate,
        title=_("三方协议已解约：%(number)s") % {"number": agreement.number},
        body=agreement.termination_reason,
        url=agreement.get_absolute_url(),
        kind="agreement",
    )
    return agreement


def signature_is_valid(agreement: Agreement, signature: AgreementSignature) -> bool:
    """A signature holds when it was not voided and the text it signed is the text as it is now."""
    return signature.voided_at is None and signature.text_sha256 == text_sha256(agreement.text)


# --- Job push ------------------------------------------------------------------------------------------------

PUSH_PER_GRADUATE = 10

# One statement matches the new jobs to every graduate who wants pushes. Graduates with the same wishes share a
# push profile, so jobs are ranked once per profile: the profile's region preferences (or, without any, the
# university's province) joined by equality to the new jobs' location codes at every level, then education,
# discipline, industry, occupation and salary as conditions; the best paid PUSH_PER_GRADUATE per profile go to
# each of its graduates, never a job pushed to them before.
PUSH_SQL = """
WITH new_jobs AS MATERIALIZED (
    SELECT j.id, j.education, j.industry, j.occupation, j.salary_max,
           NOT EXISTS (SELECT 1 FROM employment_jobmajor m WHERE m.job_id = j.id) AS any_major
    FROM employment_job j
    JOIN employment_employerprofile e ON e.organization_id = j.employer_id
    WHERE j.status = 'published' AND e.status = 'verified' AND j.is_public
      AND j.date_posted >= %(since)s AND j.date_posted <= %(day)s AND j.valid_through >= %(day)s
),
new_areas AS MATERIALIZED (
    SELECT a.code, a.job_id FROM employment_jobarea a JOIN new_jobs n ON n.id = a.job_id
),
new_majors AS MATERIALIZED (
    SELECT m.job_id, m.discipline FROM employment_jobmajor m JOIN new_jobs n ON n.id = m.job_id
),
profiles AS MATERIALIZED (
    SELECT push_profile, MIN(id) AS graduate_id FROM employment_graduate
    WHERE push_enabled AND status = 'confirmed' AND push_profile <> ''
    GROUP BY push_profile
),
wanted AS MATERIALIZED (
    SELECT pr.push_profile, p.value AS code
    FROM profiles pr JOIN employment_pushpreference p ON p.graduate_id = pr.graduate_id AND p.kind = 'region'
    UNION
    SELECT pr.push_profile, substr(o.region_id, 1, 2) || '0000'
    FROM profiles pr JOIN employment_graduate g ON g.id = pr.graduate_id
    JOIN orgs_organization o ON o.id = g.university_id
    WHERE NOT g.has_region_pref
),
pairs AS (
    SELECT DISTINCT w.push_profile, j.id AS job_id, j.salary_max
    FROM wanted w
    JOIN profiles pr ON pr.push_profile = w.push_profile
    JOIN employment_graduate g ON g.id = pr.graduate_id
    JOIN new_areas a ON a.code = w.code
    JOIN new_jobs j ON j.id = a.job_id
    WHERE j.education <= g.education
      AND (g.push_salary_min IS NULL OR j.salary_max >= g.push_salary_min)
      AND (NOT g.has_industry_pref OR EXISTS (SELECT 1 FROM employment_pushpreference q
           WHERE q.graduate_id = g.id AND q.kind = 'industry' AND q.value = j.industry))
      AND (NOT g.has_occupation_pref OR EXISTS (SELECT 1 FROM employment_pushpreference q
           WHERE q.graduate_id = g.id AND q.kind = 'occupation' AND q.value = j.occupation))
      AND (j.any_major OR EXISTS (SELECT 1 FROM new_majors m WHERE m.job_id = j.id AND m.discipline = g.discipline))
),
ranked AS MATERIALIZED (
    SELECT push_profile, job_id FROM (
        SELECT push_profile, job_id,
               ROW_NUMBER() OVER (PARTITION BY push_profile ORDER BY salary_max DESC, job_id) AS rn
        FROM pairs
    ) numbered WHERE rn <= %(limit)s
)
INSERT INTO employment_jobpush (graduate_id, job_id, day)
SELECT g.id, r.job_id, %(day)s
FROM ranked r JOIN employment_graduate g ON g.push_profile = r.push_profile
WHERE g.push_enabled AND g.status = 'confirmed'
  AND NOT EXISTS (SELECT 1 FROM employment_jobpush x WHERE x.graduate_id = g.id AND x.job_id = r.job_id)
"""


def push_profile_of(graduate: Graduate, preferences: Iterable[tuple[str, str]] | None = None) -> str:
    """The key shared by graduates who want exactly the same pushes."""
    if preferences is None:
        preferences = PushPreference.objects.filter(graduate=graduate).values_list("kind", "value")
    wants: dict[str, list[str]] = {}
    for kind, value in preferences:
        wants.setdefault(kind, []).append(value)
    regions = sorted(wants.get("region", [])) or [f"home:{graduate.university.region_id[:2]}"]
    parts = [
        ",".join(regions),
        ",".join(sorted(wants.get("industry", []))),
        ",".join(sorted(wants.get("occupation", []))),
        str(graduate.push_salary_min or ""),
        str(graduate.education),
        graduate.discipline,
    ]
    return hashlib.sha1("|".join(parts).encode(), usedforsecurity=False).hexdigest()


def push_profiles_fill(*, batch: int = 5000) -> int:
    """Give every graduate loaded without one (bulk imports, demo data) their push profile; how many were set."""
    filled = 0
    while True:
        graduates = list(
            Graduate.objects.filter(push_profile="")
            .select_related("university")
            .prefetch_related("preferences")[:batch]
        )
        if not graduates:
            return filled
        rows = [
            (push_profile_of(graduate, [(p.kind, p.value) for p in graduate.preferences.all()]), graduate.pk)
            for graduate in graduates
        ]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany("UPDATE employment_graduate SET push_profile = %s WHERE id = %s", rows)
        filled += len(graduates)


@dataclass
class PushReport:
    day: date
    pushes: int
    recipients: int
    seconds: float


def push_daily(*, day: date | None = None, since: date | None = None, notify_graduates: bool = True) -> PushReport:
    """Match the jobs posted since yesterday to graduates' preferences, record the pushes, tell each recipient."""
    import time

    from django.db.models import Count, Max

    from zhijiao.notifications.services import notify_many

    from ..models import JobPush, PushRun

    started = time.monotonic()
    day = day or timezone.localdate()
    since = since or (day - timedelta(days=1))
    push_profiles_fill()
    with transaction.atomic():
        before = JobPush.objects.aggregate(last=Max("id"))["last"] or 0
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # One large batch statement: let its sorts and hashes stay in memory instead of spilling to disk.
                cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute(PUSH_SQL, {"since": since, "day": day, "limit": PUSH_PER_GRADUATE})
        per_graduate = list(
            JobPush.objects.filter(id__gt=before)
            .values_list("graduate_id", "graduate__user_id")
            .annotate(n=Count("id"))
            .order_by("graduate_id")
        )
        pushes = sum(n for _g, _u, n in per_graduate)
        if notify_graduates and per_graduate:
            title = _("为您推荐的新岗位")
            url = reverse("employment:pushes")
            signer = _push_signer()
            notify_many(
                kind="job_push",
                messages=(
                    (
                        user_id,
                        title,
                        _("今天有 %(n)s 个新岗位符合您的求职意向。不想再收到推送？一键停止：%(stop)s")
                        % {"n": n, "stop": reverse("employment:push_stop", args=[signer.sign(str(graduate_id))])},
                        url,
                    )
                    for graduate_id, user_id, n in per_graduate
                ),
            )
        seconds = time.monotonic() - started
        today = JobPush.objects.filter(day=day).aggregate(n=Count("id"), people=Count("graduate_id", distinct=True))
        PushRun.objects.update_or_create(
            day=day, defaults={"pushes": today["n"], "recipients": today["people"], "seconds": seconds}
        )
    return PushReport(day=day, pushes=pushes, recipients=len(per_graduate), seconds=seconds)


# --- Index upkeep --------------------------------------------------------------------------------------------


def jobs_index_refresh(*, day: date | None = None) -> int:
    """Daily: re-index the jobs whose "posted within" windows changed and drop those that expired or closed."""
    from zhijiao.search.services import document_sync

    from ..selectors import POSTED_WITHIN

    day = day or timezone.localdate()
    crossing = [day - timedelta(days=n) for n in POSTED_WITHIN]
    ids = set(Job.objects.filter(date_posted__in=crossing).values_list("pk", flat=True))
    ids |= set(
        Job.objects.filter(valid_through__lt=day, valid_through__gte=day - timedelta(days=7)).values_list(
            "pk", flat=True
        )
    )
    ids |= set(Job.objects.filter(date_posted=day, status=Job.Status.PUBLISHED).values_list("pk", flat=True))
    for object_id in sorted(ids):
        document_sync(kind=JOB_KIND, object_id=str(object_id))
    return len(ids)


# --- Aggregation: feed imports -------------------------------------------------------------------------------

IMPORT_CHUNK = 2000
MAX_STORED_ERRORS = 1000


def can_import_jobs(user: Any) -> bool:
    """Platform admins and university employment staff import feeds; recruiters push their own employer's jobs."""
    return (
        is_platform_admin(user)
        or selectors.staff_universities(user).exists()
        or selectors.recruiter_employers(user).exists()
    )


def _chunks(items: Sequence[Any], size: int = 500) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _employers_for(rows: Sequence[Any], *, actor: Any, source_kind: str) -> dict[str, int]:
    """Employer ids by credit code; employers a feed names for the first time are registered, pending review."""
    codes = sorted({row.credit_code for row in rows})
    found: dict[str, int] = {}
    for chunk in _chunks(codes):
        found.update(
            (code, pk)
            for code, pk in Organization.objects.filter(uscc__in=list(chunk)).values_list("uscc", "pk")
            if code
        )
    if source_kind == JobSource.Kind.EMPLOYER:
        return found  # a recruiter's push never creates employers
    missing = {row.credit_code: row for row in rows if row.credit_code not in found}
    regions = Region.objects.in_bulk([row.region_codes[0] for row in missing.values()])
    names_taken = set()
    new_orgs = []
    for code, row in missing.items():
        name = row.employer_name or code
        key = (name, row.region_codes[0])
        if (
            key in names_taken
            or Organization.objects.filter(
                kind=Organization.Kind.EMPLOYER, name=name, region_id=row.region_codes[0]
            ).exists()
        ):
            name = f"{name}（{code[-6:]}）"
        names_taken.add(key)
        new_orgs.append(
            Organization(
                kind=Organization.Kind.EMPLOYER, name=name[:100], region=regions[row.region_codes[0]], uscc=code
            )
        )
    created = Organization.objects.bulk_create(new_orgs, batch_size=1000)
    EmployerProfile.objects.bulk_create(
        [
            EmployerProfile(organization=org, credit_code=org.uscc or "", contact_name="—", contact_phone="—")
            for org in created
        ],
        batch_size=1000,
    )
    found.update({org.uscc or "": org.pk for org in created})
    return found


def _write_rows(
    rows: Sequence[Any], *, actor: Any, source_kind: str, feed: str, source_org: Organization | None
) -> list[int]:
    """Insert the jobs of valid, not-yet-known rows with their places, majors and sources, in bulk."""
    jobs = [
        Job(
            employer_id=row.employer_id,
            title=row.title,
            description=row.description,
            industry=row.industry,
            occupation=row.occupation,
            education=row.education,
            salary_min=row.salary_min,
            salary_max=row.salary_max,
            headcount=row.headcount,
            employment_type=row.employment_type,
            date_posted=row.date_posted,
            valid_through=row.valid_through,
            status=Job.Status.PUBLISHED,
            owner_university=source_org if source_kind == JobSource.Kind.UNIVERSITY else None,
            dedup_key=row.key,
            created_by=actor,
        )
        for row in rows
    ]
    created = Job.objects.bulk_create(jobs, batch_size=1000)
    # The area rows carry the listing state (see job_areas_refresh), known here without asking per row: the jobs
    # are published and public, so they are listed when their employer is verified.
    verified = set(
        EmployerProfile.objects.filter(
            organization_id__in={job.employer_id for job in created}, status=EmployerProfile.Status.VERIFIED
        ).values_list("organization_id", flat=True)
    )
    locations, areas, majors = [], [], []
    for job, row in zip(created, rows, strict=True):
        for code in row.region_codes:
            locations.append(JobLocation(job_id=job.pk, region_id=code))
        codes = dict.fromkeys(area for location in row.region_codes for area in area_codes(location))
        listed = job.status == Job.Status.PUBLISHED and job.is_public and job.employer_id in verified
        areas += [
            JobArea(
                job_id=job.pk,
                code=code,
                industry=job.industry,
                listed=listed,
                date_posted=job.date_posted,
                valid_through=job.valid_through,
            )
            for code in codes
        ]
        majors += [JobMajor(job_id=job.pk, discipline=d) for d in row.disciplines]
    JobLocation.objects.bulk_create(locations, batch_size=5000)
    JobArea.objects.bulk_create(areas, batch_size=5000)
    JobMajor.objects.bulk_create(majors, batch_size=5000)
    return [job.pk for job in created]


def jobs_import(
    *,
    actor: Any,
    rows: Sequence[tuple[int, dict[str, Any]]],
    source_kind: str,
    feed: str,
    filename: str = "",
    source_org: Organization | None = None,
    index: bool = True,
) -> Any:
    """Import feed rows: every good row in, every bad one reported with its line and reasons (nothing half-written);
    a row equal to a known job (same employer, title, places, dates) adds its source to that job instead."""
    from ..imports import RowData, RowError, validate_row
    from ..models import ImportBatch

    if not can_import_jobs(actor):
        raise PermissionDenied(_("您无权导入岗位"))
    if source_kind == JobSource.Kind.UNIVERSITY and (
        source_org is None or not selectors.is_staff_of(actor, source_org)
    ):
        raise PermissionDenied(_("只有本校就业工作人员可以导入校园招聘岗位"))
    own_codes: set[str] = set()
    if source_kind == JobSource.Kind.EMPLOYER:
        own_codes = {code for code in selectors.recruiter_employers(actor).values_list("uscc", flat=True) if code}
    feed = (feed or "").strip()[:60] or str(JobSource.Kind(source_kind).label)
    today = timezone.localdate()
    regions = set(Region.objects.values_list("code", flat=True))
    errors: list[RowError] = []
    valid: list[RowData] = []
    for line, raw in rows:
        result = validate_row(line, raw, today=today, regions=regions)
        if isinstance(result, RowError):
            errors.append(result)
        elif source_kind == JobSource.Kind.EMPLOYER and result.credit_code not in own_codes:
            errors.append(RowError(line, [_("只能推送本单位的岗位")]))
        else:
            valid.append(result)
    created_count = merged_count = 0
    new_ids: list[int] = []
    for chunk in _chunks(valid, IMPORT_CHUNK):
        with transaction.atomic():
            employers = _employers_for(chunk, actor=actor, source_kind=source_kind)
            for row in chunk:
                row.employer_id = employers.get(row.credit_code)
                row.key = dedup_key(
                    employer_id=row.employer_id or 0,
                    title=row.title,
                    region_codes=row.region_codes,
                    date_posted=row.date_posted,
                    valid_through=row.valid_through,
                )
            known: dict[str, int] = {}
            for keys in _chunks(sorted({row.key for row in chunk})):
                known.update(Job.objects.filter(dedup_key__in=list(keys)).values_list("dedup_key", "pk"))
            seen_sources: set[str] = set()
            for ids in _chunks([row.external_id for row in chunk if row.external_id]):
                seen_sources.update(
                    JobSource.objects.filter(kind=source_kind, feed=feed, external_id__in=list(ids)).values_list(
                        "external_id", flat=True
                    )
                )
            fresh: list[RowData] = []
            merged: list[RowData] = []
            for row in chunk:
                if row.key in known:
                    merged.append(row)
                else:
                    fresh.append(row)
                    known[row.key] = -1  # a later row of this chunk with the same key merges into this one
            ids = _write_rows(fresh, actor=actor, source_kind=source_kind, feed=feed, source_org=source_org)
            for row, job_id in zip(fresh, ids, strict=True):
                known[row.key] = job_id
            new_ids += ids
            sources = []
            for row in fresh + merged:
                if row.external_id and row.external_id in seen_sources:
                    continue
                if row.external_id:
                    seen_sources.add(row.external_id)
                sources.append(
                    JobSource(
                        job_id=known[row.key],
                        kind=source_kind,
                        organization=source_org,
                        feed=feed,
                        external_id=row.external_id,
                    )
                )
            JobSource.objects.bulk_create(sources, batch_size=5000)
            created_count += len(fresh)
            merged_count += len(merged)
    batch = ImportBatch.objects.create(
        source_kind=source_kind,
        feed=feed,
        filename=filename[:200],
        rows=len(rows),
        created=created_count,
        merged=merged_count,
        errors=[error.as_dict() for error in errors[:MAX_STORED_ERRORS]],
        created_by=actor,
    )
    if index and new_ids:
        for part in _chunks(new_ids, 1000):
            job_ids = list(part)
            transaction.on_commit(functools.partial(_enqueue_index, job_ids))
    audit_record(
        action="employment.jobs.import",
        actor=actor,
        obj=batch,
        detail={"rows": len(rows), "created": created_count, "merged": merged_count, "errors": len(errors)},
    )
    batch.error_count = len(errors)  # type: ignore[attr-defined]
    return batch


def _enqueue_index(job_ids: list[int]) -> None:
    from ..tasks import index_jobs

    index_jobs.enqueue(job_ids=job_ids)


def jobs_index(*, job_ids: Sequence[int]) -> int:
    """Write the search documents of many jobs at once (after an import)."""
    from zhijiao.search.services import documents_write

    from ..search import JobDocuments

    doc_type = JobDocuments()
    documents = [
        document
        for job in doc_type.queryset().filter(pk__in=list(job_ids))
        if (document := doc_type.to_document(job)) is not None
    ]
    return documents_write(documents=documents)
