"""Reads of the employment platform and its access checks, one module per sub-domain; each question is answered
by one function, and ``access_<entity>(actor=…, …)`` answers "not found" for both missing and forbidden, so nobody
learns what exists. This package entry is the public surface."""

from .agreements import (
    access_agreement,
    access_agreement_by_code,
    agreement_parties_of,
    agreement_verification,
    agreements_of,
    signature_is_valid,
    text_sha256,
)
from .applications import access_application, applications_for_job, applications_of_graduate, can_view_application
from .employers import (
    access_employer_profile_for_review,
    employer_can_publish,
    employer_profile_of,
    employer_review_queue,
)
from .feeds import can_import_jobs, import_batches
from .graduates import access_graduate_for_staff, can_import_roster, graduate_of, graduates_of_university
from .jobs import (
    POSTED_WITHIN,
    SALARY_STEPS,
    SORTS,
    JobQuery,
    JobResults,
    access_job,
    access_job_for_management,
    can_see_restricted_job,
    clean_job_query,
    job_search,
    job_shares_of,
    jobs_managed_by,
    open_jobs,
    restricted_job_universities,
)
from .office import OFFERED, DestinationRow, MajorRow, destination_report, office_jobs_of, office_status_by_major
from .push import access_push_stop, push_stop_signer, pushes_of
from .resumes import access_own_resume, access_resume, can_view_resume, resumes_of
from .roles import (
    can_manage_job,
    is_employer_reviewer,
    is_employment_staff,
    is_job_seeker,
    is_recruiter,
    is_recruiter_of,
    is_staff_of,
    may_recruit,
    recruiter_employers,
    staff_universities,
)
from .saved_searches import saved_searches_of
from .stats import EmploymentStats, employment_stats

__all__ = [
    "OFFERED",
    "POSTED_WITHIN",
    "SALARY_STEPS",
    "SORTS",
    "DestinationRow",
    "EmploymentStats",
    "JobQuery",
    "JobResults",
    "MajorRow",
    "access_agreement",
    "access_agreement_by_code",
    "access_application",
    "access_employer_profile_for_review",
    "access_graduate_for_staff",
    "access_job",
    "access_job_for_management",
    "access_own_resume",
    "access_push_stop",
    "access_resume",
    "agreement_parties_of",
    "agreement_verification",
    "agreements_of",
    "applications_for_job",
    "applications_of_graduate",
    "can_import_jobs",
    "can_import_roster",
    "can_manage_job",
    "can_see_restricted_job",
    "can_view_application",
    "can_view_resume",
    "clean_job_query",
    "destination_report",
    "employer_can_publish",
    "employer_profile_of",
    "employer_review_queue",
    "employment_stats",
    "graduate_of",
    "graduates_of_university",
    "import_batches",
    "is_employer_reviewer",
    "is_employment_staff",
    "is_job_seeker",
    "is_recruiter",
    "is_recruiter_of",
    "is_staff_of",
    "job_search",
    "job_shares_of",
    "jobs_managed_by",
    "may_recruit",
    "office_jobs_of",
    "office_status_by_major",
    "open_jobs",
    "push_stop_signer",
    "pushes_of",
    "recruiter_employers",
    "restricted_job_universities",
    "resumes_of",
    "saved_searches_of",
    "signature_is_valid",
    "staff_universities",
    "text_sha256",
]
