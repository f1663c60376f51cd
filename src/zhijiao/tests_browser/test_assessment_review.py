"""Grading by people in a real Chromium: three learners review each other's essays on their 互评 pages and see the
trimmed mean of their reviews; a teacher works through the essay queue, then overrides a course grade with a reason
in the gradebook and exports it."""

from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, expect

from zhijiao.accounts.tests.factories import make_user
from zhijiao.assessment import services
from zhijiao.assessment.models import ItemStatus
from zhijiao.assessment.tests.factories import (
    HOMEWORK,
    current,
    homework_rules,
    make_question,
    make_run,
    make_submission,
    publish,
)
from zhijiao.courses.tests.factories import make_course
from zhijiao.tests_browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEACHER = "13800138351"
LEARNERS = {"13800138352": "小林", "13800138353": "小周", "13800138354": "小吴"}


def test_three_learners_review_each_other_and_see_their_trimmed_mean_scores(live_server: Any, browser: Browser) -> None:
    lead = make_user(phone=TEACHER, display_name="王老师")
    course = publish(make_course(lead=lead, title="数据结构"), lead)
    run = make_run(course=course)
    essay = current(make_question(actor=lead, course=course, type="essay"))
    rules = homework_rules(essay, reviewers=3, required=2)
    learners = {}
    for phone, name in LEARNERS.items():
        learners[name] = make_user(phone=phone, display_name=name)
        make_submission(run=run, user=learners[name], version=essay, rules=rules, response=f"{name}：哈希表用于缓存")
    # A classmate whose own essay is graded already has reviewed all three: each needs two more reviews.
    classmate = make_user(display_name="班长")
    classmate_rules = homework_rules(essay, reviewers=3, required=3)
    make_submission(run=run, user=classmate, version=essay, rules=classmate_rules, status=ItemStatus.GRADED)
    for _ in range(3):
        review = services.review_next(actor=classmate, run=run, content_id=HOMEWORK)
        assert review is not None
        services.review_submit(actor=classmate, review=review, scores=["10"], comment="写得好")

    # Who scores whom: 小林 → 小周 6, 小吴 8; 小周 → 小林 7, 小吴 9; 小吴 → 小林 5, 小周 8.
    given = {"小林": {"小周": "6", "小吴": "8"}, "小周": {"小林": "7", "小吴": "9"}, "小吴": {"小林": "5", "小周": "8"}}
    pages = {}
    for phone, name in LEARNERS.items():
        page = pages[name] = sign_in(browser, live_server, phone)
        page.goto(f"{live_server.url}/courses/{course.pk}/learn/")
        page.get_by_role("link", name="互评", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("互评")
        for _ in range(2):
            with page.expect_navigation():
                page.get_by_role("button", name="评阅下一份").click()
            answer = page.locator(".marking-answer")
            author = next(other for other in given[name] if other in answer.inner_text())
            expect(page.locator("main")).not_to_contain_text(f"{author} ·")  # blind: no author line
            page.get_by_label("观点明确").fill(given[name][author])
            page.get_by_label("评语").fill("论证清楚")
            with page.expect_navigation():
                page.get_by_role("button", name="提交互评").click()
            expect(page.locator(".messages")).to_contain_text("互评已提交")
        expect(page.locator(".peer-task")).to_contain_text("已完成互评 2 / 2 份")

    # Trimmed means of (班长 10, two classmates): 小林 {10, 7, 5} → 7; 小周 {10, 6, 8} → 8; 小吴 {10, 8, 9} → 9.
    for name, score in (("小林", "7"), ("小周", "8"), ("小吴", "9")):
        page = pages[name]
        page.reload()
        expect(page.locator(".peer-score")).to_have_text(f"{score} / 10")
        expect(page.locator(".peer-received li")).to_have_count(3)
        expect(page.locator(".peer-received")).not_to_contain_text("班长")


def test_a_teacher_grades_the_essay_queue_overrides_a_grade_and_exports_the_gradebook(
    live_server: Any, browser: Browser, tmp_path: Any
) -> None:
    lead = make_user(phone=TEACHER, display_name="王老师")
    course = publish(make_course(lead=lead, title="数据结构"), lead)
    run = make_run(course=course)
    short = current(make_question(actor=lead, course=course, type="short"))
    for name in ("小林", "小周"):
        make_submission(run=run, user=make_user(display_name=name), version=short, status=ItemStatus.STAFF,
                        response=f"{name}的回答：顺序表连续存储，链表离散存储")  # fmt: skip

    page = sign_in(browser, live_server, TEACHER, accept_downloads=True)
    page.goto(f"{live_server.url}/courses/{course.pk}/runs/{run.pk}/gradebook/")
    page.get_by_role("link", name="批阅", exact=True).click()
    expect(page.locator("table.marking-queue tbody tr")).to_have_count(2)
    page.locator("table.marking-queue tbody tr").first.get_by_role("link", name="批阅").click()
    for first_score, second_score in (("2", "2.5"), ("1", "2")):
        expect(page.locator(".marking-answer")).to_contain_text("顺序表连续存储")
        page.get_by_label("存储方式").fill(first_score)
        page.get_by_label("效率比较").fill(second_score)
        page.get_by_label("评语").fill("要点齐全，效率分析可再深入")
        with page.expect_navigation():
            page.locator("form.form button[type=submit]").click()
        expect(page.locator(".messages")).to_contain_text("已评分")
    expect(page.locator(".empty")).to_have_text("没有待批阅的答案。")

    page.get_by_role("link", name="成绩册").click()
    row = page.locator("table.gradebook tbody tr", has_text="小林")
    expect(row).to_contain_text("4.5")
    row.get_by_role("link", name="调整").click()
    page.wait_for_url("**/gradebook/*/")
    page.get_by_label("得分").fill("5")
    page.get_by_label("调整理由").fill("复核后补给效率分")
    with page.expect_navigation():
        page.get_by_role("button", name="保存调整").click()
    expect(page.locator(".messages")).to_contain_text("成绩已调整")
    with page.expect_navigation():
        page.get_by_role("link", name="← 成绩册").click()
    expect(page.locator("table.gradebook tbody tr", has_text="小林")).to_contain_text("5*")

    with page.expect_download() as downloading:
        page.get_by_role("link", name="导出 Excel").click()
    saved = tmp_path / "gradebook.xlsx"
    downloading.value.save_as(saved)
    sheet = load_workbook(saved).active
    header = [cell.value for cell in sheet[1]]
    column = next(index for index, title in enumerate(header) if "第一次作业" in str(title))
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert Decimal(str(rows["小林"][column])) == Decimal("5")
    assert Decimal(str(rows["小周"][column])) == Decimal("3")
