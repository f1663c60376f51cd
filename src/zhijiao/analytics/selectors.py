"""Reads of analytics: hot rankings, the dashboard's figures and the staff-only region figures.

Everything here reads the daily rollups only, never raw page views, and keeps its plain numbers in the cache for
``CONTENT_CACHE_SECONDS``; labels are attached afterwards in the visitor's language.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zhijiao.core.actors import Actor, signed_in
from zhijiao.core.cache import content_cached
from zhijiao.core.platforms import Platform
from zhijiao.orgs.models import Role
from zhijiao.orgs.selectors import is_platform_admin, organizations_where, region_code_prefix

from .models import (
    ALL_PLATFORMS,
    DailyDeviceStat,
    DailyObjectStat,
    DailyPlatformStat,
    DailyRegionStat,
    Device,
    PlatformTotal,
)

HOT_PERIODS = (7, 30)
TREND_DAYS = 90
RECENT_DAYS = 30


def _since(days: int, today: date | None = None) -> date:
    return (today or timezone.localdate()) - timedelta(days=days - 1)


def platform_label(key: str) -> str | Promise:
    return _("全平台") if key == ALL_PLATFORMS else Platform(key).label if key in Platform.values else key


# --- Hot rankings -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HotItem:
    """One entry of a "十大最热" list: what was viewed, how often, and where it lives."""

    object_type: str
    object_id: int
    pv: int
    title: str
    url: str
    platform: str

    @property
    def platform_label(self) -> str | Promise:
        return platform_label(self.platform)

    @property
    def type_label(self) -> str | Promise:
        try:
            return apps.get_model(self.object_type)._meta.verbose_name
        except (LookupError, ValueError):
            return self.object_type


def _ranked_rows(*, platform: str | None, object_type: str | None, days: int, limit: int) -> list[tuple[str, int, int]]:
    qs = DailyObjectStat.objects.filter(day__gte=_since(days))
    if platform:
        qs = qs.filter(platform=platform)
    if object_type:
        qs = qs.filter(object_type=object_type)
    rows = (
        qs.order_by()
        .values("object_type", "object_id")
        .annotate(total=Sum("pv"))
        .order_by("-total", "object_type", "object_id")[:limit]
    )
    return [(row["object_type"], row["object_id"], int(row["total"])) for row in rows]


def _resolve(rows: list[tuple[str, int, int]], limit: int) -> list[HotItem]:
    """Attach the objects with one query per type; hidden, unpublished or deleted objects drop out."""
    ids_by_type: dict[str, list[int]] = {}
    for object_type, object_id, _pv in rows:
        ids_by_type.setdefault(object_type, []).append(object_id)
    found: dict[tuple[str, int], Any] = {}
    for object_type, ids in ids_by_type.items():
        try:
            model = apps.get_model(object_type)
        except (LookupError, ValueError):
            continue
        for pk, obj in model._default_manager.in_bulk(ids).items():
            found[(object_type, pk)] = obj
    from zhijiao.portal.selectors import is_public, platform_key_of

    items = []
    for object_type, object_id, pv in rows:
        obj = found.get((object_type, object_id))
        if not is_public(obj):
            continue
        get_url = getattr(obj, "get_absolute_url", None)
        items.append(
            HotItem(
                object_type=object_type,
                object_id=object_id,
                pv=pv,
                title=str(obj),
                url=get_url() if callable(get_url) else "",
                platform=platform_key_of(obj),
            )
        )
        if len(items) == limit:
            break
    return items


def views_of_type(*, object_type: str, platform: str | None = None, days: int = 30, limit: int = 50) -> dict[int, int]:
    """Page views of the ``limit`` most viewed objects of one type over the last ``days`` days, by object id (most
    viewed first). Plain numbers from the rollups, for an app that ranks with more than views (courses add their
    enrolments); objects are not loaded, so hidden or deleted ones are the caller's to drop."""
    rows = _ranked_rows(platform=platform, object_type=object_type, days=days, limit=limit)
    return {object_id: pv for _type, object_id, pv in rows}


def object_views_by_day(*, object_type: str, object_id: int, since: date) -> dict[date, int]:
    """Page views of one object per day from ``since`` on (days without views are missing), from the rollups: the
    series an app draws as its object's usage over time."""
    rows = (
        DailyObjectStat.objects.filter(object_type=object_type, object_id=object_id, day__gte=since)
        .values("day")
        .annotate(total=Sum("pv"))
        .values_list("day", "total")
    )
    return {day: int(total or 0) for day, total in rows}


def hot_objects(
    *, platform: str | None = None, object_type: str | None = None, days: int = 7, limit: int = 10
) -> list[HotItem]:
    """The most viewed objects of the last ``days`` days (7 or 30), of one platform and/or type, most viewed first.

    Reads ``DailyObjectStat`` only; a few more rows than asked are ranked so that hidden objects can drop out.
    """
    if days not in HOT_PERIODS:
        raise ValueError(f"days must be one of {HOT_PERIODS}")
    key = f"analytics:hot:{platform or '-'}:{object_type or '-'}:{days}:{limit}"

    def build() -> list[HotItem]:
        rows = _ranked_rows(platform=platform, object_type=object_type, days=days, limit=limit * 2 + 5)
        return _resolve(rows, limit)

    return list(content_cached(key, build))


