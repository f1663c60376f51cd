"""Runs (开课): the team opens an open or SPOC run with its enrolment window; learners enrol; progress is recorded
per block content_id — refused for blocks outside the run and for non-learners — and follows the learner into a
copy of the course."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from zhijiao.accounts.models import User
from zhijiao.accounts.tests.factories import make_user
from zhijiao.courses.models import BlockProgress, Course, Enrolment, Run
from zhijiao.orgs.models import Organization, Role
from zhijiao.orgs.tests.factories import add_member, make_organization

from .factories import build_tree

pytestmark = pytest.mark.django_db

API = "/api/v1/courses"


def post(client: Any, url: str, data: Any) -> Any:
    return client.post(url, data, content_type="application/json")


def window(**shift: int) -> dict[str, str]:
    now = timezone.now()
    return {
        "enrol_opens_at": (now - timedelta(days=shift.get("opened", 1))).isoformat(),
        "enrol_closes_at": (now + timedelta(days=shift.get("closes", 30))).isoformat(),
        "starts_at": (now - timedelta(days=1)).isoformat(),
        "ends_at": (now + timedelta(days=90)).isoformat(),
    }


@pytest.fixture
def published(client: Any, lead: User, course: Course) -> Course:
    build_tree(course, chapters=1, sections=1, units=2, blocks=2)
    client.force_login(lead)
    assert post(client, f"{API}/{course.pk}/publish", {}).status_code == 201
    return course


def open_run(client: Any, course: Course, **data: Any) -> dict[str, Any]:
    response = post(client, f"{API}/{course.pk}/runs", {"title": "2026 秋季学期", **window(), **data})
    assert response.status_code == 201, response.json()
    return dict(response.json())


def test_a_learner_enrols_in_an_open_run_and_records_progress(client: Any, published: Course, student: User) -> None:
    run = open_run(client, published)
    assert run["enrolment_open"] is True and run["kind"] == "open"
    client.force_login(student)
    enrolled = post(client, f"{API}/runs/{run['id']}/enrolment", {})
    assert enrolled.status_code == 201 and enrolled.json()["enrolled"] is True
    again = post(client, f"{API}/runs/{run['id']}/enrolment", {})
    assert again.status_code == 409 and again.json()["code"] == "already_enrolled"

    before = client.get(f"{API}/runs/{run['id']}/progress").json()
    assert (before["completed"], before["total"]) == (0, 4)
    first = before["blocks"][0]["content_id"]
    recorded = post(client, f"{API}/runs/{run['id']}/progress", {"content_id": first, "opened": True})
    assert recorded.status_code == 200 and recorded.json()["completed"] is True  # rich text: done once opened
    after = client.get(f"{API}/runs/{run['id']}/progress").json()
    assert after["blocks"][0]["opened"] is True and after["completed"] == 1


def test_video_progress_never_goes_back_and_completes_at_ninety_percent(
    client: Any, lead: User, published: Course, student: User
) -> None:
    from zhijiao.courses.models import Block

    video_block = Block.objects.filter(course=published).first()
    assert video_block is not None
    Block.objects.filter(pk=video_block.pk).update(type="video", data={"file": 1})
    post(client, f"{API}/{published.pk}/nodes", {"kind": "chapter", "title": "触发修订"})
    post(client, f"{API}/{published.pk}/publish", {})
    run = open_run(client, published)
    client.force_login(student)
    post(client, f"{API}/runs/{run['id']}/enrolment", {})
    url = f"{API}/runs/{run['id']}/progress"
    content_id = str(video_block.content_id)
    assert post(client, url, {"content_id": content_id, "position": 120, "watched": 0.6}).json()["completed"] is False
    back = post(client, url, {"content_id": content_id, "position": 30, "watched": 0.2}).json()
    assert back["position"] == 30 and back["watched"] == 0.6
    assert post(client, url, {"content_id": content_id, "position": 280, "watched": 0.93}).json()["completed"] is True


def test_progress_on_a_block_outside_the_run_is_refused(
    client: Any, lead: User, published: Course, student: User
) -> None:
    other = Course.objects.create(title="别的课")
    build_tree(other, chapters=1, sections=1, units=1, blocks=1)
    foreign = str(other.blocks.get().content_id)
    run = open_run(client, published)
    client.force_login(student)
    post(client, f"{API}/runs/{run['id']}/enrolment", {})
    for content_id in (foreign, "not-a-uuid"):
        response = post(client, f"{API}/runs/{run['id']}/progress", {"content_id": content_id, "opened": True})
        assert response.status_code == 422 and "content_id" in response.json()["fields"]
    assert not BlockProgress.objects.exists()


@pytest.mark.parametrize("who", ["not_enrolled", "anonymous"])
def test_only_learners_of_the_run_record_or_read_progress(
    client: Any, published: Course, student: User, who: str
) -> None:
    run = open_run(client, published)
    content_id = str(published.blocks.first().content_id)  # type: ignore[union-attr]
    client.logout()
    if who == "not_enrolled":
        client.force_login(student)
    recorded = post(client, f"{API}/runs/{run['id']}/progress", {"content_id": content_id, "opened": True})
    assert recorded.status_code == {"not_enrolled": 403, "anonymous": 401}[who]
    assert client.get(f"{API}/runs/{run['id']}/progress").status_code == {"not_enrolled": 404, "anonymous": 401}[who]
    assert not BlockProgress.objects.exists()


def test_a_learner_reads_only_their_own_progress(client: Any, published: Course, student: User) -> None:
    run = open_run(client, published)
    content_id = str(published.blocks.first().content_id)  # type: ignore[union-attr]
    client.force_login(student)
    post(client, f"{API}/runs/{run['id']}/enrolment", {})
    post(client, f"{API}/runs/{run['id']}/progress", {"content_id": content_id, "opened": True, "position": 5})
    classmate = make_user()
    client.force_login(classmate)
    post(client, f"{API}/runs/{run['id']}/enrolment", {})
    theirs = client.get(f"{API}/runs/{run['id']}/progress").json()
    assert theirs["blocks"][0]["opened"] is False and theirs["blocks"][0]["position"] == 0


def test_enrolment_only_in_its_window(client: Any, published: Course, student: User) -> None:
    closed = open_run(client, published, **window(opened=10, closes=-1))
    client.force_login(student)
    response = post(client, f"{API}/runs/{closed['id']}/enrolment", {})
    assert response.status_code == 409 and response.json()["code"] == "enrolment_closed"
    assert not Enrolment.objects.exists()


def test_a_spoc_admits_only_its_universitys_students_with_the_code(
    client: Any, orgs: dict[str, Organization], published: Course, student: User
) -> None:
    university = orgs["university"]
    run = open_run(client, published, kind="spoc", university_id=university.pk, join_code="DS2026")
    assert run["has_join_code"] is True
    own_student = make_user(display_name="本校学生")
    add_member(own_student, university, Role.STUDENT)
    client.force_login(student)  # a school pupil, not of this university
    assert post(client, f"{API}/runs/{run['id']}/enrolment", {"join_code": "DS2026"}).status_code == 403
    client.force_login(own_student)
    wrong = post(client, f"{API}/runs/{run['id']}/enrolment", {"join_code": "WRONG"})
    assert wrong.status_code == 422 and "join_code" in wrong.json()["fields"]
    assert post(client, f"{API}/runs/{run['id']}/enrolment", {"join_code": "ds2026"}).status_code == 201
    assert Enrolment.objects.filter(run_id=run["id"]).count() == 1


def test_bad_runs_are_field_errors(client: Any, published: Course, orgs: dict[str, Organization]) -> None:
    dates = window()
    backwards = {**dates, "ends_at": dates["starts_at"]}
    response = post(client, f"{API}/{published.pk}/runs", {"title": "倒序", **backwards})
    assert response.status_code == 422 and "ends_at" in response.json()["fields"]
    school = make_organization(Organization.Kind.SCHOOL, "某中学")
    response = post(
        client, f"{API}/{published.pk}/runs", {"title": "x", "kind": "spoc", "university_id": school.pk, **dates}
    )
    assert response.status_code == 422 and "university_id" in response.json()["fields"]
    assert not Run.objects.exists()


@pytest.mark.parametrize("who", ["student", "anonymous"])
def test_only_the_team_opens_runs(client: Any, published: Course, student: User, who: str) -> None:
    client.logout()
    if who == "student":
        client.force_login(student)
    response = post(client, f"{API}/{published.pk}/runs", {"title": "偷开", **window()})
    assert response.status_code == {"student": 403, "anonymous": 401}[who]
    assert not Run.objects.exists()


def test_progress_follows_content_into_a_copy_of_the_course(
    client: Any, lead: User, published: Course, student: User
) -> None:
    run = open_run(client, published)
    content_id = str(published.blocks.first().content_id)  # type: ignore[union-attr]
    copy_id = post(client, f"{API}/{published.pk}/copy", {"title": "下学期"}).json()["id"]
    post(client, f"{API}/{copy_id}/publish", {})
    next_run = open_run(client, Course.objects.get(pk=copy_id))
    client.force_login(student)
    post(client, f"{API}/runs/{run['id']}/enrolment", {})
    post(client, f"{API}/runs/{run['id']}/progress", {"content_id": content_id, "opened": True, "position": 7})
    post(client, f"{API}/runs/{next_run['id']}/enrolment", {})
    carried = client.get(f"{API}/runs/{next_run['id']}/progress").json()
    entry = next(item for item in carried["blocks"] if item["content_id"] == content_id)
    assert entry["opened"] is True and entry["position"] == 7
