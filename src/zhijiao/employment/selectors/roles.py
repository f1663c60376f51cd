"""Who is who on the employment platform: recruiters of employers, employment staff of universities, the
reviewers of employers, and who manages a job. Each question is answered by one function."""

from __future__ import annotations

from django.db.models import QuerySet

from zhijiao.core.actors import Actor, signed_in
from zhijiao.orgs.models import Organization, Role
from zhijiao.orgs.selectors import has_role, is_platform_admin, organizations_where

from ..models import Job


def recruiter_employers(user: Actor | None) -> QuerySet[Organization]:
    """The employers a person recruits for."""
    return organizations_where(user, Role.RECRUITER).filter(kind=Organization.Kind.EMPLOYER)


def staff_universities(user: Actor | None) -> QuerySet[Organization]:
    """The universities whose employment office a person works in."""
    return organizations_where(user, Role.EMPLOYMENT_STAFF).filter(kind=Organization.Kind.UNIVERSITY)


def is_employer_reviewer(user: Actor | None) -> bool:
    """Platform admins and any university's employment staff verify employers; one verification counts for all."""
    return signed_in(user) and (is_platform_admin(user) or has_role(user, Role.EMPLOYMENT_STAFF))


def is_recruiter_of(user: Actor | None, employer: Organization | int) -> bool:
    employer_id = employer if isinstance(employer, int) else employer.pk
    return signed_in(user) and recruiter_employers(user).filter(pk=employer_id).exists()


def is_staff_of(user: Actor | None, university: Organization | int | None) -> bool:
    if university is None:
        return False
    university_id = university if isinstance(university, int) else university.pk
    return signed_in(user) and staff_universities(user).filter(pk=university_id).exists()


def can_manage_job(user: Actor | None, job: Job) -> bool:
    """The employer's recruiters; for a campus job also the posting university's employment staff."""
    return is_recruiter_of(user, job.employer_id) or is_staff_of(user, job.owner_university_id)
