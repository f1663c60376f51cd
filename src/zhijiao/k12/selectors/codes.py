"""云码: what a scanned code opens (cached), batches and codes with their access checks, and scan statistics."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, cast

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from zhijiao.core.actors import Actor
from zhijiao.core.errors import NotFound
from zhijiao.core.ratelimit import parse_rate
from zhijiao.orgs.selectors import region_code_prefix

from ..codes import normalize_code
from ..models import Code, CodeBatch, ScanStat
from .permissions import can_manage_batch, can_see_scan_stats, code_organizations, district_agencies, is_k12_staff


@dataclass(frozen=True)
class ResolvedCode:
    """What /q/<code> needs, small enough to cache: ids and the state, no model instances."""

    code_id: int
    code: str
    status: str
    lesson_id: int | None
    point_id: int | None
    book_id: int | None
    version: int


def code_cache_key(code: str) -> str:
    return f"k12:code:{code}"


CODE_CACHE_SECONDS = 300


def code_scan_rate() -> tuple[int, int]:
    """(codes, seconds) one client address may open, on the page and in the API alike (``CODE_SCAN_RATE``)."""
    return parse_rate(settings.CODE_SCAN_RATE)


def resolve_code(*, code: str) -> ResolvedCode | None:
    """The code's state and target (cached five minutes; services clear it on every change)."""
    value = normalize_code(code)
    if not value or len(value) > 16:
        return None
    key = code_cache_key(value)
    cached = cache.get(key)
    if cached is not None:
        return cached or None
    row = (
        Code.objects.filter(code=value)
        .values(
            "pk",
            "code",
            "status",
            "lesson_id",
            "point_id",
            "version",
            "lesson__unit__book_id",
            "point__lesson__unit__book_id",
            "batch__book_id",
        )
        .first()
    )
    resolved = (
        ResolvedCode(
            code_id=row["pk"],
            code=row["code"],
            status=row["status"],
            lesson_id=row["lesson_id"],
            point_id=row["point_id"],
            book_id=row["lesson__unit__book_id"] or row["point__lesson__unit__book_id"] or row["batch__book_id"],
            version=row["version"],
        )
        if row
        else None
    )
    cache.set(key, resolved or False, CODE_CACHE_SECONDS)
    return resolved


def batches_for(*, actor: Actor) -> QuerySet[CodeBatch]:
    qs = CodeBatch.objects.select_related("book__subject", "book__edition", "organization").annotate(
        code_count=Count("codes")
    )
    if is_k12_staff(actor):
        return qs
    return qs.filter(organization__in=[org.pk for org in code_organizations(actor)])


def access_batch(*, actor: Actor, batch_id: int) -> CodeBatch:
    batch = (
        CodeBatch.objects.select_related("book__subject", "book__edition", "organization", "collection")
        .filter(pk=batch_id)
        .first()
    )
    if batch is None or not can_manage_batch(actor, batch):
        raise NotFound
    return batch


def batch_codes(*, batch: CodeBatch) -> QuerySet[Code]:
    return batch.codes.select_related("lesson__unit", "point__lesson").order_by("id")


def access_code(*, actor: Actor, code_id: int) -> Code:
    code = Code.objects.select_related("batch", "lesson", "point").filter(pk=code_id).first()
    if code is None or not can_manage_batch(actor, code.batch):
        raise NotFound
    return code


@dataclass
class ScanReport:
    days: list[date]
    daily: list[int]
    top: list[dict[str, Any]]
    regions: list[dict[str, Any]]
    total: int


def _scan_scope(actor: Actor) -> QuerySet[ScanStat]:
    qs = ScanStat.objects.all()
    if is_k12_staff(actor):
        return qs
    agencies = district_agencies(actor)
    if not agencies:
        return qs.none()
    condition = Q()
    for agency in agencies:
        prefix = region_code_prefix(agency.region)
        condition |= Q(code__batch__organization__region__code__startswith=prefix) | Q(region__startswith=prefix)
    return qs.filter(condition)


def scan_report(*, actor: Actor, days: int = 30, today: date | None = None) -> ScanReport:
    """Scans per day, the most scanned codes and the regions they came from, over the last ``days`` days."""
    if not can_see_scan_stats(actor):
        raise NotFound
    today = today or timezone.localdate()
    since = today - timedelta(days=days - 1)
    qs = _scan_scope(actor).filter(day__gte=since)
    per_day = dict(qs.order_by().values_list("day").annotate(total=Sum("count")).values_list("day", "total"))
    day_list = [since + timedelta(days=offset) for offset in range(days)]
    top: list[dict[str, Any]] = cast(
        list[dict[str, Any]],
        list(
            qs.order_by()
            .values("code__code", "code__lesson__title", "code__point__title", "code__batch__title")
            .annotate(total=Sum("count"))
            .order_by("-total", "code__code")[:20]
        ),
    )
    regions: list[dict[str, Any]] = cast(
        list[dict[str, Any]],
        list(
            qs.exclude(region="")
            .order_by()
            .values("region")
            .annotate(total=Sum("count"))
            .order_by("-total", "region")[:20]
        ),
    )
    from zhijiao.orgs.models import Region

    names = dict(Region.objects.filter(code__in=[row["region"] for row in regions]).values_list("code", "name"))
    for row in regions:
        row["name"] = names.get(row["region"], row["region"])
    return ScanReport(
        days=day_list,
        daily=[int(per_day.get(day, 0)) for day in day_list],
        top=top,
        regions=regions,
        total=sum(int(value) for value in per_day.values()),
    )
