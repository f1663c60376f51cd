"""Reads of the exam services and their access checks, each question answered by one function."""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeGuard

from django.db import connections
from django.db.models import Q, QuerySet
from django.utils import timezone

from zhijiao.accounts.models import User
from zhijiao.accounts.selectors import real_name_of
from zhijiao.core.actors import Actor, signed_in
from zhijiao.core.errors import NotFound
from zhijiao.credentials.selectors import Authority, authority
from zhijiao.orgs.models import Region, Role
from zhijiao.orgs.selectors import has_role, is_platform_admin

from .models import ExamNotice, ExamSitting, ExamType, NoticeAttachment, ScoreRecord, SpecialCandidate, SpecialList


def is_hall_officer(user: Actor) -> TypeGuard[User]:
    """Service-hall officers (and platform admins) publish notices and lists, create sittings and import scores."""
    return signed_in(user) and (has_role(user, Role.HALL_OFFICER) or is_platform_admin(user))


# --- Notices ----------------------------------------------------------------------------------------------------


def provinces() -> QuerySet[Region]:
    return Region.objects.filter(level=Region.Level.PROVINCE).order_by("code")


def notice_list(*, province: str = "", year: int | None = None, kind: str = "") -> QuerySet[ExamNotice]:
    """Published notices, newest first; a province filter keeps nationwide notices too."""
    qs = ExamNotice.objects.filter(status=ExamNotice.Status.PUBLISHED).select_related("province")
    if province:
        qs = qs.filter(Q(province_id=province) | Q(province__isnull=True))
    if year:
        qs = qs.filter(year=year)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-published_at", "-id")


def notice_years() -> list[int]:
    return list(
        ExamNotice.objects.filter(status=ExamNotice.Status.PUBLISHED)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def access_notice(*, actor: Actor, notice_id: int) -> ExamNotice:
    """A published notice (officers also see drafts)."""
    notice = ExamNotice.objects.select_related("province").prefetch_related("attachments").filter(pk=notice_id).first()
    if notice is None or (notice.status != ExamNotice.Status.PUBLISHED and not is_hall_officer(actor)):
        raise NotFound
    return notice


def access_attachment(*, actor: Actor, attachment_id: int) -> NoticeAttachment:
    """A notice's attachment, for whoever may read the notice."""
    item = NoticeAttachment.objects.select_related("notice").filter(pk=attachment_id).first()
    if item is None:
        raise NotFound
    access_notice(actor=actor, notice_id=item.notice_id)
    return item


# --- Special-type lists --------------------------------------------------------------------------------------


def special_lists_visible(*, now: datetime | None = None) -> QuerySet[SpecialList]:
    """Lists in their public-notice period."""
    now = now or timezone.now()
    return SpecialList.objects.filter(is_published=True, notice_start__lte=now, notice_end__gte=now).order_by(
        "-notice_start", "-id"
    )


def access_special_list(*, actor: Actor, list_id: int) -> SpecialList:
    """A list in its notice period; outside it (or unpublished) only officers see it."""
    found = SpecialList.objects.filter(pk=list_id).first()
    if found is None or (not found.is_visible() and not is_hall_officer(actor)):
        raise NotFound
    return found


def special_candidates(
    *, special_list: SpecialList, name: str = "", school: str = "", province: str = ""
) -> QuerySet[SpecialCandidate]:
    qs = special_list.candidates.select_related("province").defer("id_number")
    if name:
        qs = qs.filter(name__contains=name.strip())
    if school:
        qs = qs.filter(school__contains=school.strip())
    if province:
        qs = qs.filter(province_id=province)
    return qs.order_by("line")


# --- Sittings and scores ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SittingInfo:
    """What the lookup needs of a sitting, kept in process memory for a few seconds (hot path)."""

    id: int
    exam_type: str
    session: str
    release_at: datetime

    @property
    def issuer(self) -> Authority:
        """The authority of the exam's certificates, read from settings on each use (a dictionary lookup)."""
        return authority(f"exams.{self.exam_type}")

    @property
    def label(self) -> str:
        """The sitting's name in the reader's language (the cache outlives the request that filled it)."""
        return f"{ExamType(self.exam_type).label} {self.session}"

    def is_released(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.release_at


_SITTINGS: dict[str, Any] = {"at": 0.0, "by_id": {}}
SITTING_CACHE_SECONDS = 5.0


def sittings_clear_cache() -> None:
    _SITTINGS["at"] = 0.0


def sittings_by_id() -> dict[int, SittingInfo]:
    """Every sitting by id; a sitting created or changed shows up within a few seconds in every process."""
    now = time.monotonic()
    if now - _SITTINGS["at"] > SITTING_CACHE_SECONDS:
        _SITTINGS["by_id"] = {
            sitting.pk: SittingInfo(
                id=sitting.pk,
                exam_type=sitting.exam_type,
                session=sitting.session,
                release_at=sitting.release_at,
            )
            for sitting in ExamSitting.objects.order_by("-held_on", "exam_type")
        }
        _SITTINGS["at"] = now
    return dict(_SITTINGS["by_id"])


def sitting_info(sitting_id: int) -> SittingInfo:
    found = sittings_by_id().get(sitting_id)
    if found is None:
        sittings_clear_cache()
        found = sittings_by_id().get(sitting_id)
    if found is None:
        raise NotFound
    return found


def sittings_public() -> list[SittingInfo]:
    return list(sittings_by_id().values())


LOOKUP_FIELDS = (
    "id",
    "name",
    "ticket_number",
    "id_number_masked",
    "total",
    "listening",
    "reading",
    "writing",
    "subjects_passed",
    "grade",
    "passed",
)


def score_find(*, sitting_id: int, ticket_number: str = "", id_index: str = "") -> dict[str, Any] | None:
    """One indexed query: the row of (sitting, ticket) or (sitting, ID-number index), without unsealing anything.

    Plain SQL on purpose: this runs for every lookup on release night, and building the same ORM query costs
    ~1 ms of CPU per request against ~0.05 ms for the statement itself. Both columns are parameters."""
    sql = _find_sql("ticket_number" if ticket_number else "id_number_index")
    with connections[ScoreRecord.objects.db].cursor() as cursor:
        cursor.execute(sql, [sitting_id, ticket_number or id_index])
        found = cursor.fetchone()
    if found is None:
        return None
    row = dict(zip(LOOKUP_FIELDS, found, strict=True))
    if row["total"] is not None and not isinstance(row["total"], Decimal):
        row["total"] = Decimal(str(row["total"])).quantize(Decimal("0.1"))
    row["passed"] = bool(row["passed"])
    return row


_FIND_SQL = "SELECT {columns} FROM {table} WHERE sitting_id = %s AND {column} = %s LIMIT 1"


@functools.cache
def _find_sql(column: str) -> str:
    return _FIND_SQL.format(columns=", ".join(LOOKUP_FIELDS), table=ScoreRecord._meta.db_table, column=column)


def access_score(*, score_id: int) -> ScoreRecord:
    score = ScoreRecord.objects.select_related("sitting").filter(pk=score_id).first()
    if score is None or not score.sitting.is_released():
        raise NotFound
    return score


def scores_of(user: Actor) -> QuerySet[ScoreRecord]:
    """A signed-in person's released scores: rows whose ID number matches their real-name identity."""
    holder = real_name_of(user)
    if holder is None:
        return ScoreRecord.objects.none()
    return (
        ScoreRecord.objects.filter(id_number_index=holder.id_number_index, sitting__release_at__lte=timezone.now())
        .select_related("sitting")
        .defer("id_number")
        .order_by("-sitting__held_on")
    )
