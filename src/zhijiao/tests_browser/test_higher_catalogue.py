"""The higher-education catalogue in a real Chromium: a learner searches for a course by a Chinese word, finds it
among the results and opens its page."""

import re
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import Browser, expect

from zhijiao.accounts.tests.factories import make_user
from zhijiao.courses import services
from zhijiao.courses.disciplines import discipline_sync
from zhijiao.courses.models import Course, Discipline
from zhijiao.courses.tests.factories import build_tree, make_course
from zhijiao.orgs.models import Organization, Role
from zhijiao.orgs.tests.factories import add_member, make_organization
from zhijiao.search.services import reindex

from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalogue(transactional_db: None) -> dict[str, Any]:
    # A transactional test before this one flushed the tables, the discipline catalogue's migration data with them.
    discipline_sync(Discipline)
    cache.clear()
    university = make_organization(Organization.Kind.UNIVERSITY, "北京师范大学")
    teacher = make_user(display_name="林老师")
    add_member(teacher, university, Role.UNIVERSITY_FACULTY)
    learner = make_user(phone="13900001313", display_name="王同学")
    add_member(learner, university, Role.STUDENT)
    made: dict[str, Course] = {}
    for title, code in (("大学生心理健康", "0402"), ("数据结构", "0812"), ("马克思主义基本原理", "0305")):
        course = make_course(
            lead=teacher, title=title, university=university, discipline=Discipline.objects.get(code=code)
        )
        build_tree(course, chapters=1, sections=1, units=1, blocks=1)
        services.course_publish(actor=teacher, course=course)
        made[title] = course
    reindex()
    return {"learner": learner, "courses": made}


def test_a_learner_searches_by_a_chinese_word_finds_the_course_and_opens_its_page(
    live_server: Any, browser: Browser, catalogue: dict[str, Any]
) -> None:
    page = sign_in(browser, live_server, "13900001313")
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{live_server.url}/higher/")
    cards = page.locator("#course-results .course-card")
    expect(cards).to_have_count(3)
    page.get_by_role("searchbox", name="搜索课程").fill("心理")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url(re.compile(r".*/higher/\?q=.*"))
    expect(page.locator("#course-total")).to_have_text("共 1 门课程")
    expect(cards).to_have_count(1)
    expect(cards.first.locator("mark")).to_have_text("心理")
    expect(cards.first).to_contain_text("北京师范大学")
    cards.first.get_by_role("link").click()
    course = catalogue["courses"]["大学生心理健康"]
    page.wait_for_url(re.compile(rf".*/courses/{course.pk}/.*"))
    expect(page.locator("body")).to_contain_text("大学生心理健康")
    assert problems == []
