"""Question bank journey in a real Chromium, through the teachers' pages only: a teacher opens the course's 题库
tab, writes a multiple-choice question with a partial-credit rule, edits it into a second version, sees both in
its history, imports the Excel template and filters the bank by type."""

from typing import Any

import pytest
from playwright.sync_api import expect

from zhijiao.accounts.tests.factories import make_user
from zhijiao.assessment import spreadsheets
from zhijiao.courses.models import Course, CourseStaff, TeamRole
from zhijiao.orgs.models import Organization, Role
from zhijiao.orgs.tests.factories import add_member, make_organization

from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_teacher_writes_versions_imports_and_filters_the_question_bank(
    live_server: Any, browser: Any, tmp_path: Any
) -> None:
    university = make_organization(Organization.Kind.UNIVERSITY, "北京师范大学")
    teacher_user = make_user(phone="13900000231", display_name="孙老师")
    add_member(teacher_user, university, Role.UNIVERSITY_FACULTY)
    course = Course.objects.create(title="数据结构", created_by=teacher_user)
    CourseStaff.objects.create(course=course, user=teacher_user, role=TeamRole.LEAD)
    base = live_server.url

    teacher = sign_in(browser, live_server, "13900000231")
    teacher.goto(f"{base}/courses/{course.pk}/edit/")
    teacher.get_by_role("link", name="题库", exact=True).click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text("题库")

    teacher.get_by_role("link", name="多选题", exact=True).click()
    teacher.get_by_label("题干").fill("下列数据结构中，属于线性结构的有（　）。")
    teacher.get_by_label("选项").fill("栈\n队列\n二叉树\n线性表")
    teacher.get_by_label("答案").fill("ABD")
    teacher.get_by_label("评分方式").select_option(label="少选按比例得分，错选不得分")
    teacher.get_by_label("分值").fill("3")
    teacher.get_by_label("标签").fill("第一章")
    teacher.get_by_role("button", name="保存", exact=True).click()
    expect(teacher.get_by_role("status")).to_contain_text("题目已加入题库")
    expect(teacher.get_by_role("heading", level=1)).to_contain_text("第 1 版")

    teacher.get_by_label("分值").fill("4")
    teacher.get_by_label("修改说明").fill("提高分值")
    teacher.get_by_role("button", name="保存为新版本").click()
    expect(teacher.get_by_role("status")).to_contain_text("已保存为第 2 版")
    teacher.get_by_role("link", name="版本历史").click()
    expect(teacher.locator(".bank-version")).to_have_count(2)
    expect(teacher.locator(".bank-version").first).to_contain_text("提高分值")

    template = tmp_path / "题库模板.xlsx"
    template.write_bytes(spreadsheets.template_workbook())
    teacher.get_by_role("link", name="题库", exact=True).first.click()
    teacher.locator("summary", has_text="导入题目").click()
    teacher.locator("input[type=file]").set_input_files(str(template))
    teacher.get_by_role("button", name="导入", exact=True).click()
    expect(teacher.get_by_role("status")).to_contain_text("新增 7 道题")
    expect(teacher.locator(".bank-table tbody tr")).to_have_count(8)

    teacher.locator(".bank-filters").get_by_label("题型").select_option(label="多选题")
    teacher.get_by_role("button", name="筛选", exact=True).click()
    expect(teacher.locator(".bank-table tbody tr")).to_have_count(2)
