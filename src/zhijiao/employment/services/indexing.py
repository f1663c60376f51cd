"""Index upkeep: the job list's area rows (each job's listing state and dates copied onto them) and the
jobs' search documents, kept in step with every change."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from zhijiao.search.services import index_later

from ..models import EmployerProfile, Job, JobArea

JOB_KIND = "employment.job"


def job_reindex(*, job_id: int) -> None:
    """A job changed outside the services (a plain edit in the admin): its area rows and search document follow."""
    job_areas_refresh(job_ids=[job_id])
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


def enqueue_index(job_ids: list[int]) -> None:
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
