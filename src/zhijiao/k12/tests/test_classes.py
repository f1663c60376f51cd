"""Classes: a teacher's class in their school, joining, assignments, progress, and who may see what."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from zhijiao.accounts.models import Guardianship
from zhijiao.accounts.tests.factories import make_user
from zhijiao.k12.models import Assignment, ClassMember, Lesson, Progress, Resource, SchoolClass
from zhijiao.orgs.models import Organization, Role
from zhijiao.orgs.tests.factories import add_member, make_organization

from .factories import make_class, make_resource

START = timezone.now()


def _report(client: Any, resource: Resource, *, at: int, **data: Any) -> Any:
    """The player's report ``at`` seconds after the first one (the server's clock is what counts)."""
    from unittest import mock

    with mock.patch("django.utils.timezone.now", return_value=START + timedelta(seconds=at)):
        return client.post(
            "/api/v1/k12/progress", {"resource_id": resource.pk, **data}, content_type="application/json"
        )


pytestmark = pytest.mark.django_db


def _due(days: int = 3) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


@pytest.fixture
def school(orgs: dict[str, Organization]) -> Organization:
    return orgs["school"]


@pytest.fixture
def klass(school: Organization, teacher: Any, student: Any) -> SchoolClass:
    made = make_class(school=school, teacher=teacher)
    ClassMember.objects.create(klass=made, student=student)
    return made


@pytest.fixture
def lesson_with_video(lesson: Lesson) -> Lesson:
    make_resource(lesson=lesson, title="讲解视频")
    make_resource(lesson=lesson, kind=Resource.Kind.DOCUMENT, title="学案")
    return lesson


def test_teacher_creates_a_class_and_a_student_joins(
    client: Any, teacher: Any, student: Any, school: Organization
) -> None:
    client.force_login(teacher)
    response = client.post(
        "/k12/classes/", {"action": "create", "school": school.pk, "name": "七年级（3）班", "grade": 7}
    )
    assert response.status_code == 302
    klass = SchoolClass.objects.get()
    assert klass.teacher == teacher and len(klass.join_code) == 8
    client.force_login(student)
    wrong = client.post("/k12/classes/", {"action": "join", "join_code": "NOPE"})
    assert wrong.status_code == 422 and "班级码不正确" in wrong.content.decode()
    joined = client.post("/k12/classes/", {"action": "join", "join_code": klass.join_code.lower()})
    assert joined.status_code == 302
    assert ClassMember.objects.filter(klass=klass, student=student).exists()


def test_class_api(client: Any, teacher: Any, student: Any, school: Organization) -> None:
    client.force_login(teacher)
    made = client.post(
        "/api/v1/k12/classes", {"school_id": school.pk, "name": "七年级（5）班"}, content_type="application/json"
    )
    assert made.status_code == 201
    code = made.json()["join_code"]
    client.force_login(student)
    joined = client.post("/api/v1/k12/classes/join", {"join_code": code}, content_type="application/json")
    assert joined.status_code == 200 and joined.json()["join_code"] is None
    assert [item["name"] for item in client.get("/api/v1/k12/classes").json()] == ["七年级（5）班"]


def test_only_students_of_the_school_join(client: Any, klass: SchoolClass) -> None:
    outsider = make_user()
    add_member(outsider, make_organization(Organization.Kind.SCHOOL, "另一所学校"), Role.STUDENT)
    client.force_login(outsider)
    response = client.post("/api/v1/k12/classes/join", {"join_code": klass.join_code}, content_type="application/json")
    assert response.status_code == 403


@pytest.mark.parametrize("role", ["student", "parent", "district_staff", "school_admin"])
def test_only_teachers_create_classes(client: Any, users: dict[str, Any], role: str, school: Organization) -> None:
    client.force_login(users[role])
    response = client.post(
        "/api/v1/k12/classes", {"school_id": school.pk, "name": "X"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert not SchoolClass.objects.exists()


def test_teacher_cannot_create_a_class_in_another_school(client: Any, teacher: Any) -> None:
    other = make_organization(Organization.Kind.SCHOOL, "别的学校")
    client.force_login(teacher)
    response = client.post("/api/v1/k12/classes", {"school_id": other.pk, "name": "X"}, content_type="application/json")
    assert response.status_code == 403


def test_teacher_cannot_open_another_schools_class(client: Any, teacher: Any) -> None:
    other_school = make_organization(Organization.Kind.SCHOOL, "别的学校")
    other_teacher = make_user()
    add_member(other_teacher, other_school, Role.TEACHER)
    foreign = make_class(school=other_school, teacher=other_teacher)
    client.force_login(teacher)
    assert client.get(f"/k12/classes/{foreign.pk}/").status_code == 404
    assert client.get(f"/api/v1/k12/classes/{foreign.pk}/assignments").status_code == 404
    response = client.post(
        f"/api/v1/k12/classes/{foreign.pk}/assignments",
        {"purpose": "preview", "due_date": _due(), "resource_ids": []},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_assign_a_lesson_complete_it_and_see_completion(
    client: Any, teacher: Any, student: Any, parent: Any, klass: SchoolClass, lesson_with_video: Lesson
) -> None:
    Guardianship.objects.create(parent=parent, child=student)
    client.force_login(teacher)
    response = client.post(
        f"/k12/classes/{klass.pk}/",
        {"action": "assign", "purpose": "preview", "lesson": lesson_with_video.pk, "due_date": _due()},
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert assignment.items.count() == 2 and assignment.title.startswith("预习")
    video, document = [item.resource for item in assignment.items.order_by("position")]
    assert video.kind == "video"

    client.force_login(student)
    mine = client.get("/api/v1/k12/assignments").json()
    assert mine[0]["done"] == 0 and mine[0]["total"] == 2
    for at, position in ((0, 0), (10, 1), (20, 2), (30, 4)):  # playback starts, then a report every 10 s
        answer = _report(client, video, at=at, position=position, session="tab-one-1234", played=at)
        assert answer.status_code == 200
    assert answer.json()["complete"] is True  # watched to the end (≥ 90 %)
    assert answer.json()["seconds_spent"] == 30
    assert "学习时长 30 秒" in client.get("/k12/classes/").content.decode()
    assert client.post(f"/k12/resources/{document.pk}/complete").status_code == 302
    assert client.get("/api/v1/k12/assignments").json()[0]["complete"] is True

    client.force_login(teacher)
    report = client.get(f"/api/v1/k12/assignments/{assignment.pk}/report").json()
    assert report[0]["complete"] is True and report[0]["seconds_spent"] == 30
    page = client.get(f"/k12/assignments/{assignment.pk}/").content.decode()
    assert "已完成" in page and "30 秒" in page

    client.force_login(parent)
    html = client.get("/k12/classes/").content.decode()
    assert assignment.title in html and "完成 2/2" in html and "学习时长 30 秒" in html
    assert client.get(f"/k12/assignments/{assignment.pk}/").status_code == 200


def test_progress_is_resumable_and_time_counts_only_as_fast_as_the_clock(
    client: Any, student: Any, lesson_with_video: Lesson
) -> None:
    video = Resource.objects.get(kind="video")
    video.duration_seconds = 600
    video.save()
    client.force_login(student)

    def spent(**data: Any) -> int:
        answer = _report(client, video, **data)
        assert answer.status_code == 200, answer.content
        return int(answer.json()["seconds_spent"])

    assert spent(at=0, position=100, session="tab-one-1234", played=0) == 0  # playback starts the clock
    assert spent(at=10, position=110, session="tab-one-1234", played=10) == 10
    assert spent(at=10, position=110, session="tab-one-1234", played=10) == 10  # the same report again
    assert spent(at=12, position=125, session="tab-one-1234", played=3000) == 12  # only 2 s passed
    assert spent(at=20, position=125, session="tab-one-1234", played=20) == 20  # honest again: the rest counts
    assert spent(at=25, position=125, elapsed=3000) == 25  # a client without a session, clamped the same way
    assert spent(at=1000, position=125, session="tab-two-5678", played=4000) == 85  # at most a minute at once
    row = Progress.objects.get()
    assert row.position_seconds == 125 and row.completed_at is None
    page = client.get(f"/k12/lessons/{lesson_with_video.pk}/").content.decode()
    assert 'data-start="125"' in page
    bad = client.post(
        "/api/v1/k12/progress", {"resource_id": video.pk, "position": -1}, content_type="application/json"
    )
    assert bad.status_code == 422 and "position" in bad.json()["fields"]
    bad = client.post(
        "/api/v1/k12/progress", {"resource_id": video.pk, "session": "<script>"}, content_type="application/json"
    )
    assert bad.status_code == 422 and "session" in bad.json()["fields"]
    assert Progress.objects.get().seconds_spent == 85


def test_anonymous_cannot_record_progress(client: Any, lesson_with_video: Lesson) -> None:
    video = Resource.objects.get(kind="video")
    response = client.post("/api/v1/k12/progress", {"resource_id": video.pk}, content_type="application/json")
    assert response.status_code == 401


def test_student_cannot_see_another_class_assignments(
    client: Any, teacher: Any, student: Any, school: Organization, lesson_with_video: Lesson
) -> None:
    other = make_class(school=school, teacher=teacher, name="七年级（9）班")
    client.force_login(teacher)
    client.post(
        f"/api/v1/k12/classes/{other.pk}/assignments",
        {"purpose": "review", "due_date": _due(), "lesson_id": lesson_with_video.pk},
        content_type="application/json",
    )
    assignment = Assignment.objects.get()
    client.force_login(student)
    assert client.get(f"/k12/assignments/{assignment.pk}/").status_code == 404
    assert client.get(f"/api/v1/k12/classes/{other.pk}/assignments").status_code == 404
    assert client.get(f"/k12/classes/{other.pk}/").status_code == 404
    assert client.get("/api/v1/k12/assignments").json() == []


def test_students_cannot_manage_their_class(
    client: Any, student: Any, klass: SchoolClass, lesson_with_video: Lesson
) -> None:
    client.force_login(student)
    assign = client.post(
        f"/api/v1/k12/classes/{klass.pk}/assignments",
        {"purpose": "review", "due_date": _due(), "lesson_id": lesson_with_video.pk},
        content_type="application/json",
    )
    assert assign.status_code == 404
    add = client.post(
        f"/api/v1/k12/classes/{klass.pk}/students", {"phone": "13900000001"}, content_type="application/json"
    )
    assert add.status_code == 404
    assert not Assignment.objects.exists()


def test_bad_assignment_input_gets_field_messages(
    client: Any, teacher: Any, klass: SchoolClass, lesson: Lesson
) -> None:
    client.force_login(teacher)
    past = client.post(
        f"/api/v1/k12/classes/{klass.pk}/assignments",
        {"purpose": "review", "due_date": _due(-3), "lesson_id": lesson.pk},
        content_type="application/json",
    )
    assert past.status_code == 422
    nothing = client.post(f"/k12/classes/{klass.pk}/", {"action": "assign", "purpose": "review", "due_date": _due()})
    assert nothing.status_code == 422 and "请选择一个课时、合集或资源" in nothing.content.decode()


def test_teacher_adds_a_student_by_phone(client: Any, teacher: Any, klass: SchoolClass, school: Organization) -> None:
    newcomer = make_user(phone="13912345678")
    add_member(newcomer, school, Role.STUDENT)
    client.force_login(teacher)
    bad = client.post(f"/k12/classes/{klass.pk}/", {"action": "add", "phone": "12345"})
    assert bad.status_code == 422
    good = client.post(f"/k12/classes/{klass.pk}/", {"action": "add", "phone": "139 1234 5678"})
    assert good.status_code == 302
    assert ClassMember.objects.filter(klass=klass, student=newcomer).exists()
