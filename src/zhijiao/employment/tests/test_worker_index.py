"""An imported feed reaches the search index through the real task queue: the import enqueues, a separate
worker process (`zhijiao worker --batch`) writes the documents, and only then do keyword searches find the jobs."""

import subprocess
import sys

import pytest
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from zhijiao.core.tests.test_worker import DATABASE_TASKS, WORKER_TIMEOUT_SECONDS, worker_env
from zhijiao.employment.models import Job
from zhijiao.employment.tests.factories import make_employer, make_regions
from zhijiao.employment.tests.test_imports import _csv, _row, _upload

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_an_imported_feed_is_indexed_by_a_worker_process(client, settings, tmp_path, platform_admin):
    settings.TASKS = DATABASE_TASKS
    make_regions()
    employer = make_employer()
    rows = [
        _row(external_id=f"W-{n}", employer_credit_code=employer.uscc, title=f"生物制药工程师{n}") for n in range(3)
    ]
    client.force_login(platform_admin)
    assert _upload(client, "jobs.csv", _csv(rows)).status_code == 200
    assert Job.objects.count() == 3
    queued = DBTaskResult.objects.filter(task_path="zhijiao.employment.tasks.index_jobs")
    assert [task.status for task in queued] == [TaskResultStatus.READY]
    assert client.get("/employment/jobs/", {"q": "生物制药"}).context["results"].total == 0

    worker = subprocess.run(
        [sys.executable, "-m", "zhijiao.cli", "worker", "--batch", "--no-scheduler"],
        env=worker_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=WORKER_TIMEOUT_SECONDS,
        check=False,
    )
    assert worker.returncode == 0, worker.stdout + worker.stderr
    assert queued.get().status == TaskResultStatus.SUCCESSFUL
    found = client.get("/employment/jobs/", {"q": "生物制药", "region": "110000"}).context["results"]
    assert found.total == 3 and {job.title for job in found.jobs} == {f"生物制药工程师{n}" for n in range(3)}
