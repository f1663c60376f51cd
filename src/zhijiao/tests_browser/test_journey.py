"""A visitor's journey through the portal in a real Chromium: language, every platform, htmx, sign-in, phones."""

import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from zhijiao.accounts.tests.factories import PASSWORD, make_user
from zhijiao.core.platforms import Platform
from zhijiao.orgs.models import Organization, Role
from zhijiao.orgs.tests.factories import add_member, make_organization
from zhijiao.portal.tests.factories import add_topic_item, make_article, make_topic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEACHER_PHONE = "13800138000"
NAV = [
    ("中小学", "/k12/"),
    ("职业教育", "/vocational/"),
    ("高等教育", "/higher/"),
    ("就业服务", "/employment/"),
    ("服务大厅", "/hall/"),
    ("数据", "/data/"),
]


@pytest.fixture
def site(transactional_db: None) -> dict[str, object]:
    school = make_organization(Organization.Kind.SCHOOL, "海淀区实验小学")
    university = make_organization(Organization.Kind.UNIVERSITY, "北京师范大学")
    make_organization(Organization.Kind.VOCATIONAL, "北京电子科技职业学院")
    make_organization(Organization.Kind.EMPLOYER, "北京示例科技有限公司")
    teacher = make_user(phone=TEACHER_PHONE, display_name="张老师")
    add_member(teacher, school, Role.TEACHER)
    k12 = make_article(Platform.K12, "春季学期中小学课后服务指南")
    make_article(Platform.PORTAL, "教育部发布2026年工作要点")
    make_article(Platform.HIGHER, "国家精品慕课新一批上线")
    make_article(Platform.EMPLOYMENT, "2026届高校毕业生春季招聘启动")
    make_article(Platform.HALL, "2026年上半年全国大学英语四、六级考试报名通知", kind="notice")
    make_article(Platform.VOCATIONAL, "职业教育专业教学资源库建设成果展示")
    for title, slug in (("北京冬奥精神", "winter-olympics"), ("心理健康", "mental-health"), ("抗击疫情", "epidemic")):
        topic = make_topic(title, slug=slug, description=f"{title}专题：汇集各平台相关资讯与资源。")
        add_topic_item(topic, k12)
        add_topic_item(topic, university)
    return {"teacher": teacher}


@pytest.fixture
def problems(page) -> list[str]:
    """Console errors and uncaught exceptions of the page (a CSP violation is one)."""
    found: list[str] = []

    def on_console(message) -> None:
        if message.type == "error":
            found.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: found.append(str(error)))
    return found


def nav_link(page, name: str):
    return page.get_by_role("navigation", name="平台导航").get_by_role("link", name=name, exact=True)


def test_visitor_journey(live_server, site, page, problems) -> None:
    base = live_server.url
    page.goto(base + "/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_role("heading", level=1)).to_have_text("国家智慧教育公共服务平台")
    expect(page.get_by_text("北京冬奥精神").first).to_be_visible()
    expect(nav_link(page, "首页")).to_have_attribute("aria-current", "page")

    # English and back to Chinese, staying on the same page.
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url == base + "/"
    page.get_by_role("link", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")

    # Every platform and the data page through the navigation.
    for label, path in NAV:
        nav_link(page, label).click()
        expect(page).to_have_url(base + path)
        expect(page.get_by_role("heading", level=1)).to_have_text(label)
        expect(nav_link(page, label)).to_have_attribute("aria-current", "page")
    # The data page draws its charts over the tables, which stay.
    expect(page.locator('[data-chart="organizations"] canvas')).to_be_visible()
    expect(page.locator('[data-chart="articles"] canvas')).to_be_visible()
    expect(page.get_by_role("table").first).to_be_visible()

    # htmx swaps the newest block in place; the address bar follows.
    nav_link(page, "首页").click()
    page.evaluate("window.__stayedOnPage = true")
    newest = page.get_by_role("navigation", name="按平台筛选最新动态")
    newest.get_by_role("link", name="高等教育").click()
    expect(newest.get_by_role("link", name="高等教育")).to_have_attribute("aria-current", "true")
    expect(page.locator("#newest")).to_contain_text("国家精品慕课新一批上线")
    expect(page.locator("#newest")).not_to_contain_text("春季学期中小学课后服务指南")
    expect(page).to_have_url(re.compile(r"/\?platform=higher$"))
    assert page.evaluate("window.__stayedOnPage") is True

    # A teacher signs in, sees their name in the header and signs out.
    page.get_by_role("link", name="登录", exact=True).click()
    page.locator('input[name="login"]').fill(TEACHER_PHONE)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('input[name="password"]').press("Enter")
    account = page.get_by_role("navigation", name="账号")
    expect(account).to_contain_text("张老师")
    account.get_by_role("button", name="退出").click()
    expect(account.get_by_role("link", name="登录", exact=True)).to_be_visible()
    expect(account).not_to_contain_text("张老师")

    assert problems == [], problems


def test_pages_work_without_javascript(live_server, site, new_context) -> None:
    page = new_context(java_script_enabled=False).new_page()
    page.goto(live_server.url + "/")
    newest = page.get_by_role("navigation", name="按平台筛选最新动态")
    newest.get_by_role("link", name="中小学").click()
    expect(page).to_have_url(re.compile(r"/\?platform=k12#newest$"))
    expect(page.locator("#newest")).to_contain_text("春季学期中小学课后服务指南")
    expect(page.locator("#newest")).not_to_contain_text("国家精品慕课新一批上线")
    nav_link(page, "数据").click()
    expect(page.locator(".chart").first).to_be_hidden()
    expect(page.get_by_role("table").filter(has_text="中小学校")).to_have_count(1)
    nav_link(page, "首页").click()
    page.get_by_role("link", name=re.compile("^北京冬奥精神")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("北京冬奥精神")
    page.get_by_role("link", name="春季学期中小学课后服务指南").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("春季学期中小学课后服务指南")


@pytest.mark.parametrize("width", [360, 1280])
def test_home_fits_the_screen(live_server, site, new_context, width: int) -> None:
    page = new_context(viewport={"width": width, "height": 800}).new_page()
    for path in ("/", "/k12/", "/hall/", "/data/", "/topics/mental-health/"):
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
        assert scroll_width <= width, f"{path} scrolls sideways at {width}px: {scroll_width}"
    page.goto(live_server.url + "/")
    # Kept for a person to look at the design: the home page as a phone and a desktop show it.
    page.screenshot(path=Path(tempfile.gettempdir()) / f"zhijiao-home-{width}.png", full_page=True)


def test_keyboard_user_can_skip_to_content(live_server, site, page) -> None:
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到正文")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
