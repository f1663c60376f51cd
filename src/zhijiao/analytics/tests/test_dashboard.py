"""The /data/ page and /api/v1/stats: figures from the rollups, tables without JavaScript, staff-only regions."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from zhijiao.analytics.services import pageviews_rollup
from zhijiao.core.platforms import Platform
from zhijiao.portal.tests.factories import make_article

from .factories import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(orgs) -> dict:
    today = timezone.localdate()
    article = make_article(Platform.K12, "七年级数学一元一次方程微课")
    school_region = orgs["school"].region_id
    record(day=today, platform="k12", visitor="a", device="mobile", obj=("portal.article", article.pk), times=5)
    record(day=today, platform="hall", visitor="b", device="desktop", region=school_region, times=2)
    record(day=today - timedelta(days=40), platform="portal", visitor="c", times=3)
    pageviews_rollup()
    return {"article": article, "region": school_region}


def html(response) -> str:
    return response.content.decode()


def test_dashboard_shows_totals_trend_devices_and_hot_items_as_tables(client, history) -> None:
    response = client.get("/data/")
    assert response.status_code == 200
    page = html(response)
    assert re.search(r"<dt>总浏览量</dt><dd>10</dd>", page)
    assert re.search(r"<dt>总访客量</dt><dd>3</dd>", page)
    assert re.search(r"<dt>近 30 天浏览量</dt><dd>7</dd>", page)
    # Without JavaScript every chart's figures are in a table.
    assert re.search(r'<th scope="row">中小学</th><td class="num">5</td><td class="num">1</td>', page)
    assert re.search(r'<th scope="row">手机</th><td class="num">5</td>', page)
    assert 'id="trend-table"' in page and f'<time datetime="{timezone.localdate():%Y-%m-%d}">' in page
    assert "七年级数学一元一次方程微课" in page and f'href="/articles/{history["article"].pk}/"' in page
    # Charts are drawn from data, not code: the CSP (script-src 'self') stays strict.
    chart_data = re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', page, re.S)
    assert chart_data is not None
    data = json.loads(chart_data.group(1))
    assert data["trend"]["kind"] == "line" and len(data["trend"]["labels"]) == 90
    assert data["trend"]["series"][0]["values"][-1] == 7
    assert data["devices"]["kind"] == "pie" and data["platforms"]["kind"] == "pie"
    assert not re.search(r"<script>(?!</script>)", page)
    assert "style=" not in page
    # Region figures are for staff only.
    assert "各地区浏览量" not in page and "regions" not in data


def test_the_old_portal_totals_stay_on_the_page(client, history) -> None:
    page = html(client.get("/data/"))
    assert "各类机构数量" in page and "各平台发布文章数" in page


@pytest.mark.parametrize("who", ["student", "teacher", "recruiter"])
def test_region_figures_are_refused_to_non_staff(client, history, users, who: str) -> None:
    client.force_login(users[who])
    assert "各地区浏览量" not in html(client.get("/data/"))
    response = client.get("/api/v1/stats/regions")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert client.get("/api/v1/stats/summary").json()["regions"] is None


def test_region_figures_are_refused_to_anonymous_visitors(client, history) -> None:
    response = client.get("/api/v1/stats/regions")
    assert response.status_code == 401
    assert client.get("/api/v1/stats/summary").json()["regions"] is None


def test_a_deactivated_platform_admin_is_a_visitor_to_region_figures(client, history, platform_admin) -> None:
    from zhijiao.analytics.selectors import region_scope_of

    client.force_login(platform_admin)
    platform_admin.is_active = False
    platform_admin.save(update_fields=["is_active"])
    assert region_scope_of(platform_admin) is None
    assert "各地区浏览量" not in html(client.get("/data/"))
    assert client.get("/api/v1/stats/regions").status_code == 401
    assert client.get("/api/v1/stats/summary").json()["regions"] is None


def test_platform_admin_sees_views_by_province(client, history, platform_admin) -> None:
    client.force_login(platform_admin)
    page = html(client.get("/data/"))
    assert "各地区浏览量" in page
    province = history["region"][:2] + "0000"
    assert re.search(rf"<td>{province}</td><td class=\"num\">2</td>", page)
    assert client.get("/api/v1/stats/regions").json() == [
        {"code": province, "name": client.get("/api/v1/stats/regions").json()[0]["name"], "pv": 2}
    ]


def test_district_staff_see_only_their_own_districts(client, history, district_staff, orgs) -> None:
    client.force_login(district_staff)
    figures = client.get("/api/v1/stats/regions").json()
    agency_region = orgs["agency"].region_id
    assert all(
        figure["code"].startswith(agency_region[:4] if agency_region.endswith("00") else agency_region)
        for figure in figures
    )
    summary = client.get("/api/v1/stats/summary").json()
    assert summary["regions"] == figures


def test_api_summary_returns_the_dashboard_figures(client, history) -> None:
    response = client.get("/api/v1/stats/summary")
    assert response.status_code == 200
    body = response.json()
    assert body["overall"] == {
        "platform": "all",
        "label": "全平台",
        "pv_total": 10,
        "uv_total": 3,
        "pv_recent": 7,
        "uv_recent": 2,
    }
    k12 = next(p for p in body["platforms"] if p["platform"] == "k12")
    assert (k12["pv_total"], k12["pv_recent"], k12["label"]) == (5, 5, "中小学")
    assert len(body["trend"]) == 90 and body["trend"][-1] == {"day": timezone.localdate().isoformat(), "pv": 7, "uv": 2}
    assert {d["device"]: d["pv"] for d in body["devices"]} == {"mobile": 5, "tablet": 0, "desktop": 2}
    assert body["hot"][0]["title"] == "七年级数学一元一次方程微课" and body["hot"][0]["pv"] == 5
    assert body["regions"] is None


def test_api_hot_rankings_and_bad_input(client, history) -> None:
    assert [item["pv"] for item in client.get("/api/v1/stats/hot?platform=k12&days=30").json()] == [5]
    assert client.get("/api/v1/stats/hot?platform=hall").json() == []
    for query, field in (("days=5", "days"), ("days=abc", "days"), ("platform=mars", "platform")):
        bad = client.get(f"/api/v1/stats/hot?{query}")
        assert bad.status_code == 422, query
        assert list(bad.json()["fields"]) == [field]
    long_type = client.get("/api/v1/stats/hot?object_type=" + "x" * 5000)
    assert long_type.status_code == 200 and long_type.json() == []


def test_dashboard_figures_are_cached_for_a_minute(client, history, settings, django_assert_max_num_queries) -> None:
    settings.CONTENT_CACHE_SECONDS = 60
    client.get("/api/v1/stats/summary")
    record(day=timezone.localdate(), platform="k12", visitor="q", times=4)
    pageviews_rollup()
    # +1: the API's request limit, counted in the database without Redis (core.counters)
    with django_assert_max_num_queries(1):
        cached = client.get("/api/v1/stats/summary").json()
    assert cached["overall"]["pv_total"] == 10


def test_portal_home_shows_the_hot_list(client, history) -> None:
    page = html(client.get("/"))
    assert "热门" in page and "七年级数学一元一次方程微课" in page


def test_dashboard_shows_the_employment_figures_with_a_push_chart(client, history) -> None:
    from zhijiao.employment.models import PushRun
    from zhijiao.employment.tests.factories import (
        make_employer,
        make_graduate,
        make_job,
        make_recruiter,
        make_regions,
    )

    make_regions()
    employer = make_employer()
    make_job(make_recruiter(employer), employer)
    make_graduate()
    today = timezone.localdate()
    PushRun.objects.create(day=today, pushes=120, recipients=45)
    PushRun.objects.create(day=today - timedelta(days=1), pushes=80, recipients=30)
    page = html(client.get("/data/"))
    figures = page[page.index('id="employment-figures"') :]
    assert re.search(r"<dt>在招岗位</dt><dd>1</dd>", figures)
    assert re.search(r"<dt>登记毕业生</dt><dd>1</dd>", figures)
    assert re.search(r"<dt>今日推送</dt><dd>120</dd>", figures) and re.search(
        r"<dt>今日推送人数</dt><dd>45</dd>", figures
    )
    assert re.search(r'<td class="num">80</td><td class="num">30</td>', figures)
    found = re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', page, re.S)
    assert found is not None
    data = json.loads(found.group(1))
    assert data["pushes"]["labels"] == [(today - timedelta(days=1)).isoformat(), today.isoformat()]
    assert data["pushes"]["series"][0]["values"] == [80, 120]
