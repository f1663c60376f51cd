"""The learner's journey in a real Chromium: enrol from the course page, watch a video on the learning page (the
progress is saved), then reopen the course in another browser context and the player resumes where they stopped."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from zhijiao.accounts.tests.factories import make_user
from zhijiao.courses import services
from zhijiao.courses.models import Asset, Block, BlockProgress, Course, CourseStaff, Enrolment, Node, TeamRole
from zhijiao.k12.tests.factories import mp4_bytes
from zhijiao.orgs.models import Organization, Role
from zhijiao.orgs.tests.factories import add_member, make_organization

from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def video_course() -> Course:
    university = make_organization(Organization.Kind.UNIVERSITY, "北京师范大学")
    teacher = make_user(phone="13900000301", display_name="孙老师")
    add_member(teacher, university, Role.UNIVERSITY_FACULTY)
    course = Course.objects.create(title="大学生心理健康", university=university, created_by=teacher)
    CourseStaff.objects.create(course=course, user=teacher, role=TeamRole.LEAD)
    chapter = Node.objects.create(course=course, kind="chapter", title="第一章 认识自我")
    unit = Node.objects.create(course=course, parent=chapter, kind="unit", title="自我意识")
    content = mp4_bytes()
    asset = Asset.objects.create(
        course=course,
        file=ContentFile(content, name="self.mp4"),
        name="自我意识.mp4",
        mime_type="video/mp4",
        size_bytes=len(content),
        duration_seconds=4,
    )
    Block.objects.create(course=course, unit=unit, type="video", title="自我意识讲解", data={"file": asset.pk})
    Course.objects.filter(pk=course.pk).update(revision=1)
    course.refresh_from_db()
    services.course_publish(actor=teacher, course=course)
    now = timezone.now()
    services.run_create(
        actor=teacher,
        course=course,
        title="2026 秋季学期",
        kind="open",
        enrol_opens_at=now - timedelta(days=1),
        enrol_closes_at=now + timedelta(days=30),
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=90),
    )
    return course


def test_a_learner_enrols_watches_a_video_and_resumes_it_in_another_browser(live_server: Any, browser: Any) -> None:
    course = video_course()
    learner = make_user(phone="13900000302", display_name="周同学")

    page = sign_in(browser, live_server, "13900000302")
    page.goto(f"{live_server.url}/courses/{course.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("大学生心理健康")
    page.get_by_role("button", name="选课").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("自我意识")
    assert Enrolment.objects.filter(user=learner, run__course=course).exists()

    page.evaluate("() => { const v = document.querySelector('video'); v.muted = true; return v.play(); }")
    page.wait_for_function("() => document.querySelector('video').currentTime > 2.2", timeout=15000)
    with page.expect_response(lambda response: response.url.endswith("/progress") and response.ok):
        page.evaluate("() => document.querySelector('video').pause()")
    saved = BlockProgress.objects.get(user=learner)
    assert saved.position_seconds >= 2 and saved.watched > 0

    other = sign_in(browser, live_server, "13900000302")
    other.goto(f"{live_server.url}/courses/{course.pk}/learn/")
    expect(other.get_by_role("heading", level=1)).to_have_text("自我意识")
    other.wait_for_function(
        f"() => {{ const v = document.querySelector('video'); return v.readyState >= 1 && "
        f"Math.abs(v.currentTime - {saved.position_seconds}) < 0.5; }}",
        timeout=15000,
    )
