"""Writes of 云码 (the QR codes printed in books): batches, publishing, re-linking, retiring, and counting scans."""

import contextlib
import logging
import threading
import time
from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijiao.accounts.models import User
from zhijiao.core.actors import Actor
from zhijiao.core.audit import audit_actions
from zhijiao.core.errors import DomainError
from zhijiao.core.services import audit_record
from zhijiao.orgs.models import Organization

from .. import selectors
from ..codes import unique_candidates
from ..models import (
    Book,
    Code,
    CodeBatch,
    CodeTarget,
    Collection,
    CollectionItem,
    KnowledgePoint,
    Lesson,
    Resource,
    ScanStat,
    target_kwargs,
)
from .reasons import reason_given

# What the audit log calls the actions recorded here.
AUDIT_ACTIONS = audit_actions(
    {
        "k12.codes.generate": gettext_lazy("生成云码"),
        "k12.codes.publish": gettext_lazy("发布云码"),
        "k12.code.relink": gettext_lazy("更改云码指向"),
        "k12.code.retire": gettext_lazy("停用云码"),
    }
)


logger = logging.getLogger(__name__)


def _forget_code(code: str) -> None:
    keys = [selectors.code_cache_key(code)]
    keys += [f"k12:qpage:{code}:{language}" for language, _label in settings.LANGUAGES]
    transaction.on_commit(lambda: cache.delete_many(keys))


def forget_lesson_pages(resource: Resource) -> None:
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


def _insert_codes(batch: CodeBatch, targets: list[Lesson | KnowledgePoint], actor: User) -> list[Code]:
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


def _batch_organization(actor: Actor, organization: Organization | None) -> Organization | None:
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
    actor: Actor,
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
    *, actor: Actor, code: Code, target: Lesson | KnowledgePoint, reason: str = "", confirm_published: bool = False
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
        text = reason_given(reason)
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
def code_batch_publish(*, actor: Actor, batch: CodeBatch) -> int:
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
def code_retire(*, actor: Actor, code: Code, reason: str) -> Code:
    """Stop a code for good (a misprint); it answers the friendly "not found" page and is never reissued."""
    if not selectors.can_manage_batch(actor, code.batch):
        raise PermissionDenied(_("您不能停用这个云码"))
    text = reason_given(reason)
    code.status = Code.Status.RETIRED
    code.save(update_fields=["status", "updated_at"])
    audit_record(action="k12.code.retire", actor=actor, obj=code, detail={"reason": text})
    _forget_code(code.code)
    return code


# Counting scans: the scan path only adds to an in-process Counter; a background thread writes the counts every
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
