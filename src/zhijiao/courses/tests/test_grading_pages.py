"""Grading pages: a teacher edits the run's policy with field errors, reads the gradebook (filters, pages, the
distribution), overrides a score with a reason and exports the gradebook as a real workbook; a learner reads their
own grade; learners, other runs' staff and visitors are refused each protected page."""

import io
import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from zhijiao.accounts.models import User
from zhijiao.accounts.tests.factories import make_user
from zhijiao.core.models import AuditLog
from zhijiao.courses import services
from zhijiao.courses.grading import default_policy
from zhijiao.courses.models import Course, Enrolment, Run, RunStaff, Score, TeamRole

from .factories import build_tree

pytestmark = pytest.mark.django_db

QUIZ = uuid.UUID(int=1)
EXAM = uuid.UUID(int=2)


def make_run(course: Course, title: str = "2026 春季学期") -> Run:
    now = timezone.now()
    return Run.objects.create(
        course=course,
        title=title,
        enrol_opens_at=now - timedelta(days=120),
        enrol_closes_at=now - timedelta(days=60),
        starts_at=now - timedelta(days=100),
        ends_at=now + timedelta(days=30),
        grading_policy=default_policy().as_json(),
    )


@pytest.fixture
def run(course: Course, lead: User) -> Run:
    build_tree(course, chapters=1, sections=1, units=1, blocks=1)
    services.course_publish(actor=lead, course=course)
    return make_run(course)


@pytest.fixture
def learners(run: Run) -> list[User]:
    users = []
    for index, (quiz, exam) in enumerate([("90", "95"), ("70", "60"), ("30", "20")]):
        user = make_user(display_name=f"学生{index + 1}")
        Enrolment.objects.create(run=run, user=user)
        for content_id, category, earned in ((QUIZ, "quiz", quiz), (EXAM, "exam", exam)):
            services.score_record(
                run=run, user=user, content_id=content_id, category=category, earned=earned, possible="100", source="t"
            )
        users.append(user)
    return users


def base(run: Run) -> str:
    return f"/courses/{run.course_id}/runs/{run.pk}"


def policy_post(**changes: str) -> dict[str, str]:
    data = {"pass_line": "60", "excellent_line": "85"}
    for index, (key, label, weight) in enumerate([("quiz", "单元测验", "40"), ("exam", "期末考试", "60")]):
        data |= {
            f"categories.{index}.key": key,
            f"categories.{index}.label": label,
            f"categories.{index}.weight": weight,
            f"categories.{index}.drop_lowest": "0",
        }
    return data | changes


def test_a_teacher_edits_the_policy_and_sees_field_errors(client: Any, lead: User, run: Run) -> None:
    client.force_login(lead)
    page = client.get(f"{base(run)}/grading/")
    assert page.status_code == 200 and "单元测验" in page.content.decode()
    bad = client.post(f"{base(run)}/grading/", policy_post(**{"categories.1.weight": "50"}))
    assert bad.status_code == 422 and "权重之和应为 100%" in bad.content.decode()
    blank_row = client.post(
        f"{base(run)}/grading/",
        policy_post(**{"categories.3.key": "Bad Key", "categories.3.label": "讨论", "categories.3.weight": "0"}),
    )
    assert blank_row.status_code == 422
    assert blank_row.context["form"].errors["categories.3.key"]  # named by the row on screen
    good = client.post(f"{base(run)}/grading/", policy_post())
    assert good.status_code == 302
    run.refresh_from_db()
    assert [c["key"] for c in run.grading_policy["categories"]] == ["quiz", "exam"]
    assert "成绩重算" in client.get(f"{base(run)}/grading/").content.decode()


def test_an_assistant_reads_the_policy_but_cannot_change_it(client: Any, run: Run) -> None:
    assistant = make_user()
    RunStaff.objects.create(run=run, user=assistant, role=TeamRole.ASSISTANT)
    client.force_login(assistant)
    assert client.get(f"{base(run)}/grading/").status_code == 200
    assert client.post(f"{base(run)}/grading/", policy_post()).status_code == 403
    assert client.post(f"{base(run)}/grading/regrade/").status_code == 403


def test_the_gradebook_filters_pages_and_charts(
    client: Any, lead: User, run: Run, learners: list[User], django_assert_max_num_queries: Any
) -> None:
    client.force_login(lead)
    with django_assert_max_num_queries(18):  # 12 of them the gradebook's, whatever the run's size
        page = client.get(f"{base(run)}/gradebook/")
    body = page.content.decode()
    assert page.status_code == 200
    assert all(f"学生{n}" in body for n in (1, 2, 3)) and 'data-chart="grades"' in body
    assert page.context["page"].rows[0]["user"] == learners[0]  # best first
    excellent = client.get(f"{base(run)}/gradebook/?level=excellent").context["page"]
    assert [row["user"] for row in excellent.rows] == [learners[0]]
    found = client.get(f"{base(run)}/gradebook/", {"q": "学生2"}).context["page"]
    assert [row["user"] for row in found.rows] == [learners[1]]
    quiz_only = client.get(f"{base(run)}/gradebook/?category=quiz").context["page"]
    assert [str(item.content_id) for item in quiz_only.items] == [str(QUIZ)]
    odd = client.get(f"{base(run)}/gradebook/?level=nope&page=999&category=<x>")
    assert odd.status_code == 200 and odd.context["page"].page == 1


