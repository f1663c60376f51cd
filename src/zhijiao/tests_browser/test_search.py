"""Searching in a real Chromium: type in the header box, see suggestions, submit, read highlighted results."""

import pytest
from playwright.sync_api import expect

from zhijiao.core.platforms import Platform
from zhijiao.portal.tests.factories import make_article
from zhijiao.search.services import reindex

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def articles(transactional_db: None) -> None:
    make_article(Platform.EMPLOYMENT, "北京生物制药企业春季招聘会", body="多家生物制药企业提供研发岗位。")
    make_article(Platform.K12, "七年级一元一次方程专题复习", body="一元一次方程的解法与练习。")
    reindex()


def test_type_see_suggestions_submit_and_see_highlighted_results(live_server, articles, page) -> None:
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(live_server.url + "/")
    box = page.locator("#site-search-q")
    box.press_sequentially("生物制", delay=60)
    suggestion = page.locator("#site-search-suggestions a.suggestion")
    expect(suggestion.first).to_contain_text("北京生物制药企业春季招聘会")
    box.fill("北京 生物制药")
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")
    expect(page.get_by_role("heading", name="找到 1 条结果")).to_be_visible()
    expect(page.locator(".result-title mark").first).to_have_text("北京生物制药")  # adjacent matches merge
    expect(page.locator(".result-snippet mark").first).to_have_text("生物制药")
    assert problems == []
