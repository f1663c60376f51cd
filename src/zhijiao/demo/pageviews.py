"""Demo page-view history: months of daily rollups shaped like a real education platform's year.

Written straight into the rollup tables (a few thousand rows), never as millions of raw views. The shape:
weekdays busier than weekends; dips on the 2026 public holidays (元旦, 春节, 清明, 劳动节, 端午, 中秋, 国庆) and
in the summer holiday; the service hall peaking in June's exam and score season (高考, 中考, CET); employment
busy in the spring and autumn recruiting seasons; K-12 rising when school starts in September. Articles and
topics get views by a long-tailed popularity that fades with age, so hot rankings mean something. Everything
derives from ``random.Random(seed)`` and the end date: the same seed on the same day gives the same figures.
"""

import math
import random
from datetime import date, timedelta

from django.db.models import Sum

from zhijiao.analytics.models import (
    ALL_PLATFORMS,
    DailyDeviceStat,
    DailyObjectStat,
    DailyPlatformStat,
    DailyRegionStat,
    PlatformTotal,
)
from zhijiao.courses.models import Course
from zhijiao.orgs.models import Organization
from zhijiao.portal.models import Article, Topic

# The hottest courses of the national platform's MOOC list, hot here too.
HOT_COURSES = frozenset({"大学生心理健康", "走近冬奥会", "院士带你认识“新冠肺炎”"})

HISTORY_DAYS = 180
BASE_DAILY_VIEWS = 180_000
DAILY_GROWTH = 0.0012
MAX_ARTICLES = 400

PLATFORM_SHARES = {
    "portal": 0.22,
    "k12": 0.34,
    "vocational": 0.09,
    "higher": 0.16,
    "employment": 0.11,
    "hall": 0.08,
}
# Pages per visitor per day, and the share of a day's visitors who use more than one platform.
PAGES_PER_VISITOR = {"portal": 2.6, "k12": 4.2, "vocational": 3.6, "higher": 4.8, "employment": 3.9, "hall": 2.9}
CROSS_PLATFORM_OVERLAP = 0.18
DEVICE_SHARES = {
    "portal": {"mobile": 0.64, "tablet": 0.06, "desktop": 0.30},
    "k12": {"mobile": 0.58, "tablet": 0.17, "desktop": 0.25},
    "vocational": {"mobile": 0.66, "tablet": 0.05, "desktop": 0.29},
    "higher": {"mobile": 0.52, "tablet": 0.08, "desktop": 0.40},
    "employment": {"mobile": 0.61, "tablet": 0.03, "desktop": 0.36},
    "hall": {"mobile": 0.71, "tablet": 0.04, "desktop": 0.25},
}
# Share of a platform's views that open one article or topic page.
OBJECT_VIEW_SHARE = 0.32
# Share of views by signed-in members of an organisation (they carry its region).
MEMBER_VIEW_SHARE = 0.09


def _span(first: date, last: date) -> set[date]:
    return {first + timedelta(days=offset) for offset in range((last - first).days + 1)}


# The official days off (国务院办公厅 notices), 2025–2027.
HOLIDAYS: set[date] = set().union(
    _span(date(2025, 1, 1), date(2025, 1, 1)),
    _span(date(2025, 1, 28), date(2025, 2, 4)),
    _span(date(2025, 4, 4), date(2025, 4, 6)),
    _span(date(2025, 5, 1), date(2025, 5, 5)),
    _span(date(2025, 5, 31), date(2025, 6, 2)),
    _span(date(2025, 10, 1), date(2025, 10, 8)),
    _span(date(2026, 1, 1), date(2026, 1, 3)),  # 元旦
    _span(date(2026, 2, 15), date(2026, 2, 23)),  # 春节
    _span(date(2026, 4, 4), date(2026, 4, 6)),  # 清明
    _span(date(2026, 5, 1), date(2026, 5, 5)),  # 劳动节
    _span(date(2026, 6, 19), date(2026, 6, 21)),  # 端午
    _span(date(2026, 9, 25), date(2026, 9, 27)),  # 中秋
    _span(date(2026, 10, 1), date(2026, 10, 7)),  # 国庆
    _span(date(2027, 1, 1), date(2027, 1, 3)),
    _span(date(2027, 2, 6), date(2027, 2, 12)),
)


