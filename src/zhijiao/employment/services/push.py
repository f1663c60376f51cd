"""Job push: a graduate's wishes, the daily set-based match of new jobs to them, the message listing the pushed
jobs, the one-click stop."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import groupby

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from zhijiao.notifications.services import Link, Message, notification_kinds, notify_many
from zhijiao.orgs.selectors import place_name

from .. import selectors
from ..models import Graduate, Job, JobLocation, JobPush, PushPreference
from .jobs import job_regions

# What the message centre calls the messages sent here.
NOTIFICATION_KINDS = notification_kinds(
    {
        "job_push": gettext_lazy("岗位推送"),
    }
)


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


def push_stop_token(graduate: Graduate) -> str:
    """The signed token of a graduate's one-click "stop pushing" link (works without signing in)."""
    return selectors.push_stop_signer().sign(str(graduate.pk))


@transaction.atomic
def push_stop(*, token: str) -> Graduate:
    """Stop job push for the graduate a signed link names."""
    graduate = selectors.access_push_stop(token=token)
    Graduate.objects.filter(pk=graduate.pk).update(push_enabled=False, updated_at=timezone.now())
    graduate.push_enabled = False
    return graduate


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


def _pushed_job_links(pushed: QuerySet[JobPush]) -> dict[int, tuple[int, Link]]:
    """Every job among ``pushed`` as the line its notification lists (title; employer · place · salary; its page),
    with its top salary for ordering. Two queries, whatever the number of recipients: the day's new jobs are few
    (thousands), the pushes many (a million in the benchmark)."""
    job_ids = pushed.values("job_id")
    places: dict[int, list[str]] = {}
    for job_id, county, city, province in JobLocation.objects.filter(job_id__in=job_ids).values_list(
        "job_id", "region__name", "region__parent__name", "region__parent__parent__name"
    ):
        places.setdefault(job_id, []).append(place_name(province, city, county))
    links = {}
    for job_id, title, employer, salary_min, salary_max in Job.objects.filter(pk__in=job_ids).values_list(
        "pk", "title", "employer__name", "salary_min", "salary_max"
    ):
        salary = _("%(low)s–%(high)s 元/月") % {"low": f"{salary_min:,}", "high": f"{salary_max:,}"}
        detail = " · ".join(part for part in (employer, "、".join(places.get(job_id, [])[:3]), salary) if part)
        url = reverse("employment:job_detail", args=[job_id])
        links[job_id] = (salary_max, Link(title=title, detail=detail, url=url))
    return links


def _push_messages(pushed: QuerySet[JobPush]) -> Iterator[Message]:
    """One message per recipient of today's pushes, listing and linking the jobs (best paid first), with a signed
    one-click stop link; streamed from the database, so memory does not grow with the number of recipients."""
    links = _pushed_job_links(pushed)
    title = _("为您推荐的新岗位")
    signer = selectors.push_stop_signer()
    rows = pushed.order_by("graduate_id", "job_id").values_list("graduate_id", "graduate__user_id", "job_id")
    for (graduate_id, user_id), group in groupby(rows.iterator(chunk_size=10_000), key=lambda row: row[:2]):
        jobs = sorted((links[job_id] for _g, _u, job_id in group if job_id in links), key=lambda item: -item[0])
        yield Message(
            user_id=user_id,
            title=title,
            body=ngettext(
                "今天有 %(n)s 个新岗位符合您的求职意向：",
                "今天有 %(n)s 个新岗位符合您的求职意向：",
                len(jobs),
            )
            % {"n": len(jobs)},
            url=reverse("employment:push_preferences"),
            links=[link for _salary, link in jobs],
            stop_url=reverse("employment:push_stop", args=[signer.sign(str(graduate_id))]),
        )


def push_daily(*, day: date | None = None, since: date | None = None, notify_graduates: bool = True) -> PushReport:
    """Match the jobs posted since yesterday to graduates' preferences, record the pushes, tell each recipient
    which jobs (each linked to its page) with a one-click stop link."""
    import time

    from django.db.models import Count, Max

    from ..models import PushRun

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
        pushed = JobPush.objects.filter(id__gt=before)
        totals = pushed.aggregate(n=Count("id"), people=Count("graduate_id", distinct=True))
        pushes, recipients = totals["n"], totals["people"]
        if notify_graduates and pushes:
            notify_many(kind="job_push", messages=_push_messages(pushed))
        seconds = time.monotonic() - started
        today = JobPush.objects.filter(day=day).aggregate(n=Count("id"), people=Count("graduate_id", distinct=True))
        PushRun.objects.update_or_create(
            day=day, defaults={"pushes": today["n"], "recipients": today["people"], "seconds": seconds}
        )
    return PushReport(day=day, pushes=pushes, recipients=recipients, seconds=seconds)
