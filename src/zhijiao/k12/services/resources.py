"""Writes of K-12 resources: uploads (each file checked by its content and size) and their review — submit, publish,
reject, withdraw. Published resources are indexed for search and shown on lesson and 云码 pages."""

from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijiao.core.actors import Actor
from zhijiao.core.audit import audit_actions
from zhijiao.core.errors import DomainError
from zhijiao.core.services import audit_record
from zhijiao.core.uploads import AUDIO, EBOOKS, MB, PDF, PICTURES, VIDEO, Format, check_upload
from zhijiao.search.services import index_later

from .. import selectors
from ..models import Book, KnowledgePoint, Lesson, Resource, ResourceImage
from .codes import forget_lesson_pages
from .reasons import reason_given

# What the audit log calls the actions recorded here.
AUDIT_ACTIONS = audit_actions(
    {
        "k12.resource.create": gettext_lazy("上传资源"),
        "k12.resource.submit": gettext_lazy("提交资源审核"),
        "k12.resource.publish": gettext_lazy("发布资源"),
        "k12.resource.reject": gettext_lazy("退回资源"),
        "k12.resource.withdraw": gettext_lazy("下架资源"),
    }
)


# What each kind of resource takes as its file, and how large it may be (``settings.K12_UPLOAD_LIMITS`` overrides
# any of the limits, in bytes). "poster" is the cover picture any resource may have.
UPLOAD_FORMATS: dict[str, tuple[Format, ...]] = {
    Resource.Kind.VIDEO: VIDEO,
    Resource.Kind.AUDIO: AUDIO,
    Resource.Kind.DOCUMENT: (PDF,),
    Resource.Kind.EBOOK: EBOOKS,
    Resource.Kind.IMAGES: PICTURES,
    "poster": PICTURES,
}
UPLOAD_LIMITS: dict[str, int] = {
    Resource.Kind.VIDEO: 500 * MB,
    Resource.Kind.AUDIO: 100 * MB,
    Resource.Kind.DOCUMENT: 50 * MB,
    Resource.Kind.EBOOK: 50 * MB,
    Resource.Kind.IMAGES: 10 * MB,
    "poster": 5 * MB,
}


def upload_limit(kind: str) -> int:
    """The largest file a resource of this kind takes, in bytes."""
    return int({**UPLOAD_LIMITS, **getattr(settings, "K12_UPLOAD_LIMITS", {})}[kind])


def check_resource_file(upload: UploadedFile, *, kind: str, field: str = "file") -> Format:
    """The file's format when it suits a resource of this kind (by content, within its limit); else ValidationError."""
    allowed = UPLOAD_FORMATS.get(kind)
    if allowed is None:
        raise ValidationError({field: _("此类型的资源不上传文件")})
    return check_upload(upload, allowed=allowed, max_bytes=upload_limit(kind), field=field)


def media_duration(upload: UploadedFile) -> int:
    """Seconds of a video or audio file, read from its container (0 when it can't be read)."""
    import av

    try:
        upload.seek(0)
        with av.open(upload, mode="r") as container:
            seconds = (container.duration or 0) / 1_000_000
    except Exception:  # a damaged file is refused elsewhere or simply shows no duration
        seconds = 0
    finally:
        upload.seek(0)
    return max(0, round(seconds))


def _index(resource: Resource) -> None:
    index_later("k12.resource", resource.pk)


