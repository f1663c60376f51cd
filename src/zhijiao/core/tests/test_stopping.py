"""Stopping the production server keeps what it acknowledged: SIGTERM writes the buffered page views, and a
score lookup's audit entry is stored before the answer leaves, so even SIGKILL loses none."""

import json
import os
import signal

import pytest

from zhijiao.analytics.models import PageView
from zhijiao.core.models import AuditLog
from zhijiao.hall.exams.tests.factories import id_number, make_score, make_sitting

from .processes import get, post_json, process_env, running_server

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

STOP_TIMEOUT_SECONDS = 30  # a hang guard: granian answers what is in flight, then each worker flushes and exits


def test_sigterm_writes_every_page_view_the_server_counted(tmp_path):
    # Nothing would be written for an hour: only the stop itself can write these views.
    env = process_env(tmp_path, ANALYTICS_FLUSH_SECONDS="3600", ANALYTICS_BATCH_SIZE="100000", PAGE_CACHE_SECONDS="0")
    with running_server(env) as (server, base):
        statuses = [get(f"{base}/") for _ in range(40)]
        assert statuses == [200] * 40
        assert PageView.objects.count() == 0
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=STOP_TIMEOUT_SECONDS) == 0
    assert PageView.objects.count() == 40


def test_sigkill_loses_no_score_lookup_audit_entry(tmp_path):
    sitting = make_sitting(session="2026年6月")
    make_score(sitting, ticket="110120261000013", name="陈思远", number=id_number(13, birth="20030412"))
    env = process_env(
        tmp_path,
        HALL_SCORES_IP_RATE="100000/min",
        HALL_SCORES_CANDIDATE_RATE="100000/min",
        HALL_SCORES_IP_MISSES="100000/d",
        HALL_SCORES_MISSES_BEFORE_CAPTCHA="100000",
    )
    with running_server(env) as (server, base):
        answers = []
        for index in range(30):
            name = "陈思远" if index % 2 == 0 else "陈思"  # hits and misses are both audited
            body = json.dumps({"sitting_id": sitting.pk, "ticket_number": "110120261000013", "name": name})
            answers.append(post_json(f"{base}/api/v1/hall/scores/lookup", body.encode()))
        assert answers == [200, 404] * 15
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=STOP_TIMEOUT_SECONDS)
    entries = AuditLog.objects.filter(action="exams.score.lookup")
    assert entries.count() == 30
    assert entries.filter(result=AuditLog.Result.SUCCESS).count() == 15
