"""Rollups: PV and UV per day and platform (and overall), objects, devices, regions, totals; idempotent."""

from datetime import timedelta

import pytest
from django.utils import timezone

from zhijiao.analytics.models import (
    DailyDeviceStat,
    DailyObjectStat,
    DailyPlatformStat,
    DailyRegionStat,
    DailySalt,
    DailyVisitor,
    PageView,
    PlatformTotal,
)
from zhijiao.analytics.selectors import hot_objects
from zhijiao.analytics.services import pageviews_rollup
from zhijiao.core.platforms import Platform
from zhijiao.portal.tests.factories import make_article

from .factories import record

pytestmark = pytest.mark.django_db


def stats() -> dict[tuple, tuple[int, int]]:
    return {(s.day, s.platform): (s.pv, s.uv) for s in DailyPlatformStat.objects.all()}


def test_rollup_counts_views_and_unique_visitors_per_platform_and_overall() -> None:
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    record(day=today, platform="k12", visitor="a", times=3)
    record(day=today, platform="k12", visitor="b")
    record(day=today, platform="higher", visitor="a", device="mobile", times=2)
    record(day=yesterday, platform="k12", visitor="a", device="tablet")
    report = pageviews_rollup()
    assert report.views == 7
    assert stats() == {
        (today, "k12"): (4, 2),
        (today, "higher"): (2, 1),
        (today, "all"): (6, 2),  # visitor a on two platforms is one visitor overall
        (yesterday, "k12"): (1, 1),
        (yesterday, "all"): (1, 1),
    }
    devices = {(d.day, d.platform, d.device): d.pv for d in DailyDeviceStat.objects.all()}
    assert devices[(today, "all", "desktop")] == 4
    assert devices[(today, "all", "mobile")] == 2
    assert devices[(yesterday, "k12", "tablet")] == 1
    totals = {t.platform: (t.pv, t.uv) for t in PlatformTotal.objects.all()}
    assert totals["all"] == (7, 3) and totals["k12"] == (5, 3)
    assert PageView.objects.count() == 0  # rolled-up raw rows are deleted


def test_rollup_is_incremental_and_a_rerun_never_double_counts() -> None:
    today = timezone.localdate()
    record(day=today, platform="portal", visitor="a", times=2)
    pageviews_rollup()
    pageviews_rollup()
    assert stats()[(today, "portal")] == (2, 1)
    # More views the same day: PV adds up, a returning visitor is not counted twice.
    record(day=today, platform="portal", visitor="a")
    record(day=today, platform="portal", visitor="c")
    pageviews_rollup(chunk=1)  # one raw row per transaction gives the same figures
    pageviews_rollup()
    assert stats()[(today, "portal")] == (4, 2)
    assert PlatformTotal.objects.get(platform="all").pv == 4


def test_object_and_region_rollups() -> None:
    today = timezone.localdate()
    record(day=today, platform="k12", obj=("portal.article", 7), region="110108", times=2)
    record(day=today, platform="k12", obj=("portal.article", 8), visitor="z")
    pageviews_rollup()
    objects = {(o.object_type, o.object_id, o.platform): o.pv for o in DailyObjectStat.objects.all()}
    assert objects == {("portal.article", 7, "k12"): 2, ("portal.article", 8, "k12"): 1}
    assert list(DailyRegionStat.objects.values_list("region", "pv")) == [("110108", 2)]


def test_old_days_visitor_keys_and_salts_are_destroyed() -> None:
    today = timezone.localdate()
    old = today - timedelta(days=3)
    DailySalt.objects.create(day=old, salt="00" * 32)
    record(day=old, platform="portal", visitor="a")
    record(day=today, platform="portal", visitor="b")
    pageviews_rollup()
    assert stats()[(old, "portal")] == (1, 1)
    assert set(DailyVisitor.objects.values_list("day", flat=True)) == {today}
    assert not DailySalt.objects.filter(day__lt=today).exists()


def test_hot_objects_rank_from_the_rollups_without_n_plus_one(django_assert_max_num_queries) -> None:
    today = timezone.localdate()
    articles = [make_article(Platform.K12 if n % 2 else Platform.HIGHER, f"热门文章{n}") for n in range(12)]
    hidden = make_article(Platform.K12, "已撤下的文章", is_published=False)
    for n, article in enumerate(articles):
        record(day=today, platform=article.platform, obj=("portal.article", article.pk), times=n + 1)
    record(day=today, platform="k12", obj=("portal.article", hidden.pk), times=100)
    record(day=today - timedelta(days=20), platform="higher", obj=("portal.article", articles[0].pk), times=50)
    pageviews_rollup()
    with django_assert_max_num_queries(2):
        top = hot_objects(days=7, limit=10)
    assert [item.title for item in top] == [f"热门文章{n}" for n in range(11, 1, -1)]
    assert top[0].pv == 12 and top[0].url == articles[11].get_absolute_url()
    k12 = hot_objects(platform="k12", days=7, limit=3)
    assert [item.title for item in k12] == ["热门文章11", "热门文章9", "热门文章7"]
    month = hot_objects(platform="higher", days=30, limit=1)
    assert month[0].title == "热门文章0" and month[0].pv == 51
    assert hot_objects(object_type="portal.topic") == []
    with pytest.raises(ValueError):
        hot_objects(days=5)
