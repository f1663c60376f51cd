"""Staff screens: staff with the permissions (here a superuser) list courses, see one with its team and history,
and publish through the service."""

from typing import Any

import pytest

from zhijiao.accounts.models import User
from zhijiao.accounts.tests.factories import make_user
from zhijiao.courses.models import Course, CourseVersion

from .factories import build_tree

pytestmark = pytest.mark.django_db


def test_staff_see_courses_and_publish(client: Any, course: Course) -> None:
    staff = make_user(is_staff=True, is_superuser=True)
    build_tree(course, chapters=1, sections=1, units=1, blocks=2)
    client.force_login(staff)
    assert "数据结构" in client.get("/admin/courses/course/").content.decode()
    assert client.get(f"/admin/courses/course/{course.pk}/change/").status_code == 200
    for screen in ("block", "node", "run", "enrolment", "blockprogress", "asset"):
        assert client.get(f"/admin/courses/{screen}/").status_code == 200
    assert client.get("/admin/courses/asset/add/").status_code == 403
    response = client.post(
        "/admin/courses/course/", {"action": "publish", "_selected_action": [course.pk]}, follow=True
    )
    assert response.status_code == 200
    version = CourseVersion.objects.get(course=course)
    assert version.number == 1 and version.block_count == 2 and version.published_by == staff


def test_teachers_have_no_admin(client: Any, lead: User, course: Course) -> None:
    client.force_login(lead)
    assert client.get("/admin/courses/course/").status_code == 302
