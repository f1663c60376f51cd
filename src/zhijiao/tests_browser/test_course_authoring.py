"""Course authoring journey in a real Chromium, through the teachers' pages only: a teacher creates a course, files
it under a discipline, adds two chapters and reorders them by dragging, adds a unit with a video block (a small
generated video, uploaded through the checked path) and a link dragged above the video, publishes with a note,
and a learner sees the unit."""

from typing import Any

import pytest
from playwright.sync_api import expect

from zhijiao.accounts.tests.factories import make_user
from zhijiao.k12.tests.factories import mp4_bytes
from zhijiao.orgs.models import Organization, Role
from zhijiao.orgs.tests.factories import add_member, make_organization

from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_a_teacher_builds_and_publishes_a_video_unit_and_a_learner_sees_it(live_server: Any, browser: Any) -> None:
    from zhijiao.courses.disciplines import discipline_sync
    from zhijiao.courses.models import Discipline, Node

    discipline_sync(Discipline)  # transactional tests start from an empty database
    university = make_organization(Organization.Kind.UNIVERSITY, "北京师范大学")
    teacher_user = make_user(phone="13900000211", display_name="孙老师")
    add_member(teacher_user, university, Role.UNIVERSITY_FACULTY)
    make_user(phone="13900000212", display_name="李同学")
    base = live_server.url

    teacher = sign_in(browser, live_server, "13900000211")
    teacher.goto(f"{base}/courses/teach/")
    teacher.get_by_label("课程名称").fill("数据结构")
    teacher.get_by_role("button", name="创建课程").click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text("课程信息")

    # The discipline chooser: typed, picked from the list htmx brings.
    search = teacher.get_by_role("combobox", name="一级学科")
    search.fill("计算机")
    teacher.get_by_role("option", name="0812 计算机科学与技术").click()
    teacher.get_by_label("学时").fill("48")
    teacher.get_by_role("button", name="保存").click()
    expect(teacher.get_by_role("status")).to_contain_text("课程信息已保存")

    teacher.get_by_role("link", name="课程目录").click()
    for title in ("第二章 线性表", "第一章 绪论"):
        teacher.get_by_label("新章的标题").fill(title)
        teacher.get_by_role("button", name="添加章").click()
    rows = teacher.locator(".outline-top > li > .outline-row input[name=title]")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_have_value("第二章 线性表")
    # Drag the first chapter below the second: the list moves at once, then the page saves the order and reloads
    # (wait for the reload: typing into the page before it would be lost).
    with teacher.expect_navigation():
        teacher.locator(".outline-top > li").nth(0).locator(".outline-kind").first.drag_to(
            teacher.locator(".outline-top > li").nth(1).locator(".outline-kind").first
        )
    expect(rows.nth(0)).to_have_value("第一章 绪论")
    expect(rows.nth(1)).to_have_value("第二章 线性表")

    chapter = teacher.locator(".outline-top > li").nth(0)
    chapter.get_by_placeholder("新条目的标题").fill("顺序表")
    chapter.get_by_role("button", name="添加学习单元").click()
    teacher.get_by_role("link", name="编辑内容（0 块）").click()
    teacher.get_by_role("link", name="视频", exact=True).click()
    teacher.get_by_label("标题").fill("顺序表讲解")
    teacher.get_by_label("视频文件").set_input_files(
        {"name": "顺序表.mp4", "mimeType": "video/mp4", "buffer": mp4_bytes()}
    )
    teacher.get_by_role("button", name="保存").click()
    expect(teacher.get_by_role("status")).to_contain_text("已添加视频")
    expect(teacher.locator("video")).to_have_count(1)
    teacher.get_by_role("link", name="外部链接", exact=True).click()
    teacher.get_by_label("网址").fill("https://www.icourse163.org/")
    teacher.get_by_role("button", name="保存").click()
    blocks = teacher.locator(".authoring-blocks > li .outline-kind")
    expect(blocks).to_have_text(["视频", "外部链接"])
    # The link's block is dragged onto the video's: the unit's order is saved and the page reloads.
    with teacher.expect_navigation():
        blocks.nth(1).drag_to(blocks.nth(0))
    expect(blocks).to_have_text(["外部链接", "视频"])

    teacher.get_by_role("link", name="发布与版本").click()
    teacher.get_by_label("发布说明").fill("第一版：绪论与线性表")
    teacher.get_by_role("button", name="发布").click()
    expect(teacher.get_by_role("status")).to_contain_text("已发布第 1 版")
    expect(teacher.get_by_role("table")).to_contain_text("第一版：绪论与线性表")

    unit = Node.objects.select_related("course__discipline").get(title="顺序表")
    assert unit.course.discipline is not None and unit.course.discipline.code == "0812"
    learner = sign_in(browser, live_server, "13900000212")
    learner.goto(f"{base}/courses/{unit.course_id}/units/{unit.content_id}/")
    expect(learner.get_by_role("heading", level=1)).to_have_text("顺序表")
    expect(learner.locator("video")).to_be_visible()
    learner.evaluate("() => { const v = document.querySelector('video'); v.muted = true; return v.play(); }")
    learner.wait_for_function("() => document.querySelector('video').currentTime > 0.2", timeout=15000)
