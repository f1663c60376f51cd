"""The timed exam journey in a real Chromium: a learner opens the exam in its unit and starts it, answers some
questions (each saved as it is given), closes the page, comes back to find the same attempt with the saved answers
and less time left, finishes, submits and sees the grade."""

from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from zhijiao.accounts.tests.factories import make_user
from zhijiao.assessment.models import Attempt, AttemptStep
from zhijiao.assessment.tests.attempt_factories import first_unit, make_exam_course, make_learner, make_run
from zhijiao.orgs.models import Organization, Role
from zhijiao.orgs.tests.factories import add_member, make_organization

from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_learner_takes_a_timed_exam_leaves_comes_back_and_sees_the_grade(live_server: Any, browser: Any) -> None:
    university = make_organization(Organization.Kind.UNIVERSITY, "北京师范大学")
    teacher = make_user(phone="13900000501", display_name="杨老师")
    add_member(teacher, university, Role.UNIVERSITY_FACULTY)
    course, _block, _questions = make_exam_course(teacher, types=("single", "truefalse", "fill"))
    run = make_run(teacher, course)
    learner = make_learner(run, phone="13900000502", display_name="周同学")
    unit = first_unit(course)
    base = live_server.url

    page = sign_in(browser, live_server, "13900000502")
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{base}/courses/{course.pk}/learn/{unit.content_id}/")
    exam = page.locator(".assessment-block")
    expect(exam).to_contain_text("限时 60 分钟")
    with page.expect_navigation():
        exam.get_by_role("button", name="开始作答").click()
    expect(page.locator("[data-countdown]")).to_contain_text("59:")

    single = page.locator("fieldset", has_text="栈的特点是？")
    single.get_by_label("后进先出").check()
    expect(single.locator("[data-item-status]")).to_have_text("已保存")
    fill = page.locator("fieldset", has_text="栈的两种基本操作是")
    fill.get_by_label("第 1 空").fill("入栈")
    fill.get_by_label("第 2 空").fill("出栈")
    expect(fill.locator("[data-item-status]")).to_have_text("已保存")
    attempt = Attempt.objects.get(user=learner)
    assert AttemptStep.objects.filter(attempt=attempt).count() >= 2
    context = page.context
    page.close()

    # Twenty minutes pass on the server's clock while the page is closed.
    assert attempt.deadline_at is not None
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=attempt.started_at - timedelta(minutes=20), deadline_at=attempt.deadline_at - timedelta(minutes=20)
    )
    back = context.new_page()
    back.on("dialog", lambda dialog: dialog.accept())
    back.goto(f"{base}/courses/{course.pk}/learn/{unit.content_id}/")
    with back.expect_navigation():
        back.locator(".assessment-block").get_by_role("link", name="继续作答").click()
    assert back.url.endswith(f"/assessment/attempts/{attempt.pk}/")
    expect(back.locator("[data-countdown]")).to_contain_text("39:")
    single = back.locator("fieldset", has_text="栈的特点是？")
    expect(single.get_by_label("后进先出")).to_be_checked()
    fill = back.locator("fieldset", has_text="栈的两种基本操作是")
    expect(fill.get_by_label("第 2 空")).to_have_value("出栈")

    truefalse = back.locator("fieldset", has_text="队列是先进先出的线性表")
    truefalse.get_by_label("对").check()
    expect(truefalse.locator("[data-item-status]")).to_have_text("已保存")
    with back.expect_navigation():
        back.get_by_role("button", name="提交", exact=True).click()
    expect(back.locator("[data-score]")).to_contain_text("5.00")
    expect(back.locator("[data-score]")).to_contain_text("/ 5.00")
    expect(back.locator(".result-key").first).to_contain_text("正确答案")
    assert Attempt.objects.get(pk=attempt.pk).status == "graded"


def test_a_learner_uploads_a_file_answer_as_soon_as_it_is_chosen(live_server: Any, browser: Any) -> None:
    from zhijiao.assessment.models import AttemptFile

    university = make_organization(Organization.Kind.UNIVERSITY, "北京师范大学")
    teacher = make_user(phone="13900000511", display_name="杨老师")
    add_member(teacher, university, Role.UNIVERSITY_FACULTY)
    course, _block, _questions = make_exam_course(teacher, types=("file",))
    run = make_run(teacher, course)
    make_learner(run, phone="13900000512", display_name="周同学")
    unit = first_unit(course)

    page = sign_in(browser, live_server, "13900000512")
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{live_server.url}/courses/{course.pk}/learn/{unit.content_id}/")
    with page.expect_navigation():
        page.locator(".assessment-block").get_by_role("button", name="开始作答").click()
    question = page.locator("fieldset", has_text="上传你的实验报告")
    question.locator('input[type="file"]').set_input_files(
        {"name": "实验报告.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}
    )
    expect(question.locator("[data-item-status]")).to_have_text("已保存")
    expect(question.locator("[data-current-file]")).to_have_text("实验报告.pdf")
    assert AttemptFile.objects.get().original_name == "实验报告.pdf"
    with page.expect_navigation():
        page.get_by_role("button", name="提交", exact=True).click()
    expect(page.get_by_role("link", name="实验报告.pdf")).to_be_visible()
