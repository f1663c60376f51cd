"""The course certificate journey in a real Chromium: a learner who completed a run that has ended finds their
certificate waiting for real-name identity, completes identity from the notice and comes back to it issued,
downloads the PDF, and a visitor (a fresh context, not signed in) sees its code verify at /verify/<code>."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from zhijiao.accounts.tests.factories import make_user
from zhijiao.courses import services
from zhijiao.courses.models import Enrolment, Run
from zhijiao.courses.tests.factories import make_course
from zhijiao.orgs.models import Organization
from zhijiao.orgs.tests.factories import make_organization
from zhijiao.tests_browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEARNER = "13800138231"


@pytest.fixture
def finished_run(transactional_db: None) -> Run:
    university = make_organization(Organization.Kind.UNIVERSITY, "浙江大学")
    course = make_course(lead=make_user(display_name="王老师"), title="数据结构与算法", university=university)
    now = timezone.now()
    run = Run.objects.create(
        course=course,
        title="2026 春季学期",
        enrol_opens_at=now - timedelta(days=120),
        enrol_closes_at=now - timedelta(days=60),
        starts_at=now - timedelta(days=100),
        ends_at=now - timedelta(days=1),
    )
    learner = make_user(phone=LEARNER, display_name="小陈")
    Enrolment.objects.create(run=run, user=learner, completion=Decimal("0.950"))
    services.run_certificates_grant(run=run)
    return run


def test_a_learner_completes_identity_downloads_the_certificate_and_its_code_verifies(
    live_server: Any, finished_run: Run, browser: Browser, tmp_path: Any
) -> None:
    page = sign_in(browser, live_server, LEARNER)
    page.goto(f"{live_server.url}/courses/certificates/")
    expect(page.locator("#identity-needed")).to_contain_text("请先完成实名认证")
    expect(page.locator("#course-certificates")).to_contain_text("待完成实名认证")

    page.get_by_role("link", name="去实名认证").click()
    page.get_by_label("真实姓名").fill("陈思远")
    page.get_by_label("居民身份证号码").fill("11010519491231002X")
    page.get_by_role("button", name="提交认证").click()

    expect(page).to_have_url(f"{live_server.url}/courses/certificates/")
    expect(page.locator("#identity-needed")).to_have_count(0)
    card = page.locator("#course-certificates li").first
    expect(card).to_contain_text("数据结构与算法")
    expect(card).to_contain_text("95%")
    code = card.get_by_test_id("certificate-code").inner_text()
    with page.expect_download() as downloading:
        card.get_by_role("link", name="下载 PDF").click()
    saved = tmp_path / "certificate.pdf"
    downloading.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")

    visitor = browser.new_context(locale="zh-CN").new_page()
    visitor.goto(f"{live_server.url}/verify/")
    visitor.get_by_label("验证码").fill(code)
    visitor.get_by_role("button", name="验证").click()
    expect(visitor.locator("#verify-status")).to_have_text("验证通过：证书有效")
    result = visitor.locator("#verify-result")
    expect(result).to_contain_text("数据结构与算法")
    expect(result).to_contain_text("陈*远")
    expect(result).to_contain_text("浙江大学 · 国家高等教育智慧教育平台")
    expect(result).not_to_contain_text("陈思远")