def test_a_teacher_overrides_a_score_with_a_reason_and_it_is_audited(
    client: Any, lead: User, run: Run, learners: list[User]
) -> None:
    client.force_login(lead)
    url = f"{base(run)}/gradebook/{learners[2].pk}/"
    assert client.get(url).status_code == 200
    missing_reason = client.post(url, {"content_id": str(EXAM), "earned": "65", "reason": ""})
    assert missing_reason.status_code == 422
    too_much = client.post(url, {"content_id": str(EXAM), "earned": "120", "reason": "复核"})
    assert too_much.status_code == 422 and "满分" in too_much.content.decode()
    done = client.post(url, {"content_id": str(EXAM), "earned": "65", "reason": "试卷复核，漏判一题"})
    assert done.status_code == 302
    score = Score.objects.get(run=run, user=learners[2], content_id=EXAM)
    assert score.earned == Decimal("65.00") and score.overridden
    assert AuditLog.objects.filter(action="courses.grading.override", actor=lead).exists()
    assert "试卷复核" in client.get(url).content.decode()


def test_the_export_is_a_workbook_with_every_learner(client: Any, lead: User, run: Run, learners: list[User]) -> None:
    client.force_login(lead)
    response = client.get(f"{base(run)}/gradebook/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("学习者", "总评成绩", "等级")
    assert rows[1][0] == "学生1" and rows[1][2] == "优秀" and len(rows) == 4
    assert AuditLog.objects.filter(action="courses.grading.export").exists()


def test_a_learner_cannot_reach_the_gradebook_or_override(client: Any, run: Run, learners: list[User]) -> None:
    client.force_login(learners[0])
    assert client.get(f"{base(run)}/gradebook/").status_code == 404
    assert client.get(f"{base(run)}/gradebook/export.xlsx").status_code == 404
    refused = client.post(
        f"{base(run)}/gradebook/{learners[0].pk}/", {"content_id": str(EXAM), "earned": "100", "reason": "自己改"}
    )
    assert refused.status_code == 404
    assert Score.objects.get(run=run, user=learners[0], content_id=EXAM).earned == Decimal("95.00")


def test_staff_of_another_run_cannot_read_this_gradebook(client: Any, course: Course, run: Run) -> None:
    other_run = make_run(course, title="另一期")
    teacher = make_user()
    RunStaff.objects.create(run=other_run, user=teacher, role=TeamRole.LEAD)
    client.force_login(teacher)
    assert client.get(f"{base(other_run)}/gradebook/").status_code == 200
    assert client.get(f"{base(run)}/gradebook/").status_code == 404
    assert client.get(f"{base(run)}/gradebook/export.xlsx").status_code == 404


def test_visitors_are_sent_to_sign_in(client: Any, run: Run) -> None:
    for path in ("/gradebook/", "/gradebook/export.xlsx", "/grading/"):
        response = client.get(base(run) + path)
        assert response.status_code == 302 and "/login" in response["Location"]


def test_a_learner_reads_their_own_grade(client: Any, run: Run, learners: list[User]) -> None:
    client.force_login(learners[1])
    page = client.get(f"/courses/{run.course_id}/progress/")
    body = page.content.decode()
    assert page.status_code == 200
    # quiz 70 × 20 + exam 60 × 50 over 70 = 62.86: 合格
    assert "62.86" in body and "合格" in body and "期末考试" in body and "单元作业" in body
    assert client.get("/courses/mine/").content.decode().count(f"/courses/{run.course_id}/progress/") == 1
    client.force_login(make_user())
    assert client.get(f"/courses/{run.course_id}/progress/").status_code == 404


def test_the_grading_pages_read_in_english(
    client: Any, lead: User, run: Run, learners: list[User], settings: Any
) -> None:
    from zhijiao.portal.tests.languages import interface_chinese

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    labels = ("单元测验", "单元作业", "课堂讨论", "期末考试", "单元测验 1", "期末考试 2")
    data = ("数据结构", "2026 春季学期", str(lead), *(str(user) for user in learners), *labels)
    client.force_login(lead)
    for part in ("grading/", "gradebook/", f"gradebook/{learners[0].pk}/"):
        page = client.get(f"{base(run)}/{part}").content.decode()
        assert interface_chinese(page, *data) == [], part
    errors = client.post(f"{base(run)}/grading/", policy_post(**{"categories.1.weight": "50"})).content.decode()
    assert "add up to 100%" in errors and interface_chinese(errors, *data) == []
    client.force_login(learners[0])
    page = client.get(f"/courses/{run.course_id}/progress/").content.decode()
    assert "Course grade" in page and interface_chinese(page, *data) == []


def test_a_teacher_asks_for_a_regrade_and_the_run_pages_show_how_it_went(
    client: Any, lead: User, run: Run, learners: list[User], django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(lead)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{base(run)}/grading/regrade/").status_code == 302
    for part in ("", "grading/", "gradebook/"):
        page = client.get(f"{base(run)}/{part}").content.decode()
        assert 'data-status="done"' in page and "3 人" in page, part
