"""Jobs in the unified search (``employment.job``) with the job list's filters as tags.

Filters are exact tags, so ranges are stored as the values they satisfy:

- ``region``: every code containing a location (district, city, province), like organisations;
- ``education``: every level the job accepts (a 大专 job carries 2, 3, 4 and 5), so "我是本科" finds it;
- ``major``: the disciplines the job is open to (all of them when it names none);
- ``salary``: each step of ``SALARY_STEPS`` its upper bound reaches ("月薪 8000 以上");
- ``posted``: each "posted within N days" window it falls in on the day it is indexed; the daily refresh
  (``tasks.jobs_index_refresh``) re-indexes the jobs whose windows changed and drops the expired ones.

For jobs, the document's ``popularity`` is the monthly salary's upper bound, so the search's "popular" order is
the job list's "highest salary" order.
"""

from datetime import date, datetime, time
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhijiao.core.platforms import Platform
from zhijiao.orgs.models import Region
from zhijiao.orgs.selectors import region_names
from zhijiao.search.registry import PUBLIC, Document, DocumentType, FilterField

from .models import Discipline, Education, EmploymentType, Industry, Job
from .selectors import POSTED_WITHIN, SALARY_STEPS, restricted_job_universities


def search_sort(sort: str) -> str:
    """The unified search's sort for a job list sort."""
    return {"salary": "popular", "newest": "newest"}.get(sort, "relevance")


def _choices(choices: Any) -> Any:
    return lambda values: {str(value): label for value, label in choices}


def job_filter_values(job: Job, *, on: date) -> dict[str, str | list[str]]:
    codes: list[str] = []
    for location in job.locations.all():
        region: Region | None = location.region
        while region is not None:
            codes.append(region.code)
            region = region.parent
    majors = [major.discipline for major in job.majors.all()] or list(Discipline.values)
    age = (on - job.date_posted).days
    return {
        "region": list(dict.fromkeys(codes)),
        "industry": job.industry,
        "education": [str(level) for level in Education.values if level >= max(job.education, 2)],
        "major": majors,
        "salary": [str(step) for step in SALARY_STEPS if job.salary_max >= step],
        "employment_type": job.employment_type,
        "posted": [str(days) for days in POSTED_WITHIN if 0 <= age < days],
    }


def place_names(job: Job) -> list[str]:
    """Every location's province, city and district names ("北京市 海淀区"), without the placeholder 市辖区."""
    names: list[str] = []
    for location in job.locations.all():
        region: Region | None = location.region
        while region is not None:
            if region.name not in ("市辖区", "县") and region.name not in names:
                names.append(region.name)
            region = region.parent
    return names


class JobDocuments(DocumentType):
    kind = "employment.job"
    model = Job
    label = _("岗位")
    filters = (
        FilterField("region", _("地区"), region_names),
        FilterField("industry", _("行业"), _choices(Industry.choices)),
        FilterField("education", _("学历"), _choices(Education.choices)),
        FilterField("major", _("专业门类"), _choices(Discipline.choices)),
        FilterField("salary", _("月薪不低于"), lambda values: {value: f"{int(value):,}" for value in values}),
        FilterField("employment_type", _("工作性质"), _choices(EmploymentType.choices)),
        FilterField(
            "posted", _("发布时间"), lambda values: {value: _("%(n)s 天内") % {"n": value} for value in values}
        ),
    )

    def queryset(self) -> QuerySet[Job]:
        return (
            Job.objects.filter(status=Job.Status.PUBLISHED)
            .select_related("employer", "employer__employer_profile")
            .prefetch_related("locations__region__parent__parent", "majors")
        )

    def to_document(self, job: Job) -> Document | None:
        today = timezone.localdate()
        if not job.is_open(on=today):
            return None
        if job.is_public:
            visibility: str | list[str] = PUBLIC
        else:
            visibility = [f"org:{org_id}" for org_id in restricted_job_universities(job)]
            if not visibility:
                return None
        places = " ".join(place_names(job))
        body = "\n".join(
            [
                job.employer.name,
                places,
                str(Industry(job.industry).label),
                str(job.get_occupation_display()),
                str(Education(job.education).label),
                job.description,
            ]
        )
        return Document(
            kind=self.kind,
            object_id=str(job.pk),
            title=f"{job.title} {job.employer.name}",
            body=body,
            platform=Platform.EMPLOYMENT,
            type_label=str(self.label),
            url=job.get_absolute_url(),
            filters=job_filter_values(job, on=today),
            date=timezone.make_aware(datetime.combine(job.date_posted, time(8))),
            popularity=float(job.salary_max),
            visibility=visibility,
        )
