"""The public data page in a real Chromium: ECharts draws every chart from the page's JSON, with no errors."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from zhijiao.core.platforms import Platform
from zhijiao.demo.pageviews import seed_pageviews
from zhijiao.orgs.models import Organization
from zhijiao.orgs.tests.factories import make_organization
from zhijiao.portal.tests.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def history(transactional_db: None) -> None:
    make_organization(Organization.Kind.SCHOOL, "海淀区实验小学")
    for n in range(12):
        make_article(Platform.K12 if n % 2 else Platform.HIGHER, f"热门资讯{n}")
    seed_pageviews(seed=2026, end=timezone.localdate(), days=100)


def test_data_page_draws_its_charts_without_errors(live_server, history, page) -> None:
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(live_server.url + "/data/")
    for name in ("trend", "platforms", "devices", "organizations", "articles"):
        chart = page.locator(f'[data-chart="{name}"]')
        expect(chart).to_be_visible()
        expect(chart.locator("canvas")).to_have_count(1)
    box = page.locator('[data-chart="trend"] canvas').bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 200
    expect(page.get_by_role("heading", name="十大最热（近 7 天）")).to_be_visible()
    expect(page.locator(".hot-list li")).to_have_count(10)
    assert problems == []


def test_data_page_without_javascript_shows_the_tables(live_server, history, browser) -> None:
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    page.goto(live_server.url + "/data/")
    expect(page.locator("#platforms-table")).to_be_visible()
    expect(page.locator("#devices-table")).to_be_visible()
    expect(page.locator('[data-chart="trend"]')).to_be_hidden()
    page.get_by_text("按日数据表").click()
    expect(page.locator("#trend-table tbody tr")).to_have_count(90)
    context.close()
