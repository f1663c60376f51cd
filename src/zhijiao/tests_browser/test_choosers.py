"""Choosers with the keyboard in a real Chromium: type part of a name, arrow down, Enter, submit."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from zhijiao.accounts.tests.factories import make_user
from zhijiao.employment.tests.factories import make_regions
from zhijiao.k12.models import Assignment, Resource
from zhijiao.k12.tests.factories import first_lesson, make_book, make_class, make_resource
from zhijiao.orgs.models import Organization, Role
from zhijiao.orgs.tests.factories import add_member, make_organization

from .test_k12 import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_picks_a_place_with_the_keyboard(live_server: Any, page: Any) -> None:
    make_regions()
    page.goto(live_server.url + "/employment/jobs/")
    box = page.get_by_role("combobox", name="地区")
    box.press_sequentially("海淀", delay=50)
    option = page.get_by_role("option", name="北京市海淀区")
    expect(option).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    box.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    box.press("Enter")  # chooses; does not submit
    expect(box).to_have_value("北京市海淀区")
    expect(page.locator('input[type="hidden"][name="region"]')).to_have_value("110108")
    page.locator("#main").get_by_role("button", name="搜索").click()
    expect(page).to_have_url(re.compile(r"[?&]region=110108(&|$)"))
    expect(page.get_by_role("combobox", name="地区")).to_have_value("北京市海淀区")


def test_a_teacher_picks_a_lesson_with_the_keyboard_and_assigns_it(live_server: Any, page: Any) -> None:
    lesson = first_lesson(make_book())
    make_resource(lesson=lesson, title="正数和负数（教师讲解）")
    make_resource(lesson=lesson, kind=Resource.Kind.DOCUMENT, title="正数和负数 学案")
    school = make_organization(Organization.Kind.SCHOOL, "海淀区实验中学", stage=Organization.Stage.JUNIOR)
    teacher = make_user(phone="13900000201", display_name="王老师")
    add_member(teacher, school, Role.TEACHER)
    klass = make_class(school=school, teacher=teacher)
    sign_in(page, live_server.url, "13900000201")
    page.goto(f"{live_server.url}/k12/classes/{klass.pk}/")
    box = page.get_by_role("combobox", name="课时")
    box.press_sequentially("正数", delay=50)
    expect(page.get_by_role("option", name="正数和负数（1）")).to_be_visible()
    box.press("ArrowDown")
    box.press("Enter")
    expect(box).to_have_value("正数和负数（1）")
    page.get_by_label("截止日期").fill((timezone.localdate() + timedelta(days=3)).isoformat())
    page.get_by_role("button", name="布置").click()
    expect(page.get_by_text("任务已布置")).to_be_visible()
    assert Assignment.objects.get().lesson == lesson


def test_the_knowledge_points_offered_are_those_of_the_book_chosen(live_server: Any, page: Any) -> None:
    make_book(grade=7)
    make_book(grade=8)  # the same point titles in 八年级上册
    district = make_organization(Organization.Kind.AGENCY, "海淀区教育委员会")
    staff = make_user(phone="13900000202", display_name="区教研员")
    add_member(staff, district, Role.DISTRICT_STAFF)
    sign_in(page, live_server.url, "13900000202")
    page.goto(f"{live_server.url}/k12/codes/")
    book = page.get_by_role("combobox", name="教材")
    book.press_sequentially("八年级", delay=50)
    expect(page.get_by_role("option", name=re.compile("八年级上册"))).to_be_visible()
    book.press("ArrowDown")
    book.press("Enter")
    points = page.get_by_role("combobox", name="另外为这些知识点生成云码")
    points.press_sequentially("相反意义的量1", delay=50)
    options = page.locator("[data-chooser-options] [role=option]")
    expect(options).to_have_count(1)
    expect(options.first).to_contain_text("八年级上册")
