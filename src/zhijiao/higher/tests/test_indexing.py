"""Courses in the unified search follow what teachers do: the first publish dates and indexes a course, a later
publish re-indexes it, a new open run makes it "正在选课", deleting it removes it."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from zhijiao.accounts.models import User
from zhijiao.courses import services
from zhijiao.courses.models import Course
from zhijiao.search.models import SearchDocument

pytestmark = pytest.mark.django_db


def found(client: Client, q: str, **filters: str) -> list[str]:
    params = "&".join(f"{name}={value}" for name, value in filters.items())
    body = client.get(f"/api/v1/higher/courses?q={q}&{params}").json()
    return [item["title"] for item in body["items"]]


def test_the_first_publish_dates_the_course_and_a_later_one_reindexes_it(
    client: Client, publish: Any, lead: User, django_capture_on_commit_callbacks: Any
) -> None:
    course = publish("大学生心理健康")
    first = course.published_at
    assert first is not None
    assert found(client, "心理") == ["大学生心理健康"]
    services.course_update(actor=lead, course=course, title="大学生心理健康教育")
    services.node_update(actor=lead, node=course.nodes.first(), title="第一章 认识心理健康")
    with django_capture_on_commit_callbacks(execute=True):
        services.course_publish(actor=lead, course=course)
    course.refresh_from_db()
    assert course.published_at == first  # "newest" is the first publication
    assert found(client, "心理健康教育") == ["大学生心理健康教育"]


def test_a_new_open_run_puts_the_course_among_those_open_for_enrolment(
    client: Client, publish: Any, lead: User, django_capture_on_commit_callbacks: Any
) -> None:
    publish("数据结构")
    course = Course.objects.get(title="数据结构")
    assert found(client, "数据结构", enrolling="1") == []
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        services.run_create(
            actor=lead,
            course=course,
            title="2026 秋季学期",
            kind="open",
            enrol_opens_at=now - timedelta(hours=1),
            enrol_closes_at=now + timedelta(days=30),
            starts_at=now + timedelta(days=1),
            ends_at=now + timedelta(days=120),
        )
    assert found(client, "数据结构", enrolling="1") == ["数据结构"]
    assert client.get("/api/v1/higher/courses?enrolling=1").json()["count"] == 1


def test_deleting_a_course_takes_it_out_of_the_search(publish: Any, django_capture_on_commit_callbacks: Any) -> None:
    course = publish("数据结构")
    assert SearchDocument.objects.filter(kind="courses.course", object_id=str(course.pk)).exists()
    with django_capture_on_commit_callbacks(execute=True):
        course.delete()
    assert not SearchDocument.objects.filter(kind="courses.course").exists()