@transaction.atomic
def resource_create(
    *,
    actor: Actor,
    kind: str,
    title: str,
    description: str = "",
    teacher_name: str = "",
    school_name: str = "",
    licence: str = Resource.Licence.PLATFORM,
    tags: str = "",
    url: str = "",
    file: UploadedFile | None = None,
    poster: UploadedFile | None = None,
    images: Sequence[UploadedFile] = (),
    lesson: Lesson | None = None,
    points: Sequence[KnowledgePoint] = (),
    book: Book | None = None,
    subject_id: int | None = None,
    grade: int | None = None,
    column: str = "",
    is_explanation: bool = False,
    duration_seconds: int = 0,
) -> Resource:
    """A teacher or staff member uploads a resource; it starts as a draft to submit for review."""
    if not selectors.can_upload_resource(actor):
        raise PermissionDenied(_("只有教师和平台工作人员可以上传资源"))
    errors: dict[str, list[str]] = {}
    mime = ""
    if kind in (Resource.Kind.VIDEO, Resource.Kind.AUDIO, Resource.Kind.DOCUMENT, Resource.Kind.EBOOK):
        if file is None:
            errors["file"] = [_("请选择要上传的文件")]
        else:
            try:
                mime = check_resource_file(file, kind=kind).mime
            except ValidationError as exc:
                errors.update(exc.message_dict)
    if kind == Resource.Kind.IMAGES:
        if not images:
            errors["images"] = [_("请至少选择一张图片")]
        for image in images:
            try:
                check_resource_file(image, kind=kind, field="images")
            except ValidationError as exc:
                errors.setdefault("images", []).extend(exc.message_dict["images"])
    if poster is not None:
        try:
            check_resource_file(poster, kind="poster", field="poster")
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    unit = lesson.unit if lesson else None
    if lesson is not None:
        book = unit.book if unit else book
    resource = Resource(
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        teacher_name=teacher_name.strip(),
        school_name=school_name.strip(),
        licence=licence,
        tags=tags.strip(),
        url=url.strip(),
        mime_type=mime,
        lesson=lesson,
        unit=unit,
        book=book,
        subject_id=subject_id or (book.subject_id if book else None),
        grade=grade or (book.grade if book else None),
        column=column,
        is_explanation=is_explanation and kind == Resource.Kind.VIDEO,
        owner=actor,
        duration_seconds=duration_seconds,
    )
    if file is not None and mime:
        resource.size_bytes = int(file.size or 0)
        if kind in (Resource.Kind.VIDEO, Resource.Kind.AUDIO) and not duration_seconds:
            resource.duration_seconds = media_duration(file)
    resource.full_clean(exclude=["file", "poster"])
    if file is not None and mime:
        resource.file.save(file.name or "file", file, save=False)
    if poster is not None:
        resource.poster.save(poster.name or "poster", poster, save=False)
    resource.save()
    valid_points = [point for point in points if lesson is None or point.lesson_id == lesson.pk]
    if valid_points:
        resource.points.set(valid_points)
    for position, image in enumerate(images, start=1):
        picture = ResourceImage(resource=resource, position=position, caption=title)
        picture.image.save(image.name or "image", image, save=False)
        picture.save()
        resource.size_bytes += int(image.size or 0)
    if images:
        resource.save(update_fields=["size_bytes"])
    audit_record(action="k12.resource.create", actor=actor, obj=resource)
    return resource


def _require_status(resource: Resource, allowed: Sequence[str], message: str) -> None:
    if resource.status not in allowed:
        raise DomainError("invalid_status", message)


@transaction.atomic
def resource_submit(*, actor: Actor, resource: Resource) -> Resource:
    """The uploader sends a draft (or a withdrawn resource, corrected) to review."""
    if not selectors.can_edit_resource(actor, resource):
        raise PermissionDenied(_("您不能提交此资源"))
    _require_status(
        resource, (Resource.Status.DRAFT, Resource.Status.WITHDRAWN), _("只有草稿或已撤回的资源可以提交审核")
    )
    resource.status = Resource.Status.REVIEW
    resource.save(update_fields=["status", "updated_at"])
    audit_record(action="k12.resource.submit", actor=actor, obj=resource)
    return resource


@transaction.atomic
def resource_publish(*, actor: Actor, resource: Resource) -> Resource:
    """Staff approve a resource: it is public, searchable and counted from now on."""
    if not selectors.can_review_resources(actor):
        raise PermissionDenied(_("只有平台工作人员可以审核资源"))
    _require_status(resource, (Resource.Status.REVIEW, Resource.Status.DRAFT), _("只有待审核的资源可以发布"))
    resource.status = Resource.Status.PUBLISHED
    resource.review_note = ""
    resource.published_at = resource.published_at or timezone.now()
    resource.save(update_fields=["status", "review_note", "published_at", "updated_at"])
    audit_record(action="k12.resource.publish", actor=actor, obj=resource)
    _index(resource)
    forget_lesson_pages(resource)
    return resource


@transaction.atomic
def resource_reject(*, actor: Actor, resource: Resource, reason: str) -> Resource:
    """Staff send a resource under review back to its uploader as a draft, saying why."""
    if not selectors.can_review_resources(actor):
        raise PermissionDenied(_("只有平台工作人员可以审核资源"))
    text = reason_given(reason)
    _require_status(resource, (Resource.Status.REVIEW,), _("只有待审核的资源可以退回"))
    resource.status = Resource.Status.DRAFT
    resource.review_note = text
    resource.save(update_fields=["status", "review_note", "updated_at"])
    audit_record(action="k12.resource.reject", actor=actor, obj=resource, detail={"reason": text})
    return resource


@transaction.atomic
def resource_withdraw(*, actor: Actor, resource: Resource, reason: str) -> Resource:
    """Staff take a published resource down, saying why; it leaves search and lesson pages."""
    if not selectors.can_review_resources(actor):
        raise PermissionDenied(_("只有平台工作人员可以撤回资源"))
    text = reason_given(reason)
    _require_status(resource, (Resource.Status.PUBLISHED,), _("只有已发布的资源可以撤回"))
    resource.status = Resource.Status.WITHDRAWN
    resource.review_note = text
    resource.save(update_fields=["status", "review_note", "updated_at"])
    audit_record(action="k12.resource.withdraw", actor=actor, obj=resource, detail={"reason": text})
    _index(resource)
    forget_lesson_pages(resource)
    return resource
