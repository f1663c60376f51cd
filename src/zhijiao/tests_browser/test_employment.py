"""The employment journey in a real Chromium: a graduate searches "北京 生物制药" and applies; the employer moves
the application to an offer; graduate, employer and university sign the three-party agreement in turn; anyone
verifies it by its code."""

import pytest
from playwright.sync_api import Browser, Page, expect

from zhijiao.accounts.tests.factories import PASSWORD, make_user
from zhijiao.employment.tests.factories import make_graduate, make_job, make_regions, make_resume, verify_employer
from zhijiao.orgs.models import Organization, Role
from zhijiao.orgs.tests.factories import add_member, make_organization
from zhijiao.tests_browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GRADUATE, RECRUITER, STAFF = "13800138101", "13800138102", "13800138103"


@pytest.fixture
def site(transactional_db: None) -> dict[str, object]:
    regions = make_regions()
    university = make_organization(Organization.Kind.UNIVERSITY, "北京师范大学", region=regions["haidian"])
    employer = make_organization(Organization.Kind.EMPLOYER, "海淀生物医药有限公司", region=regions["haidian"])
    verify_employer(employer)
    recruiter = make_user(phone=RECRUITER, display_name="黄婷")
    add_member(recruiter, employer, Role.RECRUITER)
    staff = make_user(phone=STAFF, display_name="赵磊")
    add_member(staff, university, Role.EMPLOYMENT_STAFF)
    graduate = make_graduate(make_user(phone=GRADUATE, display_name="陈思远"), university, real_name="陈思远")
    make_resume(graduate.user)
    job = make_job(recruiter, employer, title="生物制药研发工程师")
    make_job(recruiter, employer, title="生物制药质量专员", region_codes=["310115"])
    return {"job": job}


def sign(page: Page) -> None:
    page.get_by_label("登录密码").fill(PASSWORD)
    page.get_by_label("我已阅读并同意协议全部内容").check()
    page.get_by_role("button", name="确认签署").click()
    expect(page.get_by_text("已签署").first).to_be_visible()


def test_search_apply_offer_sign_and_verify(live_server, site, browser: Browser) -> None:
    graduate = sign_in(browser, live_server, GRADUATE)
    graduate.goto(f"{live_server.url}/employment/jobs/")
    graduate.locator("#job-q").fill("北京 生物制药")
    graduate.locator("#job-q").press("Enter")
    expect(graduate.locator("#job-total")).to_have_text("共 1 个岗位")
    graduate.get_by_role("link", name="生物制药研发工程师").click()
    expect(graduate.get_by_role("heading", level=1)).to_have_text("生物制药研发工程师")
    graduate.get_by_label("选择简历").select_option(label="李同学 · 通用简历")
    graduate.get_by_role("button", name="投递", exact=True).click()
    expect(graduate.locator("#application-status")).to_have_text("已投递")
    application_url = graduate.url

    employer = sign_in(browser, live_server, RECRUITER)
    employer.goto(f"{live_server.url}/employment/employer/")
    employer.get_by_role("link", name="1", exact=True).click()
    employer.get_by_role("link", name="李同学").click()
    expect(employer.locator("#application-status")).to_have_text("已查看")
    employer.get_by_label("下一步").select_option(label="录用通知")
    employer.get_by_label("给毕业生的说明").fill("欢迎加入研发团队")
    employer.get_by_role("button", name="更新并通知毕业生").click()
    expect(employer.locator("#application-status")).to_have_text("录用通知")

    graduate.goto(f"{live_server.url}/notifications/")
    expect(graduate.get_by_text("进展：录用通知")).to_be_visible()
    graduate.goto(application_url)
    graduate.get_by_role("button", name="接受录用").click()
    expect(graduate.get_by_role("heading", level=1)).to_contain_text("三方协议")
    agreement_url = graduate.url
    sign(graduate)
    code = graduate.locator("#agreement-code").inner_text()

    employer.goto(agreement_url)
    sign(employer)
    university = sign_in(browser, live_server, STAFF)
    university.goto(agreement_url)
    sign(university)
    expect(university.locator("#agreement-status")).to_have_text("已签署")

    visitor = browser.new_context(locale="zh-CN").new_page()
    visitor.goto(f"{live_server.url}/verify/")
    visitor.get_by_label("验证码").fill(code.lower())
    visitor.get_by_role("button", name="验证").click()
    expect(visitor.locator("#verify-status")).to_contain_text("三方均已签署")
    expect(visitor.locator("#verify-result")).to_contain_text("海淀生物医药有限公司")


def test_a_graduate_opens_a_pushed_job_from_the_notification_centre_and_stops_pushes(
    live_server, site, browser: Browser
) -> None:
    from zhijiao.employment.models import Graduate
    from zhijiao.employment.services import push_daily

    push_daily()
    graduate = sign_in(browser, live_server, GRADUATE)
    graduate.goto(f"{live_server.url}/notifications/")
    item = graduate.locator(".notification-list li.card").first
    expect(item).to_contain_text("为您推荐的新岗位")
    expect(item).to_contain_text("海淀生物医药有限公司 · 北京市海淀区")
    item.get_by_role("link", name="生物制药研发工程师").click()
    expect(graduate.get_by_role("heading", level=1)).to_have_text("生物制药研发工程师")
    graduate.goto(f"{live_server.url}/notifications/")
    expect(graduate.locator(".notification-unread")).to_have_count(0)
    graduate.get_by_role("button", name="不再接收此类推送").click()
    expect(graduate.get_by_role("status")).to_contain_text("已停止岗位推送")
    assert Graduate.objects.get(user__phone=GRADUATE).push_enabled is False
