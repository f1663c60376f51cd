"""The 答疑区 journey in a real Chromium: a learner asks a question in the course's forum, a teaching assistant
finds it in the 待回答 queue and answers, the learner accepts the answer, and sees the notification of it."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from zhijiao.accounts.tests.factories import make_user
from zhijiao.courses import services
from zhijiao.courses.models import Block, Course, CourseStaff, Node, RunStaff, TeamRole
from zhijiao.discussion.models import Thread
from zhijiao.notifications.models import Notification
from zhijiao.orgs.models import Organization, Role
from zhijiao.orgs.tests.factories import add_member, make_organization

from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def course_with_run() -> tuple[Course, Any]:
    university = make_organization(Organization.Kind.UNIVERSITY, "北京师范大学")
    teacher = make_user(phone="13900000401", display_name="杨老师")
    add_member(teacher, university, Role.UNIVERSITY_FACULTY)
    course = Course.objects.create(title="数据结构", university=university, created_by=teacher)
    CourseStaff.objects.create(course=course, user=teacher, role=TeamRole.LEAD)
    chapter = Node.objects.create(course=course, kind="chapter", title="第一章 绪论")
    unit = Node.objects.create(course=course, parent=chapter, kind="unit", title="算法与复杂度")
    Block.objects.create(course=course, unit=unit, type="richtext", title="导读", data={"html": "<p>导读</p>"})
    Course.objects.filter(pk=course.pk).update(revision=1)
    course.refresh_from_db()
    services.course_publish(actor=teacher, course=course)
    now = timezone.now()
    run = services.run_create(
        actor=teacher,
        course=course,
        title="2026 秋季学期",
        kind="open",
        enrol_opens_at=now - timedelta(days=1),
        enrol_closes_at=now + timedelta(days=30),
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=90),
    )
    return course, run


def test_a_learner_asks_an_assistant_answers_the_learner_accepts_and_is_notified(live_server: Any, browser: Any):
    course, run = course_with_run()
    learner = make_user(phone="13900000402", display_name="周同学")
    services.enrolment_create(actor=learner, run=run)
    assistant = make_user(phone="13900000403", display_name="陈助教")
    RunStaff.objects.create(run=run, user=assistant, role=TeamRole.ASSISTANT)

    asker = sign_in(browser, live_server, "13900000402")
    asker.goto(f"{live_server.url}/courses/{course.pk}/")
    asker.get_by_role("link", name="讨论与答疑").click()
    expect(asker.get_by_role("heading", level=1)).to_have_text("讨论与答疑")
    asker.get_by_role("link", name="答疑区").click()
    asker.get_by_role("link", name="我要提问").click()
    asker.get_by_label("标题").fill("递归的时间复杂度怎么算？")
    asker.get_by_label("内容").fill("斐波那契的递归写法为什么是指数级？")
    with asker.expect_navigation():
        asker.get_by_role("button", name="发布").click()
    expect(asker.get_by_role("heading", level=1)).to_contain_text("递归的时间复杂度怎么算？")
    thread = Thread.objects.get(kind="question")

    helper = sign_in(browser, live_server, "13900000403")
    helper.goto(f"{live_server.url}/discussion/runs/{run.pk}/?tab=unanswered")
    helper.get_by_role("link", name="递归的时间复杂度怎么算？").click()
    helper.get_by_label("回复内容").fill("画出递归树：每层调用翻倍，所以是 O(2^n)。")
    with helper.expect_navigation():
        helper.get_by_role("button", name="发布").click()
    expect(helper.locator(".forum-replies")).to_contain_text("画出递归树")
    helper.goto(f"{live_server.url}/discussion/runs/{run.pk}/?tab=unanswered")
    expect(helper.locator(".forum-threads")).to_contain_text("所有提问都已回复")

    asker.goto(f"{live_server.url}{thread.get_absolute_url()}")
    with asker.expect_navigation():
        asker.get_by_role("button", name="采纳为答案").click()
    expect(asker.get_by_role("heading", name="采纳的回答")).to_be_visible()
    thread.refresh_from_db()
    assert thread.accepted_post is not None and thread.accepted_post.author_id == assistant.pk

    asker.goto(f"{live_server.url}/notifications/")
    expect(asker.locator("main")).to_contain_text("您的提问“递归的时间复杂度怎么算？”有了新回答")
    assert Notification.objects.filter(user=learner, kind="discussion_answer").exists()
