"""The expert review journey in a real Chromium: staff let the engine assign experts; the expert finds the entry in
the queue, reads it without the applicant's name or university, tries a score above the criterion's maximum and
is told so, then scores it; after the second expert, staff accept it on the admin's 处理 page; the 公示 page lists
it with its 入库编号."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from zhijiao.accounts.tests.factories import make_user
from zhijiao.orgs.models import Organization, Role
from zhijiao.orgs.tests.factories import add_member, make_organization
from zhijiao.reviews import services
from zhijiao.reviews.models import Assignment, Submission
from zhijiao.reviews.tests.factories import make_applicant, make_call, make_expert, make_submission
from zhijiao.tests_browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXPERT, OTHER_EXPERT, STAFF = "13800138301", "13800138302", "13800138303"


@pytest.fixture
def site(transactional_db: None, settings: object, tmp_path: Path) -> Submission:
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")  # type: ignore[attr-defined]
    today = timezone.localdate()
    call = make_call(
        title="2026 年度教学改革项目",
        notice_starts_on=today,
        notice_ends_on=today + timedelta(days=7),
    )
    make_expert(make_organization(Organization.Kind.UNIVERSITY, "北京大学"), phone=EXPERT, display_name="周建华")
    make_expert(make_organization(Organization.Kind.UNIVERSITY, "复旦大学"), phone=OTHER_EXPERT, display_name="钱专家")
    staff = make_user(phone=STAFF, display_name="徐涛", is_staff=True)
    add_member(staff, make_organization(Organization.Kind.AGENCY, "平台运营中心"), Role.PLATFORM_ADMIN)
    applicant = make_applicant(make_organization(Organization.Kind.UNIVERSITY, "华东示范大学"), display_name="张申报")
    submission = make_submission(
        call,
        applicant,
        status="checked",
        title="乡村学校的项目式学习",
        authors=[{"name": "张申报"}, {"name": "李合作"}],
    )
    services.assignments_auto(actor=staff, call=call)
    return submission


def test_staff_assign_the_expert_scores_blind_staff_accept_and_the_notice_lists_it(
    live_server, site: Submission, browser: Browser
) -> None:
    expert = sign_in(browser, live_server, EXPERT)
    expert.goto(f"{live_server.url}/reviews/")
    expect(expert.get_by_role("heading", level=1)).to_have_text("我的评审任务")
    expert.get_by_role("link", name="乡村学校的项目式学习").click()
    expect(expert.get_by_role("heading", level=1)).to_have_text("乡村学校的项目式学习")
    body = expert.locator("main").inner_text()
    for secret in ("张申报", "李合作", "华东示范大学", "全文.pdf"):
        assert secret not in body

    expert.get_by_label("选题价值").fill("8")
    expert.get_by_label("内容质量").fill("7.5")
    expert.get_by_label("规范性").fill("9")  # its maximum is 5
    expert.get_by_label("评审意见").fill("选题紧扣教学实际，建议补充对照班级的数据。")
    expert.get_by_role("button", name="提交评审意见").click()
    expect(expert.get_by_text("“规范性”的得分须在 0 到 5 之间")).to_be_visible()
    assert Assignment.objects.filter(expert__phone=EXPERT, state="submitted").count() == 0
    expert.get_by_label("规范性").fill("4")
    expert.get_by_role("button", name="提交评审意见").click()
    expect(expert.get_by_text("评审意见已提交")).to_be_visible()
    expect(expert.locator("#done")).to_contain_text("乡村学校的项目式学习")

    other = Assignment.objects.get(submission=site, expert__phone=OTHER_EXPERT)
    services.review_submit(
        expert=other.expert,
        assignment=other,
        scores={str(c.pk): c.max_score for c in site.call.criteria.all()},
        comment="很好的项目，建议立项。",
    )

    staff = sign_in(browser, live_server, STAFF)
    staff.goto(f"{live_server.url}/admin/reviews/submission/{site.pk}/process/")
    expect(staff.locator("#submission-status")).to_have_text("评审完成，待决定")
    staff.locator("#decide-form").get_by_label("评审结论").select_option(label="通过")
    staff.locator("#decide-form").get_by_role("button", name="提交结论").click()
    expect(staff.locator("#accession-no")).to_contain_text("PS-")
    site.refresh_from_db()
    assert site.status == "accepted" and site.accession_no

    visitor = browser.new_context(locale="zh-CN").new_page()
    visitor.goto(f"{live_server.url}/reviews/calls/{site.call_id}/notice/")
    expect(visitor.locator("#notice-list")).to_contain_text(site.accession_no)
    expect(visitor.locator("#notice-list")).to_contain_text("乡村学校的项目式学习")
