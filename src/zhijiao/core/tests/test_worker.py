"""A task enqueued by a web request is run by a real worker process (`zhijiao worker`), not in-process."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .processes import process_env

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
WORKER_TIMEOUT_SECONDS = 60


def worker_env(var_dir: Path) -> dict[str, str]:
    return process_env(var_dir)


def test_registration_welcome_mail_is_sent_by_a_worker_process(client, settings, tmp_path):
    settings.TASKS = DATABASE_TASKS
    response = client.post(
        "/accounts/register/",
        {
            "email": "xiaoming@example.cn",
            "display_name": "小明",
            "password1": "Xuexi-2026-ok",
            "password2": "Xuexi-2026-ok",
            "agree": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    waiting = DBTaskResult.objects.get()
    assert waiting.status == TaskResultStatus.READY
    assert waiting.task_path == "zhijiao.accounts.tasks.send_welcome_message"
    assert not (tmp_path / "mail").exists()

    worker = subprocess.run(
        [sys.executable, "-m", "zhijiao.cli", "worker", "--batch"],
        env=worker_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=WORKER_TIMEOUT_SECONDS,
        check=False,
    )
    assert worker.returncode == 0, worker.stdout + worker.stderr

    done = DBTaskResult.objects.get(pk=waiting.pk)
    assert done.status == TaskResultStatus.SUCCESSFUL, done.traceback
    assert done.worker_ids  # claimed by the worker process, not run here
    assert done.return_value is True
    mails = list((tmp_path / "mail").glob("*.log"))
    assert len(mails) == 1
    assert "xiaoming@example.cn" in mails[0].read_text()
