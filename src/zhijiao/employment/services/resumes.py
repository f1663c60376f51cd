"""Resumes: versions with their entries, and the snapshot an application freezes."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from zhijiao.accounts.models import User
from zhijiao.core.errors import DomainError, NotFound

from ..models import Resume, ResumeEntry

RESUME_FIELDS = ("title", "full_name", "phone", "email", "objective", "summary", "privacy")


@transaction.atomic
def resume_save(*, owner: User, resume: Resume | None = None, **fields: Any) -> Resume:
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
def resume_copy(*, owner: User, resume: Resume, title: str) -> Resume:
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
def resume_delete(*, owner: User, resume: Resume) -> None:
    if resume.owner_id != owner.pk:
        raise NotFound
    if resume.applications.exists():
        raise DomainError("resume_in_use", _("这份简历已用于投递，不能删除；可以复制后修改"))
    resume.delete()


@transaction.atomic
def resume_entry_add(*, owner: User, resume: Resume, **fields: Any) -> ResumeEntry:
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
def resume_entry_remove(*, owner: User, entry_id: int) -> None:
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