def _in(day: date, first: tuple[int, int], last: tuple[int, int]) -> bool:
    return date(day.year, *first) <= day <= date(day.year, *last)


def _season(day: date, platform: str) -> float:
    """How busy ``platform`` is on ``day`` relative to an ordinary weekday."""
    factor = 1.0
    if day in HOLIDAYS:
        factor *= 0.55
    elif day.weekday() >= 5:
        factor *= 0.72 if platform != "k12" else 0.85  # families use K-12 resources at weekends too
    summer = _in(day, (7, 12), (8, 31))
    winter = _in(day, (1, 20), (2, 25))
    if summer or winter:
        factor *= {"k12": 0.62, "higher": 0.48, "vocational": 0.55}.get(platform, 0.85)
    if platform == "hall":
        if _in(day, (6, 7), (6, 10)):  # 高考
            factor *= 1.8
        if _in(day, (6, 23), (6, 30)):  # 高考、中考 scores and CET results
            factor *= 2.6
        if _in(day, (12, 1), (12, 15)) or _in(day, (6, 1), (6, 14)):  # CET exam weeks
            factor *= 1.4
    if platform == "employment" and (_in(day, (3, 1), (4, 30)) or _in(day, (9, 10), (11, 30))):
        factor *= 1.5
    if platform == "k12" and _in(day, (9, 1), (9, 15)):
        factor *= 1.3
    if platform == "higher" and (_in(day, (9, 1), (9, 30)) or _in(day, (3, 1), (3, 20))):
        factor *= 1.25
    return factor


def _noisy(rng: random.Random, value: float, spread: float = 0.05) -> int:
    return max(0, round(value * (1 + rng.gauss(0, spread))))


def seed_pageviews(*, seed: int, end: date, days: int = HISTORY_DAYS) -> dict[str, int]:
    """Write ``days`` days of rollups ending on ``end``, for every platform, device, region and popular item."""
    rng = random.Random(seed * 31 + 7)
    first = end - timedelta(days=days - 1)
    # A reload replaces the demo history of those days rather than adding to it.
    for model in (DailyPlatformStat, DailyDeviceStat, DailyObjectStat, DailyRegionStat):
        model.objects.filter(day__gte=first, day__lte=end).delete()
    platform_rows: list[DailyPlatformStat] = []
    device_rows: list[DailyDeviceStat] = []
    daily_pv: dict[tuple[date, str], int] = {}
    for offset in range(days):
        day = first + timedelta(days=offset)
        growth = math.exp(DAILY_GROWTH * offset)
        total_pv = total_uv = 0
        devices_all: dict[str, int] = {}
        for platform, share in PLATFORM_SHARES.items():
            pv = _noisy(rng, BASE_DAILY_VIEWS * share * growth * _season(day, platform))
            uv = _noisy(rng, pv / PAGES_PER_VISITOR[platform], 0.03)
            platform_rows.append(DailyPlatformStat(day=day, platform=platform, pv=pv, uv=uv))
            daily_pv[(day, platform)] = pv
            total_pv += pv
            total_uv += uv
            left = pv
            for index, (device, device_share) in enumerate(DEVICE_SHARES[platform].items()):
                last = index == len(DEVICE_SHARES[platform]) - 1
                count = left if last else min(left, _noisy(rng, pv * device_share, 0.04))
                left -= count
                device_rows.append(DailyDeviceStat(day=day, platform=platform, device=device, pv=count))
                devices_all[device] = devices_all.get(device, 0) + count
        overall_uv = round(total_uv * (1 - CROSS_PLATFORM_OVERLAP))
        platform_rows.append(DailyPlatformStat(day=day, platform=ALL_PLATFORMS, pv=total_pv, uv=overall_uv))
        device_rows += [
            DailyDeviceStat(day=day, platform=ALL_PLATFORMS, device=device, pv=count)
            for device, count in devices_all.items()
        ]
    DailyPlatformStat.objects.bulk_create(platform_rows, batch_size=2000)
    DailyDeviceStat.objects.bulk_create(device_rows, batch_size=2000)

    object_rows = _object_rows(rng, first, end, daily_pv)
    DailyObjectStat.objects.bulk_create(object_rows, batch_size=5000)
    region_rows = _region_rows(rng, first, end, daily_pv)
    DailyRegionStat.objects.bulk_create(region_rows, batch_size=5000)

    totals = DailyPlatformStat.objects.filter(day__gte=first, day__lte=end).values("platform")
    PlatformTotal.objects.bulk_create(
        [
            PlatformTotal(platform=row["platform"], pv=row["pv"], uv=row["uv"])
            for row in totals.order_by().annotate(pv=Sum("pv"), uv=Sum("uv"))
        ],
        update_conflicts=True,
        unique_fields=["platform"],
        update_fields=["pv", "uv"],
    )
    return {
        "pageview_days": days,
        "pageview_object_rows": len(object_rows),
        "pageviews": sum(row.pv for row in platform_rows if row.platform == ALL_PLATFORMS),
    }


