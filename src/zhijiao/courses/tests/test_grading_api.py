"""Grading API: the policy (read, set with field errors), my grade, the gradebook paged, overrides (refused to a
learner and to staff of another run) and the Excel export."""

import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from zhijiao.accounts.models import User
from zhijiao.accounts.tests.factories import make_user
from zhijiao.courses.grading import default_policy
from zhijiao.courses.models import Course, Run, RunStaff, Score, TeamRole

from . import test_grading_pages as pages
from .test_grading_pages import EXAM, QUIZ, make_run

pytestmark = pytest.mark.django_db

# The pages' fixtures: a published course's run, and three learners with a quiz and an exam each.
run = pages.run
learners = pages.learners


def url(run: Run, tail: str) -> str:
    return f"/api/v1/courses/{run.course_id}/runs/{run.pk}/{tail}"


def test_a_teacher_reads_and_sets_the_policy(client: Any, lead: User, run: Run) -> None:
    client.force_login(lead)
    got = client.get(url(run, "grading-policy"))
    assert got.status_code == 200 and got.json()["categories"][0]["key"] == "quiz"
    document = default_policy().as_json()
    document["categories"][0]["weight"] = "30"
    bad = client.put(url(run, "grading-policy"), document, content_type="application/json")
    assert bad.status_code == 422 and "categories" in bad.json()["fields"]
    document["categories"][1]["weight"] = "10"
    good = client.put(url(run, "grading-policy"), document, content_type="application/json")
    assert good.status_code == 200 and good.json()["regrade"]["status"] in ("queued", "done")
    run.refresh_from_db()
    assert run.grading_policy["categories"][0]["weight"] == "30.00"


def test_my_grade(client: Any, run: Run, learners: list[User]) -> None:
    client.force_login(learners[0])
    mine = client.get(f"/api/v1/courses/{run.course_id}/grade").json()
    assert mine["level"] == "excellent" and Decimal(mine["percent"]) > 85
    assert {item["content_id"] for item in mine["items"]} == {str(QUIZ), str(EXAM)}
    client.force_login(make_user())
    assert client.get(f"/api/v1/courses/{run.course_id}/grade").status_code == 404


def test_the_gradebook_pages_and_filters(client: Any, lead: User, run: Run, learners: list[User]) -> None:
    client.force_login(lead)
    first = client.get(url(run, "gradebook"), {"size": 2}).json()
    assert (first["total"], first["pages"], len(first["rows"])) == (3, 2, 2)
    assert first["rows"][0]["name"] == "学生1" and sum(first["distribution"]) == 3
    failing = client.get(url(run, "gradebook"), {"level": "fail"}).json()
    assert [row["name"] for row in failing["rows"]] == ["学生3"]


def test_override_and_export(client: Any, lead: User, run: Run, learners: list[User]) -> None:
    client.force_login(lead)
    target = learners[2]
    bad = client.post(
        url(run, f"gradebook/{target.pk}/override"),
        {"content_id": str(EXAM), "earned": "65", "reason": ""},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "reason" in bad.json()["fields"]
    done = client.post(
        url(run, f"gradebook/{target.pk}/override"),
        {"content_id": str(EXAM), "earned": "65", "reason": "复核更正"},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["overridden"] and done.json()["source_earned"] == "20.00"
    exported = client.get(url(run, "gradebook/export"))
    sheet = load_workbook(io.BytesIO(exported.content)).active
    names = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert 65 in names["学生3"][3:]


def test_refused_roles(client: Any, course: Course, run: Run, learners: list[User]) -> None:
    body = {"content_id": str(EXAM), "earned": "100", "reason": "我要满分"}
    client.force_login(learners[0])
    assert (
        client.post(url(run, f"gradebook/{learners[0].pk}/override"), body, content_type="application/json").status_code
        == 404
    )
    assert client.get(url(run, "gradebook")).status_code == 404
    other = make_run(course, title="另一期")
    teacher = make_user()
    RunStaff.objects.create(run=other, user=teacher, role=TeamRole.LEAD)
    client.force_login(teacher)
    assert client.get(url(run, "gradebook")).status_code == 404
    assert client.get(url(run, "gradebook/export")).status_code == 404
    assert (
        client.put(url(run, "grading-policy"), default_policy().as_json(), content_type="application/json").status_code
        == 404
    )
    assistant = make_user()
    RunStaff.objects.create(run=run, user=assistant, role=TeamRole.ASSISTANT)
    client.force_login(assistant)
    assert client.get(url(run, "gradebook")).status_code == 200
    assert (
        client.post(url(run, f"gradebook/{learners[0].pk}/override"), body, content_type="application/json").status_code
        == 403
    )
    client.logout()
    assert client.get(url(run, "gradebook")).status_code == 401
    assert Score.objects.get(run=run, user=learners[0], content_id=EXAM).earned == Decimal("95.00")
