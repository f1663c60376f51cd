"""A policy change set on the run's page is regraded by a real worker process: the page enqueues the task and shows
the regrade waiting; `zhijiao worker --batch` recomputes every grade; the page then shows it done."""

import subprocess
import sys
import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from zhijiao.accounts.tests.factories import make_user
from zhijiao.core.tests.test_worker import DATABASE_TASKS, WORKER_TIMEOUT_SECONDS, worker_env
from zhijiao.courses import services
from zhijiao.courses.grading import default_policy
from zhijiao.courses.models import CourseGrade, Enrolment, Run
from zhijiao.courses.tests.factories import make_course

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_policy_change_is_regraded_by_a_worker_process(client: Any, settings: Any, tmp_path: Any) -> None:
    lead = make_user(display_name="王老师")
    course = make_course(lead=lead, title="数据结构")
    now = timezone.now()
    run = Run.objects.create(
        course=course,
        title="2026 春季学期",
        enrol_opens_at=now - timedelta(days=120),
        enrol_closes_at=now - timedelta(days=60),
        starts_at=now - timedelta(days=100),
        ends_at=now + timedelta(days=10),
        grading_policy=default_policy().as_json(),
    )
    learner = make_user()
    Enrolment.objects.create(run=run, user=learner)
    for content_id, category, earned in ((uuid.UUID(int=1), "quiz", "40"), (uuid.UUID(int=2), "exam", "90")):
        services.score_record(
            run=run, user=learner, content_id=content_id, category=category, earned=earned, possible="100", source="t"
        )
    assert CourseGrade.objects.get(run=run).percent == Decimal("75.71")  # (40 × 20 + 90 × 50) / 70

    settings.TASKS = DATABASE_TASKS
    client.force_login(lead)
    form = {"pass_line": "60", "excellent_line": "85"}
    for index, (key, weight) in enumerate((("quiz", "50"), ("exam", "50"))):
        form |= {
            f"categories.{index}.key": key,
            f"categories.{index}.label": key,
            f"categories.{index}.weight": weight,
        }
    assert client.post(f"/courses/{course.pk}/runs/{run.pk}/grading/", form).status_code == 302
    waiting = DBTaskResult.objects.get(task_path="zhijiao.courses.tasks.regrade_run")
    assert waiting.status == TaskResultStatus.READY
    assert 'data-status="queued"' in client.get(f"/courses/{course.pk}/runs/{run.pk}/grading/").content.decode()

    worker = subprocess.run(
        [sys.executable, "-m", "zhijiao.cli", "worker", "--batch", "--no-scheduler"],
        env=worker_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=WORKER_TIMEOUT_SECONDS,
        check=False,
    )
    assert worker.returncode == 0, worker.stdout + worker.stderr
    assert DBTaskResult.objects.get(pk=waiting.pk).status == TaskResultStatus.SUCCESSFUL
    assert CourseGrade.objects.get(run=run).percent == Decimal("65.00")
    assert 'data-status="done"' in client.get(f"/courses/{course.pk}/runs/{run.pk}/grading/").content.decode()
