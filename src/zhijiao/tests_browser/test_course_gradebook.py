"""The gradebook journey in a real Chromium: a teacher opens a run's gradebook, overrides a learner's exam score with
a reason, sees the course grade change, and exports the gradebook — the download is a real workbook whose cell holds
the new score."""

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Browser, expect

from zhijiao.accounts.tests.factories import make_user
from zhijiao.courses import services
from zhijiao.courses.grading import default_policy
from zhijiao.courses.models import Enrolment, Run
from zhijiao.courses.tests.factories import make_course
from zhijiao.tests_browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEACHER = "13800138241"
QUIZ, EXAM = uuid.UUID(int=11), uuid.UUID(int=12)


@pytest.fixture
def graded_run(transactional_db: None) -> Run:
    course = make_course(lead=make_user(phone=TEACHER, display_name="王老师"), title="数据结构与算法")
    now = timezone.now()
    run = Run.objects.create(
        course=course,
        title="2026 春季学期",
        enrol_opens_at=now - timedelta(days=120),
        enrol_closes_at=now - timedelta(days=60),
        starts_at=now - timedelta(days=100),
        ends_at=now + timedelta(days=10),
        grading_policy=default_policy().as_json(),
    )
    for name, quiz, exam in (("小林", "80", "40"), ("小周", "90", "95")):
        learner = make_user(display_name=name)
        Enrolment.objects.create(run=run, user=learner)
        for content_id, category, title, earned in (
            (QUIZ, "quiz", "第一单元测验", quiz),
            (EXAM, "exam", "期末考试", exam),
        ):
            services.score_record(
                run=run,
                user=learner,
                content_id=content_id,
                category=category,
                earned=earned,
                possible="100",
                source=category,
                title=title,
            )
    return run


def test_a_teacher_overrides_a_grade_with_a_reason_and_exports_the_gradebook(
    live_server: Any, graded_run: Run, browser: Browser, tmp_path: Any
) -> None:
    page = sign_in(browser, live_server, TEACHER, accept_downloads=True)
    page.goto(f"{live_server.url}/courses/{graded_run.course_id}/runs/{graded_run.pk}/gradebook/")
    row = page.locator("table.gradebook tbody tr", has_text="小林")
    expect(row.locator(".grade-percent")).to_have_text("51.43")
    expect(page.locator("table.gradebook tbody tr").first).to_contain_text("小周")  # best first

    row.get_by_role("link", name="调整").click()
    page.wait_for_url("**/gradebook/*/")
    page.get_by_label("测评").select_option(str(EXAM))
    page.get_by_label("得分").fill("70")
    page.get_by_label("调整理由").fill("试卷复核，第三题漏判")
    with page.expect_navigation():
        page.get_by_role("button", name="保存调整").click()
    expect(page.locator(".messages")).to_contain_text("成绩已调整")
    expect(page.locator(".grade-percent")).to_have_text("72.86")
    expect(page.locator("table.data-table")).to_contain_text("试卷复核，第三题漏判")

    with page.expect_navigation():
        page.get_by_role("link", name="← 成绩册").click()
    row = page.locator("table.gradebook tbody tr", has_text="小林")
    expect(row.locator(".grade-percent")).to_have_text("72.86")
    expect(row).to_contain_text("70*")

    with page.expect_download() as downloading:
        page.get_by_role("link", name="导出 Excel").click()
    saved = tmp_path / "gradebook.xlsx"
    downloading.value.save_as(saved)
    sheet = load_workbook(saved).active
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    header = [cell.value for cell in sheet[1]]
    exam_column = next(index for index, title in enumerate(header) if "期末考试" in str(title))
    assert rows["小林"][exam_column] == 70
    assert rows["小林"][1] == pytest.approx(72.86)
