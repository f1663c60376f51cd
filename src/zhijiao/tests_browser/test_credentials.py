"""The degree-verification journey in a real Chromium: a graduate signs in, sees their records and creates a
30-day online verification report; an employer (a fresh context, not signed in) opens /verify/ on a phone-sized
screen, types the code and sees the masked record; a revoked code shows exactly the "not found" page a random
code shows."""

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, ViewportSize, expect

from zhijiao.accounts.services import identity_verify
from zhijiao.accounts.tests.factories import make_user
from zhijiao.credentials.codes import format_code, new_code
from zhijiao.hall.records import services
from zhijiao.hall.records.tests.factories import make_id_number, make_record
from zhijiao.orgs.models import Organization
from zhijiao.orgs.tests.factories import make_organization
from zhijiao.tests_browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GRADUATE = "13800138201"
PHONE_SCREEN: ViewportSize = {"width": 360, "height": 740}


@pytest.fixture
def site(transactional_db: None) -> dict[str, Any]:
    university = make_organization(Organization.Kind.UNIVERSITY, "清华大学")
    number = make_id_number()
    graduate = make_user(phone=GRADUATE, display_name="陈思远")
    identity_verify(user=graduate, real_name="陈思远", id_number=number)
    record = make_record(
        university,
        name="陈思远",
        id_number=number,
        programme="计算机科学与技术",
        certificate_number="100031202601000123",
    )
    return {"graduate": graduate, "record": record, "number": number}


def test_graduate_creates_report_and_employer_verifies_it(
    live_server: Any, site: dict[str, Any], browser: Browser
) -> None:
    graduate = sign_in(browser, live_server, GRADUATE)
    graduate.goto(f"{live_server.url}/hall/degrees/")
    expect(graduate.locator("#records")).to_contain_text("100031202601000123")
    graduate.get_by_label("有效期").select_option("30")
    graduate.get_by_role("button", name="生成在线验证报告").click()
    code_text = graduate.locator("#report-code")
    expect(code_text).to_have_text(re.compile(r"^([2-9A-HJKMNP-Z]{4}-){4}[2-9A-HJKMNP-Z]{4}$"))
    expect(graduate.locator("#report-state")).to_have_text("有效")
    code = code_text.inner_text()

    employer = browser.new_context(locale="zh-CN", viewport=PHONE_SCREEN).new_page()
    employer.goto(f"{live_server.url}/verify/")
    # typed the way people do: lower case, without the dashes
    employer.get_by_label("验证码").fill(code.replace("-", "").lower())
    employer.get_by_role("button", name="验证").click()
    expect(employer.locator("#verify-status")).to_have_text("验证通过：报告有效")
    result = employer.locator("#verify-result")
    expect(result).to_contain_text("陈*远")
    expect(result).to_contain_text(site["number"][:6] + "********" + site["number"][-4:])
    expect(result).to_contain_text("清华大学")
    expect(result).to_contain_text("计算机科学与技术")
    expect(result).to_contain_text("100031202601000123")
    expect(result).not_to_contain_text("陈思远")
    expect(result).not_to_contain_text(site["number"])
    # nothing wider than the phone's screen
    assert employer.evaluate("document.documentElement.scrollWidth") <= PHONE_SCREEN["width"]


def test_revoked_code_looks_like_a_random_code(live_server: Any, site: dict[str, Any], browser: Browser) -> None:
    report = services.report_create(actor=site["graduate"], record_id=site["record"].pk, days=30)
    services.report_revoke(actor=site["graduate"], report_id=report.pk)
    visitor = browser.new_context(locale="zh-CN", viewport=PHONE_SCREEN).new_page()

    def look_up(code: str) -> tuple[int, str]:
        visitor.goto(f"{live_server.url}/verify/")
        visitor.get_by_label("验证码").fill(code)
        with visitor.expect_response(re.compile(r"/verify/[^?]+$")) as answer:
            visitor.get_by_role("button", name="验证").click()
        expect(visitor.locator("#verify-not-found")).to_be_visible()
        return answer.value.status, visitor.locator("#main").inner_text()

    revoked = look_up(format_code(report.code))
    random = look_up(format_code(new_code()))
    assert revoked[0] == random[0] == 404
    assert revoked[1] == random[1]
    assert "未找到有效的验证结果" in revoked[1]
