"""Resumes: their owner's versions, and who else may read one."""

from __future__ import annotations

from django.db.models import QuerySet

from zhijiao.core.actors import Actor, signed_in
from zhijiao.core.errors import NotFound

from ..models import Application, EmployerProfile, Resume
from .roles import recruiter_employers


def resumes_of(*, user: Actor) -> QuerySet[Resume]:
    if not signed_in(user):
        return Resume.objects.none()
    return Resume.objects.filter(owner=user).order_by("-updated_at", "-id")


def can_view_resume(user: Actor, resume: Resume) -> bool:
    """Its owner; recruiters of an employer it was sent to; recruiters of any verified employer if shared so."""
    if not signed_in(user):
        return False
    if resume.owner_id == user.pk:
        return True
    employers = recruiter_employers(user)
    if Application.objects.filter(resume=resume, job__employer__in=employers).exists():
        return True
    return (
        resume.privacy == Resume.Privacy.VERIFIED_EMPLOYERS
        and employers.filter(employer_profile__status=EmployerProfile.Status.VERIFIED).exists()
    )


def access_resume(*, actor: Actor, resume_id: int) -> Resume:
    resume = Resume.objects.prefetch_related("entries").filter(pk=resume_id).first()
    if resume is None or not can_view_resume(actor, resume):
        raise NotFound
    return resume


def access_own_resume(*, actor: Actor, resume_id: int) -> Resume:
    resume = Resume.objects.prefetch_related("entries").filter(pk=resume_id).first()
    if resume is None or not signed_in(actor) or resume.owner_id != actor.pk:
        raise NotFound
    return resume
