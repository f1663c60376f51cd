"""Writes of the case library: cases from accepted submissions, downloads (stamped), adoptions, 案例集, members."""

from __future__ import annotations

from datetime import date
from pathlib import PurePosixPath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijiao.accounts.models import User
from zhijiao.core.errors import DomainError
from zhijiao.core.uploads import PDF, VIDEO, Format, content_formats
from zhijiao.orgs.models import Organization
from zhijiao.orgs.selectors import held_memberships

from . import selectors
from .intake import clean_metadata
from .models import Case, CaseAuthor, CaseCollection, CaseCollectionItem, CaseUsageDay, LibraryMember
from .stamping import Stamp, stamp_pdf

KIND = "cases.case"
ATTACHMENT_FORMATS: dict[str, tuple[Format, ...]] = {"full_text": (PDF,), "teaching_note": (PDF,), "video": VIDEO}
COLLECTION_MAX = 200


def _index(case: Case) -> None:
    from zhijiao.search.services import index_later

    index_later(KIND, case.pk)
    from django.core.cache import cache

    transaction.on_commit(
        lambda: cache.delete_many(["cases:category_counts", "cases:type_counts", "cases:field_counts:"])
    )


def _attachment_file(attachment: Any) -> tuple[str, ContentFile[bytes]]:
    """(role, a copy of the file) for a submission's attachment whose content fits its role."""
    role = str(attachment.role)
    formats = ATTACHMENT_FORMATS[role]
    source = attachment.file
    source.open("rb")
    try:
        source.seek(0)
        found = [fmt for fmt in content_formats(source) if fmt in formats]
        source.seek(0)
        data = source.read()
    finally:
        source.close()
    if not found:
        raise ValidationError({role: [_("附件“%(name)s”的内容不是所需的格式") % {"name": attachment.original_name}]})
    suffix = PurePosixPath(str(attachment.original_name)).suffix.lower()
    if suffix not in found[0].extensions:
        suffix = found[0].extensions[0]
    return role, ContentFile(data, name=f"{role}{suffix}")


@transaction.atomic
def case_create_from_submission(*, submission: Any, accession_no: str) -> Case:
    """An accepted submission enters the library under its 入库编号 (see ``intake.accept_case_submission``)."""
    accession_no = (accession_no or "").strip()
    if not accession_no:
        raise DomainError("invalid", _("缺少入库编号"), status=422)
    if Case.objects.filter(accession_no=accession_no).exists():
        raise DomainError("accession_taken", _("入库编号 %(no)s 已被使用") % {"no": accession_no})
    meta = clean_metadata(submission.metadata or {})
    files: dict[str, ContentFile[bytes]] = {}
    for attachment in submission.attachments or ():
        if str(attachment.role) in ATTACHMENT_FORMATS and str(attachment.role) not in files:
            role, copy = _attachment_file(attachment)
            files[role] = copy
    case = Case(
        category=meta["category"],
        case_type=meta["case_type"],
        field=meta["field"],
        title=str(submission.title).strip(),
        abstract=str(submission.abstract).strip(),
        keywords=meta["keywords"],
        applicable_courses=meta["applicable_courses"],
        knowledge_points=meta["knowledge_points"],
        year=meta["year"],
        body=meta.get("body", ""),
        accession_no=accession_no,
        accepted_at=getattr(submission, "accepted_at", None) or timezone.now(),
        applicant=submission.applicant,
        organization=submission.organization,
    )
    for role, content in files.items():
        getattr(case, role).save(content.name, content, save=False)
    try:
        case.full_clean()
    except ValidationError:
        for role in files:
            getattr(case, role).delete(save=False)
        raise
    case.save()
    CaseAuthor.objects.bulk_create(
        [
            CaseAuthor(
                case=case,
                position=position,
                name=str(author.name)[:50],
                organization=author.organization if isinstance(author.organization, Organization) else None,
                organization_name=str(getattr(author.organization, "name", author.organization or ""))[:100],
            )
            for position, author in enumerate(submission.authors or (), start=1)
        ]
    )
    _index(case)
    return case


@transaction.atomic
def case_save(*, case: Case) -> Case:
    """Staff edit a case's metadata or withdraw it (下架); the search index follows."""
    case.full_clean()
    case.save()
    _index(case)
    return case


def _count(*, case: Case, downloads: int = 0, adoptions: int = 0, day: date | None = None) -> None:
    day = day or timezone.localdate()
    updated = CaseUsageDay.objects.filter(case=case, day=day).update(
        downloads=F("downloads") + downloads, adoptions=F("adoptions") + adoptions
    )
    if not updated:
        try:
            with transaction.atomic():
                CaseUsageDay.objects.create(case=case, day=day, downloads=downloads, adoptions=adoptions)
        except IntegrityError:  # another download created today's row first
            CaseUsageDay.objects.filter(case=case, day=day).update(
                downloads=F("downloads") + downloads, adoptions=F("adoptions") + adoptions
            )
    Case.objects.filter(pk=case.pk).update(
        download_count=F("download_count") + downloads, adoption_count=F("adoption_count") + adoptions
    )


