"""A person without real-name identity in a real Chromium: the study-abroad service says to complete identity
first, the link leads to the identity page, and after verifying they are back at the service with its form."""

import pytest
from playwright.sync_api import Browser, expect

from zhijiao.hall.abroad.tests.factories import make_applicant
from zhijiao.tests_browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERSON = "13800138211"


def test_identity_first_then_back_to_the_service(live_server, transactional_db: None, browser: Browser) -> None:
    make_applicant("小林", identity=False, phone=PERSON)
    page = sign_in(browser, live_server, PERSON)
    page.goto(f"{live_server.url}/hall/abroad/")
    page.get_by_role("region", name="留学人员回国").get_by_role("link", name="在线申请").click()
    expect(page.locator("#identity-needed")).to_contain_text("请先完成实名认证")
    expect(page.locator("#service-authority")).to_have_text("签发机构：教育部留学服务中心")
    expect(page.get_by_role("button", name="保存草稿")).to_have_count(0)

    page.get_by_role("link", name="去实名认证").click()
    page.get_by_label("真实姓名").fill("林晓")
    page.get_by_label("居民身份证号码").fill("11010519491231002X")
    page.get_by_role("button", name="提交认证").click()

    expect(page).to_have_url(f"{live_server.url}/hall/abroad/start/returnee/")
    expect(page.get_by_text("实名认证已完成")).to_be_visible()
    expect(page.locator("#identity-needed")).to_have_count(0)
    expect(page.get_by_role("button", name="保存草稿")).to_be_visible()
