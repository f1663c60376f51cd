"""The university employment office: status by major, the destination report (就业去向), the office's jobs."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from zhijiao.orgs.models import Organization

from ..models import Agreement, Application, Graduate, Job, JobShare, JobSource


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


def office_jobs_of(*, university: Organization) -> QuerySet[Job]:
    """The jobs an employment office looks after: its campus jobs, the jobs its staff imported (from a feed or a
    file), and those other universities share with it or with a region it lies in. Each job carries
    ``office_sources``: its sources that name this university (what the office imported, by channel)."""
    code = university.region_id or ""
    around = {code, f"{code[:4]}00", f"{code[:2]}0000"} if len(code) == 6 else set()
    shared = JobShare.objects.filter(job=OuterRef("pk")).filter(
        Q(target_organization=university) | Q(target_region_id__in=around)
    )
    imported = JobSource.objects.filter(job=OuterRef("pk"), organization=university)
    return (
        Job.objects.filter(Q(owner_university=university) | Exists(shared) | Exists(imported))
        .select_related("employer", "owner_university")
        .prefetch_related(
            "shares__target_organization",
            "shares__target_region",
            Prefetch("sources", queryset=JobSource.objects.filter(organization=university), to_attr="office_sources"),
        )
        .order_by("-date_posted", "-id")
    )
