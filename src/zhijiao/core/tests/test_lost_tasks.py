"""A task whose worker dies mid-run is run again (idempotent tasks, a bounded number of times) or shown failed."""

import os
import signal
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from zhijiao.core.models import WorkerHeartbeat
from zhijiao.core.workers import idempotent_tasks, tasks_recover_lost

from . import lost_tasks
from .processes import process_env, worker_argv

pytestmark = [pytest.mark.django_db(transaction=True)]

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
WAIT_SECONDS = 60  # a hang guard: each wait polls and returns as soon as its condition holds
FAST = {"TASK_HEARTBEAT_SECONDS": "0.2", "TASK_WORKER_LEASE_SECONDS": "1.5"}


def wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def start_worker(tmp_path: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        worker_argv("--no-scheduler", "--interval", "0.1"),
        env=process_env(tmp_path, **FAST),
        start_new_session=True,
        stdout=subprocess.DEVNULL,
    )


def kill(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def status_of(result_id: str) -> str:
    return DBTaskResult.objects.get(pk=result_id).status


@pytest.mark.worker
@pytest.mark.faults
def test_an_idempotent_task_killed_with_its_worker_runs_again_on_another(settings, tmp_path, admin_client):
    settings.TASKS = DATABASE_TASKS
    runs = tmp_path / "runs.txt"
    result = lost_tasks.count_then_hang.enqueue(str(runs))
    first = start_worker(tmp_path)
    try:
        wait_for(runs.exists, "the first run to start")
    finally:
        kill(first)
    assert status_of(result.id) == TaskResultStatus.RUNNING  # what django-tasks-db alone leaves for ever

    second = start_worker(tmp_path)
    try:
        wait_for(lambda: status_of(result.id) == TaskResultStatus.SUCCESSFUL, "the task to run again")
        done = DBTaskResult.objects.get(pk=result.id)
        assert done.return_value == 2
        assert len(done.worker_ids) == 2 and done.worker_ids[0] != done.worker_ids[1]
        assert WorkerHeartbeat.objects.filter(worker_id=done.worker_ids[1]).exists()
        roll = admin_client.get("/admin/core/workerheartbeat/")
        assert roll.status_code == 200 and done.worker_ids[1] in roll.content.decode()
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=WAIT_SECONDS) == 0
    finally:
        if second.poll() is None:
            kill(second)
    # A clean stop leaves the roll; the killed worker's stale stamp stays until it is long dead.
    assert not WorkerHeartbeat.objects.filter(worker_id=done.worker_ids[1]).exists()
    assert runs.read_text().count("run") == 2


@pytest.mark.worker
@pytest.mark.faults
def test_a_task_not_marked_idempotent_is_shown_failed_and_not_run_again(settings, tmp_path, admin_client):
    settings.TASKS = DATABASE_TASKS
    runs = tmp_path / "runs.txt"
    result = lost_tasks.count_then_hang_once.enqueue(str(runs))
    first = start_worker(tmp_path)
    try:
        wait_for(runs.exists, "the first run to start")
    finally:
        kill(first)
    second = start_worker(tmp_path)
    try:
        wait_for(lambda: status_of(result.id) == TaskResultStatus.FAILED, "the task to be failed")
    finally:
        kill(second)
    failed = DBTaskResult.objects.get(pk=result.id)
    assert failed.exception_class_path == "zhijiao.core.workers.WorkerLost"
    assert "未标记为可重复执行" in failed.traceback
    assert runs.read_text().count("run") == 1
    page = admin_client.get(f"/admin/django_tasks_database/dbtaskresult/{result.id}/change/")
    assert page.status_code == 200
    assert "未标记为可重复执行" in page.content.decode()


def lost_row(task_path: str, *, attempts: int, minutes_ago: int = 5) -> DBTaskResult:
    return DBTaskResult.objects.create(
        task_path=task_path,
        args_kwargs={"args": ["/nonexistent"], "kwargs": {}},
        backend_name="default",
        run_after=get_date_max(),
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(minutes=minutes_ago),
        worker_ids=[f"gone-{n}" for n in range(attempts)],
    )


def test_an_idempotent_task_is_retried_only_up_to_the_configured_number(settings):
    settings.TASK_LOST_RETRIES = 2
    path = "zhijiao.core.tests.lost_tasks.count_then_hang"
    retried = [lost_row(path, attempts=n) for n in (1, 2)]  # lost on the first run, and on the first retry
    given_up = lost_row(path, attempts=3)  # lost again on the second retry: three runs in all
    recovery = tasks_recover_lost()
    assert sorted(recovery.retried) == sorted(str(row.pk) for row in retried)
    assert recovery.failed == [str(given_up.pk)]
    assert {status_of(row.pk) for row in retried} == {TaskResultStatus.READY}
    assert "已重试 2 次" in DBTaskResult.objects.get(pk=given_up.pk).traceback


def test_a_task_of_a_live_worker_or_just_claimed_is_left_alone(settings):
    path = "zhijiao.core.tests.lost_tasks.count_then_hang"
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="alive", pid=1, started_at=now, beat_at=now)
    busy = lost_row(path, attempts=1)
    DBTaskResult.objects.filter(pk=busy.pk).update(worker_ids=["alive"])
    fresh = lost_row(path, attempts=1, minutes_ago=0)
    assert tasks_recover_lost() == tasks_recover_lost().__class__(retried=[], failed=[])
    assert status_of(busy.pk) == status_of(fresh.pk) == TaskResultStatus.RUNNING


def test_the_readme_lists_exactly_the_idempotent_tasks():
    readme = (Path(__file__).resolve().parents[4] / "README.md").read_text(encoding="utf-8")
    listed = readme.split("<!-- idempotent tasks -->")[1]
    # The tests' and the bench's own hanging tasks are not the platform's.
    marked = [path for path in idempotent_tasks() if ".tests." not in path and ".bench." not in path]
    assert marked
    for path in marked:
        assert f"`{path}`" in listed, path
