"""Aggregation: jobs imported from partner feeds and files (parsed and checked row by row in ``..imports``),
de-duplicated across sources, and recruiters' pushes of their own jobs."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from itertools import batched
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijiao.accounts.models import User
from zhijiao.core.actors import Actor, Origin
from zhijiao.core.audit import audit_actions
from zhijiao.core.services import audit_record
from zhijiao.orgs.models import Organization, Region
from zhijiao.orgs.selectors import is_platform_admin

from .. import selectors
from ..models import EmployerProfile, Job, JobArea, JobLocation, JobMajor, JobSource
from .indexing import enqueue_index
from .jobs import area_codes, dedup_key

# What the audit log calls the actions recorded here.
AUDIT_ACTIONS = audit_actions(
    {
        "employment.jobs.import": gettext_lazy("导入岗位"),
    }
)


IMPORT_CHUNK = 2000
MAX_STORED_ERRORS = 1000


def job_import_source(*, actor: Actor, campus: bool = False) -> tuple[str, Organization | None]:
    """Where imported jobs come from, decided by who imports them (the one rule the import page and the API share):
    platform admins and university employment staff import partner feeds, staff may instead import their
    university's campus jobs (``campus``); anyone else pushes their own employer's jobs. The source's kind and
    the university behind it: a staff member's feed import names their university as its source organisation too,
    so the jobs it brought in are listed on that office's page (``selectors.office_jobs_of``)."""
    university = selectors.staff_universities(actor).first()
    if university is not None:
        return (JobSource.Kind.UNIVERSITY if campus else JobSource.Kind.FEED), university
    if is_platform_admin(actor):
        return JobSource.Kind.FEED, None
    return JobSource.Kind.EMPLOYER, None


def _employers_for(rows: Sequence[Any], *, actor: User, source_kind: str) -> dict[str, int]:
    """Employer ids by credit code; employers a feed names for the first time are registered, pending review."""
    codes = sorted({row.credit_code for row in rows})
    found: dict[str, int] = {}
    for chunk in batched(codes, 500):
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
    rows: Sequence[Any], *, actor: User, source_kind: str, feed: str, source_org: Organization | None
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
    actor: User,
    rows: Sequence[tuple[int, dict[str, Any]]],
    feed: str,
    filename: str = "",
    campus: bool = False,
    source_kind: str | None = None,
    index: bool = True,
    origin: Origin | None = None,
) -> Any:
    """Import feed rows: every good row in, every bad one reported with its line and reasons (nothing half-written);
    a row equal to a known job (same employer, title, places, dates) adds its source to that job instead.

    The source follows from the importer (``job_import_source``); a command that names the ``source_kind`` it
    expects is refused when the importer's role gives another."""
    from ..imports import RowData, RowError, validate_row
    from ..models import ImportBatch

    if not selectors.can_import_jobs(actor):
        raise PermissionDenied(_("您无权导入岗位"))
    source_kind_of_actor, source_org = job_import_source(actor=actor, campus=campus)
    if source_kind is not None and source_kind != source_kind_of_actor:
        raise PermissionDenied(_("您无权导入岗位"))
    source_kind = source_kind_of_actor
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
    for chunk in batched(valid, IMPORT_CHUNK):
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
            for keys in batched(sorted({row.key for row in chunk}), 500):
                known.update(Job.objects.filter(dedup_key__in=list(keys)).values_list("dedup_key", "pk"))
            seen_sources: set[str] = set()
            for external_ids in batched([row.external_id for row in chunk if row.external_id], 500):
                seen_sources.update(
                    JobSource.objects.filter(
                        kind=source_kind, feed=feed, external_id__in=list(external_ids)
                    ).values_list("external_id", flat=True)
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
        for part in batched(new_ids, 1000):
            job_ids = list(part)
            transaction.on_commit(functools.partial(enqueue_index, job_ids))
    audit_record(
        action="employment.jobs.import",
        actor=actor,
        obj=batch,
        detail={"rows": len(rows), "created": created_count, "merged": merged_count, "errors": len(errors)},
        origin=origin,
    )
    batch.error_count = len(errors)  # type: ignore[attr-defined]
    return batch
