"""Who is who on the employment platform: recruiters of employers, employment staff of universities, the
reviewers of employers, and who manages a job. Each question is answered by one function."""

from __future__ import annotations

from django.db.models import QuerySet

from zhijiao.core.actors import Actor, signed_in
from zhijiao.orgs.models import Organization, Role
from zhijiao.orgs.selectors import held_memberships, is_platform_admin, organizations_where, organizations_with_role

from ..models import Job


def recruiter_employers(user: Actor | None) -> QuerySet[Organization]:
    """The employers a person recruits for."""
    return organizations_where(user, Role.RECRUITER).filter(kind=Organization.Kind.EMPLOYER)


def staff_universities(user: Actor | None) -> QuerySet[Organization]:
    """The universities whose employment office a person works in."""
    return organizations_where(user, Role.EMPLOYMENT_STAFF).filter(kind=Organization.Kind.UNIVERSITY)


def is_employment_staff(user: Actor | None) -> bool:
    """Whether a person works in some university's employment office (the office's pages: roster, imports, sharing)."""
    return bool(organizations_with_role(user, Role.EMPLOYMENT_STAFF, Organization.Kind.UNIVERSITY))


def is_recruiter(user: Actor | None) -> bool:
    """Whether a person recruits for some employer."""
    return bool(organizations_with_role(user, Role.RECRUITER, Organization.Kind.EMPLOYER))


# Who looks for a job here: students of universities and vocational colleges (graduates to be) and people who belong
# to no organisation yet (a graduate who registers on their own, an employer's contact before registering it).
_JOB_SEEKER_KINDS = frozenset({Organization.Kind.UNIVERSITY, Organization.Kind.VOCATIONAL})


def is_job_seeker(user: Actor | None) -> bool:
    """Whether the graduates' pages (profile, résumés, applications, push) are for this person."""
    return signed_in(user) and all(
        m.role == Role.STUDENT and m.organization.kind in _JOB_SEEKER_KINDS for m in held_memberships(user)
    )


def may_recruit(user: Actor | None) -> bool:
    """Whether the employers' pages are for this person: recruiters, and people of no organisation yet, who register
    their employer there."""
    return signed_in(user) and (is_recruiter(user) or not held_memberships(user))


def is_employer_reviewer(user: Actor | None) -> bool:
    """Platform admins and any university's employment staff verify employers; one verification counts for all."""
    return signed_in(user) and (is_platform_admin(user) or is_employment_staff(user))


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