def _object_rows(
    rng: random.Random, first: date, end: date, daily_pv: dict[tuple[date, str], int]
) -> list[DailyObjectStat]:
    """Views of the published articles and topics: long-tailed popularity, fading with each item's age."""
    items: list[tuple[str, int, str, date, float]] = []
    articles = Article.objects.filter(is_published=True).order_by("id").values_list("id", "platform", "published_at")
    for pk, platform, published_at in articles[:MAX_ARTICLES]:
        items.append(("portal.article", pk, platform, published_at.date(), 0.0))
    for pk, created_at in Topic.objects.filter(is_published=True).order_by("id").values_list("id", "created_at"):
        items.append(("portal.topic", pk, "portal", min(created_at.date(), first), 0.0))
    # Published courses, viewed in proportion to their learners; the platform's famous hot courses lead.
    courses = Course.objects.filter(published_version__isnull=False).order_by("id")
    for pk, title, learners in courses.values_list("id", "title", "enrolment_count"):
        boost = 12.0 if title in HOT_COURSES else 1.0 + learners / 10
        items.append(("courses.course", pk, "higher", first, boost))
    order = list(range(len(items)))
    rng.shuffle(order)
    weights = [0.0] * len(items)
    for rank, index in enumerate(order, start=1):
        weights[index] = 1 / rank**0.9 * (3.0 if items[index][0] == "portal.topic" else 1.0)
        weights[index] *= items[index][4] or 1.0
    by_platform: dict[str, list[int]] = {}
    for index, item in enumerate(items):
        by_platform.setdefault(item[2], []).append(index)
    rows: list[DailyObjectStat] = []
    day = first
    while day <= end:
        for platform, indexes in by_platform.items():
            budget = daily_pv.get((day, platform), 0) * OBJECT_VIEW_SHARE
            live = []
            for index in indexes:
                published = items[index][3]
                if published > day:
                    continue
                age = (day - published).days
                live.append((index, weights[index] * (0.25 + 0.75 * math.exp(-age / 21))))
            mass = sum(weight for _, weight in live)
            if not mass:
                continue
            for index, weight in live:
                pv = _noisy(rng, budget * weight / mass, 0.15)
                if pv:
                    object_type, pk, _platform, _published, _weight = items[index]
                    rows.append(
                        DailyObjectStat(day=day, object_type=object_type, object_id=pk, platform=platform, pv=pv)
                    )
        day += timedelta(days=1)
    return rows


def _region_rows(
    rng: random.Random, first: date, end: date, daily_pv: dict[tuple[date, str], int]
) -> list[DailyRegionStat]:
    """Views by signed-in members, spread over the regions of the organisations they belong to."""
    codes = sorted({code for code in Organization.objects.values_list("region_id", flat=True) if code})
    if not codes:
        return []
    weights = {code: rng.uniform(0.3, 1.0) for code in codes}
    mass = sum(weights.values())
    rows = []
    day = first
    while day <= end:
        members = sum(pv for (d, _p), pv in daily_pv.items() if d == day) * MEMBER_VIEW_SHARE
        for code in codes:
            pv = _noisy(rng, members * weights[code] / mass, 0.1)
            if pv:
                rows.append(DailyRegionStat(day=day, region=code, pv=pv))
        day += timedelta(days=1)
    return rows