# --- The dashboard ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlatformFigures:
    """Page views and visitors of one platform (or ``all``): all time and the last 30 days."""

    key: str
    pv_total: int
    uv_total: int
    pv_recent: int
    uv_recent: int

    @property
    def label(self) -> str | Promise:
        return platform_label(self.key)


@dataclass(frozen=True)
class DayFigures:
    day: date
    pv: int
    uv: int


@dataclass(frozen=True)
class DeviceFigures:
    key: str
    pv: int

    @property
    def label(self) -> str | Promise:
        return Device(self.key).label if self.key in Device.values else self.key


@dataclass(frozen=True)
class Dashboard:
    """What /data/ and /api/v1/stats/summary show."""

    overall: PlatformFigures
    platforms: list[PlatformFigures]
    trend: list[DayFigures]
    devices: list[DeviceFigures]
    hot: list[HotItem]
    recent_days: int = RECENT_DAYS
    trend_days: int = TREND_DAYS


def _dashboard_numbers() -> dict[str, Any]:
    today = timezone.localdate()
    totals = {row.platform: (row.pv, row.uv) for row in PlatformTotal.objects.all()}
    recent = {
        row["platform"]: (int(row["pv"] or 0), int(row["uv"] or 0))
        for row in DailyPlatformStat.objects.filter(day__gte=_since(RECENT_DAYS, today), day__lte=today)
        .order_by()
        .values("platform")
        .annotate(pv=Sum("pv"), uv=Sum("uv"))
    }
    by_day = {
        row[0]: (row[1], row[2])
        for row in DailyPlatformStat.objects.filter(
            platform=ALL_PLATFORMS, day__gte=_since(TREND_DAYS, today), day__lte=today
        ).values_list("day", "pv", "uv")
    }
    trend = []
    for offset in range(TREND_DAYS):
        day = _since(TREND_DAYS, today) + timedelta(days=offset)
        pv, uv = by_day.get(day, (0, 0))
        trend.append((day, pv, uv))
    devices = dict(
        DailyDeviceStat.objects.filter(platform=ALL_PLATFORMS, day__gte=_since(RECENT_DAYS, today), day__lte=today)
        .order_by()
        .values("device")
        .annotate(pv=Sum("pv"))
        .values_list("device", "pv")
    )
    return {"totals": totals, "recent": recent, "trend": trend, "devices": devices}


def _figures(key: str, numbers: dict[str, Any]) -> PlatformFigures:
    pv_total, uv_total = numbers["totals"].get(key, (0, 0))
    pv_recent, uv_recent = numbers["recent"].get(key, (0, 0))
    return PlatformFigures(key, pv_total, uv_total, pv_recent, uv_recent)


def dashboard() -> Dashboard:
    """The public figures: totals per platform, the daily trend, devices and the ten hottest items."""
    numbers = content_cached("analytics:dashboard", _dashboard_numbers)
    return Dashboard(
        overall=_figures(ALL_PLATFORMS, numbers),
        platforms=[_figures(key, numbers) for key in Platform.values],
        trend=[DayFigures(day, pv, uv) for day, pv, uv in numbers["trend"]],
        devices=[DeviceFigures(key, int(numbers["devices"].get(key, 0))) for key in Device.values],
        hot=hot_objects(days=7, limit=10),
    )


# --- Region figures (staff) ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegionScope:
    """Which regions a staff member may see: every province (prefixes empty) or the regions under theirs."""

    prefixes: tuple[str, ...]

    @property
    def national(self) -> bool:
        return not self.prefixes


@dataclass(frozen=True)
class RegionFigures:
    code: str
    name: str
    pv: int


def region_scope_of(user: Actor) -> RegionScope | None:
    """Platform admins see every province, district staff the regions under their agency's; others nothing."""
    if not signed_in(user):
        return None
    if is_platform_admin(user):
        return RegionScope(prefixes=())
    agencies = organizations_where(user, Role.DISTRICT_STAFF).select_related("region")
    prefixes = tuple(sorted({region_code_prefix(agency.region) for agency in agencies}))
    return RegionScope(prefixes=prefixes) if prefixes else None


def access_region_figures(*, actor: Actor) -> RegionScope:
    """The region figures are for platform admins and district staff only."""
    scope = region_scope_of(actor)
    if scope is None:
        raise PermissionDenied
    return scope


def region_figures(*, scope: RegionScope, days: int = RECENT_DAYS) -> list[RegionFigures]:
    """Page views by signed-in members per region over the last ``days`` days, most first.

    National scope groups by province (the first two digits of the code); a district scope lists each county.
    """
    from zhijiao.orgs.models import Region

    qs = DailyRegionStat.objects.filter(day__gte=_since(days)).order_by()
    if scope.national:
        rows = [
            (code + "0000", int(pv))
            for code, pv in qs.annotate(province=Substr("region", 1, 2))
            .values("province")
            .annotate(total=Sum("pv"))
            .values_list("province", "total")
        ]
    else:
        from django.db.models import Q

        where = Q()
        for prefix in scope.prefixes:
            where |= Q(region__startswith=prefix)
        rows = [
            (code, int(pv))
            for code, pv in qs.filter(where).values("region").annotate(total=Sum("pv")).values_list("region", "total")
        ]
    names = dict(Region.objects.filter(code__in=[code for code, _pv in rows]).values_list("code", "name"))
    figures = [RegionFigures(code, names.get(code, code), pv) for code, pv in rows]
    return sorted(figures, key=lambda figure: (-figure.pv, figure.code))