def stamp_for(user: User) -> Stamp:
    """What a download by ``user`` is stamped with: name, masked login, the member university first."""
    members = selectors.member_organization_ids()
    names = [(held.organization_id, held.organization.name) for held in held_memberships(user)]
    organization = next((name for pk, name in names if pk in members), names[0][1] if names else "")
    return Stamp(
        name=user.display_name or user.masked_login,
        login=user.masked_login,
        organization=organization,
        at=timezone.now(),
    )


@transaction.atomic
def case_download(*, actor: User, case: Case, document: str = "full_text") -> tuple[bytes, str]:
    """The case's full text (or teaching note) stamped for the person downloading it; the download is counted.
    The access check is the caller's selector (``access_full_text`` / ``access_teaching_note``)."""
    field = case.teaching_note if document == "teaching_note" else case.full_text
    if not field:
        raise DomainError("no_document", _("这个案例没有可下载的 PDF"), status=404)
    with field.open("rb") as handle:
        data = handle.read()
    stamped = stamp_pdf(data, stamp_for(actor))
    _count(case=case, downloads=1)
    label = _("教学指导手册") if document == "teaching_note" else _("案例正文")
    return stamped, f"{case.accession_no}-{label}.pdf"


@transaction.atomic
def case_adopt(*, actor: User, case: Case) -> None:
    """A teacher adopts a case for their teaching (a course unit, a 案例集): counted as an adoption."""
    if not selectors.can_adopt(actor):
        raise DomainError("teachers_only", _("只有案例库成员单位的教师可以在教学中采用案例"), status=403)
    _count(case=case, adoptions=1)


@transaction.atomic
def collection_create(*, actor: User, title: str, description: str = "", run: Any = None) -> CaseCollection:
    """A teacher starts a 案例集 for a class."""
    if not selectors.can_adopt(actor):
        raise DomainError("teachers_only", _("只有案例库成员单位的教师可以创建案例集"), status=403)
    collection = CaseCollection(owner=actor, title=title.strip(), description=description.strip(), run=run)
    collection.full_clean()
    collection.save()
    return collection


@transaction.atomic
def collection_add(*, actor: User, collection: CaseCollection, case: Case, note: str = "") -> CaseCollectionItem:
    """Add a case to the teacher's 案例集 (once); the case counts one adoption."""
    if collection.owner_id != actor.pk:
        raise DomainError("not_owner", _("只能修改自己的案例集"), status=403)
    if collection.items.filter(case=case).exists():
        raise DomainError("already_added", _("这个案例已在案例集中"))
    size = collection.items.count()
    if size >= COLLECTION_MAX:
        raise DomainError("collection_full", _("一个案例集最多 %(n)d 个案例") % {"n": COLLECTION_MAX})
    item = CaseCollectionItem(collection=collection, case=case, position=size + 1, note=note.strip())
    item.full_clean()
    item.save()
    collection.save(update_fields=["updated_at"])
    case_adopt(actor=actor, case=case)
    return item


@transaction.atomic
def collection_remove(*, actor: User, collection: CaseCollection, case_id: int) -> None:
    if collection.owner_id != actor.pk:
        raise DomainError("not_owner", _("只能修改自己的案例集"), status=403)
    collection.items.filter(case_id=case_id).delete()


@transaction.atomic
def library_member_add(*, organization: Organization, joined_on: date | None = None) -> LibraryMember:
    """A university joins the case library."""
    if organization.kind != Organization.Kind.UNIVERSITY:
        raise DomainError("not_university", _("案例库成员单位须为高等学校"), status=422)
    member, _created = LibraryMember.objects.update_or_create(
        organization=organization, defaults={"is_active": True, "joined_on": joined_on or timezone.localdate()}
    )
    _members_changed()
    return member


@transaction.atomic
def library_member_save(*, member: LibraryMember) -> LibraryMember:
    """Staff change a membership (end it, or correct its date) in the admin."""
    if member.organization.kind != Organization.Kind.UNIVERSITY:
        raise DomainError("not_university", _("案例库成员单位须为高等学校"), status=422)
    member.full_clean()
    member.save()
    _members_changed()
    return member


def _members_changed() -> None:
    from django.core.cache import cache

    transaction.on_commit(lambda: cache.delete(selectors.MEMBERS_CACHE_KEY))


def as_file(data: bytes, name: str) -> File[bytes]:
    """Bytes as a file object a submission's attachment may carry (the demo loader, tests)."""
    return ContentFile(data, name=name)
