"""Every write of the K-12 platform: resources and their review, 云码 codes, collections, classes, progress."""

import contextlib
import logging
import secrets
import threading
import time
from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijiao.core.errors import DomainError
from zhijiao.core.services import audit_record
from zhijiao.core.uploads import AUDIO, EBOOKS, MB, PDF, PICTURES, VIDEO, Format, check_upload
from zhijiao.orgs.models import Organization, Role
from zhijiao.orgs.selectors import has_role
from zhijiao.search.registry import index_later

from .. import selectors
from ..codes import unique_candidates
from ..models import (
    Assignment,
    AssignmentItem,
    Book,
    ClassMember,
    Code,
    CodeBatch,
    CodeTarget,
    Collection,
    CollectionItem,
    KnowledgePoint,
    Lesson,
    Progress,
    Resource,
    ResourceImage,
    ScanStat,
    SchoolClass,
    target_kwargs,
)

logger = logging.getLogger(__name__)


# --- Resources ------------------------------------------------------------------------------------------------

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
    actor: Any,
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
def resource_submit(*, actor: Any, resource: Resource) -> Resource:
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
def resource_publish(*, actor: Any, resource: Resource) -> Resource:
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
    _forget_lesson_pages(resource)
    return resource


def _reason(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise ValidationError({"reason": [_("请填写原因")]})
    if len(text) > 300:
        raise ValidationError({"reason": [_("原因最多 300 个字符")]})
    return text


@transaction.atomic
def resource_reject(*, actor: Any, resource: Resource, reason: str) -> Resource:
    """Staff send a resource under review back to its uploader as a draft, saying why."""
    if not selectors.can_review_resources(actor):
        raise PermissionDenied(_("只有平台工作人员可以审核资源"))
    text = _reason(reason)
    _require_status(resource, (Resource.Status.REVIEW,), _("只有待审核的资源可以退回"))
    resource.status = Resource.Status.DRAFT
    resource.review_note = text
    resource.save(update_fields=["status", "review_note", "updated_at"])
    audit_record(action="k12.resource.reject", actor=actor, obj=resource, detail={"reason": text})
    return resource


@transaction.atomic
def resource_withdraw(*, actor: Any, resource: Resource, reason: str) -> Resource:
    """Staff take a published resource down, saying why; it leaves search and lesson pages."""
    if not selectors.can_review_resources(actor):
        raise PermissionDenied(_("只有平台工作人员可以撤回资源"))
    text = _reason(reason)
    _require_status(resource, (Resource.Status.PUBLISHED,), _("只有已发布的资源可以撤回"))
    resource.status = Resource.Status.WITHDRAWN
    resource.review_note = text
    resource.save(update_fields=["status", "review_note", "updated_at"])
    audit_record(action="k12.resource.withdraw", actor=actor, obj=resource, detail={"reason": text})
    _index(resource)
    _forget_lesson_pages(resource)
    return resource


# --- 云码 -------------------------------------------------------------------------------------------------------


def _forget_code(code: str) -> None:
    keys = [selectors.code_cache_key(code)]
    keys += [f"k12:qpage:{code}:{language}" for language, _label in settings.LANGUAGES]
    transaction.on_commit(lambda: cache.delete_many(keys))


def _forget_lesson_pages(resource: Resource) -> None:
    """Rendered /q/ pages of codes that open this resource's lesson show it: forget them."""
    lesson_ids: set[int] = set(resource.points.values_list("lesson_id", flat=True))
    if resource.lesson_id is not None:
        lesson_ids.add(resource.lesson_id)
    if not lesson_ids:
        return
    codes = Code.objects.filter(lesson_id__in=lesson_ids).values_list("code", flat=True)
    point_codes = Code.objects.filter(point__lesson_id__in=lesson_ids).values_list("code", flat=True)
    for code in [*codes, *point_codes]:
        _forget_code(code)


MAX_BATCH_CODES = 5000


def _insert_codes(batch: CodeBatch, targets: list[Lesson | KnowledgePoint], actor: Any) -> list[Code]:
    """Insert one fresh code per target; a collision with any code ever issued is simply drawn again."""
    for _attempt in range(8):
        candidates = unique_candidates(len(targets))
        taken = set(Code.objects.filter(code__in=candidates).values_list("code", flat=True))
        if taken:
            fresh = iter(unique_candidates(len(taken), taken=set(candidates) | taken))
            candidates = [next(fresh) if code in taken else code for code in candidates]
        pairs = zip(candidates, targets, strict=True)
        codes = [Code(code=code, batch=batch, **target_kwargs(target)) for code, target in pairs]
        try:
            with transaction.atomic():
                made = Code.objects.bulk_create(codes)
        except IntegrityError:
            continue  # another batch took one of these codes in the meantime: draw again
        CodeTarget.objects.bulk_create(
            [CodeTarget(code=code, version=1, lesson=code.lesson, point=code.point, changed_by=actor) for code in made]
        )
        return made
    raise DomainError("code_space_busy", _("云码生成冲突过多，请稍后重试"), status=503)


def _batch_organization(actor: Any, organization: Organization | None) -> Organization | None:
    allowed = selectors.code_organizations(actor)
    if organization is not None:
        if organization.pk in {org.pk for org in allowed} or selectors.is_k12_staff(actor):
            return organization
        raise PermissionDenied(_("您不能为该机构生成云码"))
    if allowed:
        return allowed[0]
    return None


@transaction.atomic
def code_batch_generate(
    *,
    actor: Any,
    book: Book | None = None,
    collection: Collection | None = None,
    point_ids: Sequence[int] = (),
    title: str = "",
    organization: Organization | None = None,
) -> CodeBatch:
    """Make a batch of draft codes: one per lesson of the book (or of the collection) and per chosen point."""
    if not selectors.can_manage_codes(actor):
        raise PermissionDenied(_("只有平台工作人员、区县教育工作人员和教师可以生成云码"))
    if (book is None) == (collection is None):
        raise ValidationError({"book": [_("请选择一本教材或一个合集")]})
    if collection is not None and not selectors.can_manage_collection(actor, collection):
        raise PermissionDenied(_("您不能为该合集生成云码"))
    owner = collection.district if collection is not None and organization is None else organization
    owner = _batch_organization(actor, owner)
    targets: list[Lesson | KnowledgePoint]
    if book is not None:
        lessons = list(Lesson.objects.filter(unit__book=book).order_by("unit__position", "position"))
        points = list(
            KnowledgePoint.objects.filter(lesson__unit__book=book, pk__in=list(point_ids)).order_by(
                "lesson__unit__position", "lesson__position", "position"
            )
        )
        if len(points) != len(set(point_ids)):
            raise ValidationError({"point_ids": [_("所选知识点不属于这本教材")]})
        targets = [*lessons, *points]
        default_title = _("%(book)s 云码") % {"book": book}
    else:
        assert collection is not None
        lesson_ids = list(
            dict.fromkeys(
                CollectionItem.objects.filter(collection=collection, resource__lesson__isnull=False)
                .order_by("position")
                .values_list("resource__lesson_id", flat=True)
            )
        )
        found = Lesson.objects.in_bulk(lesson_ids)
        targets = [found[pk] for pk in lesson_ids]
        default_title = _("%(collection)s 云码") % {"collection": collection.title}
    if not targets:
        raise ValidationError({"book": [_("没有可以生成云码的课时")]})
    if len(targets) > MAX_BATCH_CODES:
        raise ValidationError({"book": [_("一个批次最多 %(n)s 个云码") % {"n": MAX_BATCH_CODES}]})
    batch = CodeBatch(
        title=(title or default_title).strip()[:100],
        book=book,
        collection=collection,
        organization=owner,
        created_by=actor,
    )
    batch.full_clean()
    batch.save()
    codes = _insert_codes(batch, targets, actor)
    audit_record(action="k12.codes.generate", actor=actor, obj=batch, detail={"codes": len(codes)})
    return batch


@transaction.atomic
def code_relink(
    *, actor: Any, code: Code, target: Lesson | KnowledgePoint, reason: str = "", confirm_published: bool = False
) -> Code:
    """Point a code at another lesson or point. A draft changes freely; a published code only on purpose,
    with a reason — every change is a new version in its history and an audit-log entry."""
    if not selectors.can_manage_batch(actor, code.batch):
        raise PermissionDenied(_("您不能修改这个云码"))
    if code.status == Code.Status.RETIRED:
        raise DomainError("code_retired", _("已停用的云码不能再修改"))
    text = reason.strip()
    if code.status == Code.Status.PUBLISHED:
        if not confirm_published:
            raise DomainError("code_published", _("云码已发布，修改指向需要确认并说明原因"))
        text = _reason(reason)
    kwargs = target_kwargs(target)
    if code.lesson_id == (kwargs["lesson"].pk if kwargs["lesson"] else None) and code.point_id == (
        kwargs["point"].pk if kwargs["point"] else None
    ):
        return code
    previous = {"lesson": code.lesson_id, "point": code.point_id, "version": code.version}
    locked = Code.objects.select_for_update().get(pk=code.pk)
    locked.lesson = kwargs["lesson"]
    locked.point = kwargs["point"]
    locked.version = F("version") + 1
    locked.save(update_fields=["lesson", "point", "version", "updated_at"])
    locked.refresh_from_db()
    CodeTarget.objects.create(code=locked, version=locked.version, reason=text, changed_by=actor, **kwargs)
    audit_record(
        action="k12.code.relink",
        actor=actor,
        obj=locked,
        detail={
            "from": previous,
            "to": {"lesson": locked.lesson_id, "point": locked.point_id, "version": locked.version},
            "published": locked.status == Code.Status.PUBLISHED,
            "reason": text,
        },
    )
    _forget_code(locked.code)
    return locked


@transaction.atomic
def code_batch_publish(*, actor: Any, batch: CodeBatch) -> int:
    """Publish every draft code of a batch (before printing); the number published."""
    if not selectors.can_manage_batch(actor, batch):
        raise PermissionDenied(_("您不能发布这个批次"))
    drafts = list(batch.codes.filter(status=Code.Status.DRAFT).values_list("code", flat=True))
    now = timezone.now()
    count = batch.codes.filter(status=Code.Status.DRAFT).update(
        status=Code.Status.PUBLISHED, published_at=now, updated_at=now
    )
    audit_record(action="k12.codes.publish", actor=actor, obj=batch, detail={"codes": count})
    for code in drafts:
        _forget_code(code)
    return count


@transaction.atomic
def code_retire(*, actor: Any, code: Code, reason: str) -> Code:
    """Stop a code for good (a misprint); it answers the friendly "not found" page and is never reissued."""
    if not selectors.can_manage_batch(actor, code.batch):
        raise PermissionDenied(_("您不能停用这个云码"))
    text = _reason(reason)
    code.status = Code.Status.RETIRED
    code.save(update_fields=["status", "updated_at"])
    audit_record(action="k12.code.retire", actor=actor, obj=code, detail={"reason": text})
    _forget_code(code.code)
    return code


# --- Counting scans ---------------------------------------------------------------------------------------------
# The scan path only adds to an in-process Counter; a background thread writes the counts every
# K12_SCAN_FLUSH_SECONDS as one atomic F() increment per (code, day, region). A crash loses at most those seconds.

_scan_buffer: Counter[tuple[int, date, str]] = Counter()
_scan_lock = threading.Lock()
_scan_state: dict[str, Any] = {"last_flush": time.monotonic(), "thread": None}


def scan_record(*, code_id: int, region: str = "") -> None:
    """Count one scan; cheap enough for the hottest page (no query unless a flush is due)."""
    key = (code_id, timezone.localdate(), region[:6])
    with _scan_lock:
        _scan_buffer[key] += 1
    seconds = getattr(settings, "K12_SCAN_FLUSH_SECONDS", 2.0)
    if seconds <= 0:
        scans_flush()
        return
    if time.monotonic() - _scan_state["last_flush"] >= seconds:
        _scan_state["last_flush"] = time.monotonic()
        running = _scan_state["thread"]
        if running is None or not running.is_alive():
            thread = threading.Thread(target=_flush_in_thread, name="zhijiao-k12-scans", daemon=True)
            _scan_state["thread"] = thread
            thread.start()


def _flush_in_thread() -> None:
    try:
        close_old_connections()
        scans_flush()
    finally:
        with contextlib.suppress(Exception):
            connection.close()


def scans_flush() -> int:
    """Write the buffered scan counts; the number of scans written."""
    with _scan_lock:
        pending = dict(_scan_buffer)
        _scan_buffer.clear()
    if not pending:
        return 0
    try:
        with transaction.atomic():
            ScanStat.objects.bulk_create(
                [ScanStat(code_id=code_id, day=day, region=region, count=0) for code_id, day, region in pending],
                ignore_conflicts=True,
            )
            for (code_id, day, region), count in pending.items():
                ScanStat.objects.filter(code_id=code_id, day=day, region=region).update(count=F("count") + count)
    except Exception as exc:
        logger.warning("scan counts not written, retrying with the next flush: %s", exc)
        with _scan_lock:
            _scan_buffer.update(pending)
        return 0
    return sum(pending.values())


def scans_flush_wait(timeout: float = 10) -> None:
    running = _scan_state["thread"]
    if running is not None:
        running.join(timeout)


# --- Collections ----------------------------------------------------------------------------------------------


@transaction.atomic
def collection_create(
    *, actor: Any, district: Organization, title: str, description: str = "", subject_id: int | None = None
) -> Collection:
    """District staff start a curated collection for their district's schools."""
    if not (selectors.is_k12_staff(actor) or district.pk in {org.pk for org in selectors.district_agencies(actor)}):
        raise PermissionDenied(_("只有本区县的教育工作人员可以创建合集"))
    collection = Collection(
        title=title.strip(), description=description.strip(), district=district, subject_id=subject_id, created_by=actor
    )
    collection.full_clean()
    collection.save()
    audit_record(action="k12.collection.create", actor=actor, obj=collection)
    return collection


def _require_collection(actor: Any, collection: Collection) -> None:
    if not selectors.can_manage_collection(actor, collection):
        raise PermissionDenied(_("您不能修改这个合集"))


@transaction.atomic
def collection_add(*, actor: Any, collection: Collection, resource: Resource) -> CollectionItem:
    """Add a published resource at the end of the collection (ordered by subject and lesson as added)."""
    _require_collection(actor, collection)
    if not resource.is_published:
        raise DomainError("not_published", _("只能加入已发布的资源"))
    existing = CollectionItem.objects.filter(collection=collection, resource=resource).first()
    if existing is not None:
        return existing
    last = collection.items.aggregate(last=Max("position"))["last"] or 0
    item = CollectionItem.objects.create(collection=collection, resource=resource, position=last + 1)
    return item


@transaction.atomic
def collection_move(*, actor: Any, collection: Collection, item_id: int, up: bool) -> None:
    """Swap an item with its neighbour above (or below)."""
    _require_collection(actor, collection)
    items = list(collection.items.select_for_update().order_by("position"))
    index = next((i for i, item in enumerate(items) if item.pk == item_id), None)
    if index is None:
        raise DomainError("not_found", _("找不到该条目"), status=404)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(items):
        return
    first, second = items[index], items[other]
    first_position, second_position = first.position, second.position
    first.position = 0
    first.save(update_fields=["position"])
    second.position = first_position
    second.save(update_fields=["position"])
    first.position = second_position
    first.save(update_fields=["position"])


@transaction.atomic
def collection_remove(*, actor: Any, collection: Collection, item_id: int) -> None:
    _require_collection(actor, collection)
    collection.items.filter(pk=item_id).delete()


@transaction.atomic
def collection_publish(*, actor: Any, collection: Collection, published: bool = True) -> Collection:
    _require_collection(actor, collection)
    collection.is_published = published
    collection.save(update_fields=["is_published", "updated_at"])
    audit_record(
        action="k12.collection.publish" if published else "k12.collection.unpublish", actor=actor, obj=collection
    )
    return collection


# --- Classes ----------------------------------------------------------------------------------------------------

JOIN_CODE_LENGTH = 8


@transaction.atomic
def class_create(*, actor: Any, school: Organization, name: str, grade: int | None = None) -> SchoolClass:
    """A teacher opens a class in their school; students join it with its class code."""
    if not selectors.can_create_class(actor, school):
        raise PermissionDenied(_("只有本校教师可以创建班级"))
    from ..models import CODE_ALPHABET

    for _attempt in range(5):
        klass = SchoolClass(
            school=school,
            name=name.strip(),
            grade=grade,
            teacher=actor,
            join_code="".join(secrets.choice(CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH)),
        )
        klass.full_clean(validate_unique=False)
        try:
            with transaction.atomic():
                klass.save()
        except IntegrityError:
            continue
        audit_record(action="k12.class.create", actor=actor, obj=klass)
        return klass
    raise DomainError("join_code_busy", _("班级码生成失败，请重试"), status=503)


def _add_member(klass: SchoolClass, student: Any) -> ClassMember:
    if not has_role(student, Role.STUDENT, organization=klass.school):
        raise DomainError("not_a_student_here", _("只有本校学生可以加入这个班级"), status=403)
    member, _created = ClassMember.objects.get_or_create(klass=klass, student=student)
    return member


@transaction.atomic
def class_join(*, student: Any, join_code: str) -> SchoolClass:
    """A student joins a class with the code their teacher gave them."""
    value = (join_code or "").strip().upper()
    klass = SchoolClass.objects.select_related("school").filter(join_code=value, is_active=True).first()
    if klass is None:
        raise ValidationError({"join_code": [_("班级码不正确，请向老师确认")]})
    _add_member(klass, student)
    return klass


@transaction.atomic
def class_add_student(*, actor: Any, klass: SchoolClass, phone: str) -> ClassMember:
    """The teacher adds a student of the school by mobile number."""
    if not selectors.can_manage_class(actor, klass):
        raise PermissionDenied(_("您不能管理这个班级"))
    from zhijiao.core.identifiers import normalize_phone

    try:
        number = normalize_phone(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from exc
    from zhijiao.accounts.models import User

    student = User.objects.filter(phone=number, is_active=True).first()
    if student is None or not has_role(student, Role.STUDENT, organization=klass.school):
        raise ValidationError({"phone": [_("本校没有使用这个手机号码的学生")]})
    member = _add_member(klass, student)
    audit_record(action="k12.class.add_student", actor=actor, obj=klass, detail={"student_id": student.pk})
    return member


@transaction.atomic
def class_remove_student(*, actor: Any, klass: SchoolClass, student_id: int) -> None:
    if not selectors.can_manage_class(actor, klass):
        raise PermissionDenied(_("您不能管理这个班级"))
    ClassMember.objects.filter(klass=klass, student_id=student_id).delete()
    audit_record(action="k12.class.remove_student", actor=actor, obj=klass, detail={"student_id": student_id})


@transaction.atomic
def assignment_create(
    *,
    actor: Any,
    klass: SchoolClass,
    purpose: str,
    due_date: date,
    title: str = "",
    note: str = "",
    lesson: Lesson | None = None,
    collection: Collection | None = None,
    resources: Sequence[Resource] = (),
) -> Assignment:
    """The teacher gives the class a lesson, a collection or some resources to preview or review by a date."""
    if not selectors.can_manage_class(actor, klass):
        raise PermissionDenied(_("您不能给这个班级布置任务"))
    chosen: list[Resource] = list(resources)
    if lesson is not None:
        chosen += selectors.lesson_resources(lesson=lesson)
    if collection is not None:
        if not (collection.is_published or selectors.can_manage_collection(actor, collection)):
            raise PermissionDenied(_("您不能使用这个合集"))
        chosen += [item.resource for item in selectors.collection_items(collection=collection)]
    unique = [item for item in dict.fromkeys(chosen) if item.is_published]
    if not unique:
        raise ValidationError({"lesson": [_("请选择至少一个已发布的资源、课时或合集")]})
    if due_date < timezone.localdate():
        raise ValidationError({"due_date": [_("截止日期不能早于今天")]})
    if not title:
        subject = lesson.title if lesson else collection.title if collection else unique[0].title
        title = f"{Assignment.Purpose(purpose).label}：{subject}"
    assignment = Assignment(
        klass=klass,
        purpose=purpose,
        due_date=due_date,
        title=title.strip()[:120],
        note=note.strip(),
        lesson=lesson,
        collection=collection,
        created_by=actor,
    )
    assignment.full_clean()
    assignment.save()
    AssignmentItem.objects.bulk_create(
        [AssignmentItem(assignment=assignment, resource=item, position=index) for index, item in enumerate(unique, 1)]
    )
    audit_record(action="k12.assignment.create", actor=actor, obj=assignment, detail={"resources": len(unique)})
    return assignment


# --- Progress -------------------------------------------------------------------------------------------------

MAX_ELAPSED_PER_REPORT = 60
COMPLETE_SHARE = 0.9


@transaction.atomic
def progress_record(
    *,
    student: Any,
    resource: Resource,
    position: int = 0,
    elapsed: int = 0,
    duration: int = 0,
    completed: bool = False,
) -> Progress:
    """Where a learner is in a video or audio (resumable on any device), time spent, and whether it's done.

    The player reports every few seconds; each report adds at most a minute of time, so a tab left open
    doesn't inflate the figures. Watching 90 % of a video or audio completes it.
    """
    if not getattr(student, "is_authenticated", False):
        raise PermissionDenied(_("请先登录"))
    if not resource.is_published:
        raise DomainError("not_found", _("找不到您要的内容"), status=404)
    if position < 0 or elapsed < 0 or duration < 0:
        raise ValidationError({"position": [_("不能小于 0")]})
    length = resource.duration_seconds or duration
    if length:
        position = min(position, length)
    Progress.objects.get_or_create(student=student, resource=resource)
    row = Progress.objects.select_for_update().get(student=student, resource=resource)
    row.position_seconds = position
    row.furthest_seconds = max(row.furthest_seconds, position)
    row.seconds_spent += min(elapsed, MAX_ELAPSED_PER_REPORT)
    if row.completed_at is None and (completed or (length and row.furthest_seconds >= COMPLETE_SHARE * length)):
        row.completed_at = timezone.now()
    row.save()
    return row


@transaction.atomic
def progress_complete(*, student: Any, resource: Resource) -> Progress:
    """The learner says they have read (or watched) it: the button that works without JavaScript."""
    return progress_record(student=student, resource=resource, completed=True)
