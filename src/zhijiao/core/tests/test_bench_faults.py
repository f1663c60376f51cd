"""The pieces of ``zhijiao bench faults`` at tiny scale (the figures themselves are the bench's to print)."""

import base64
import json
import shutil
import socket

import pytest

from zhijiao.bench import faults, processes


def test_its_servers_run_on_its_own_data_without_the_shared_redis_or_database(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zhijiao")
    env = faults.environment("small")
    assert "REDIS_URL" not in env and "DATABASE_URL" not in env
    assert env["ZHIJIAO_VAR_DIR"].startswith(str(faults.ROOT))
    assert faults.environment("small", REDIS_URL="redis://127.0.0.1:1/0")["REDIS_URL"].endswith(":1/0")


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server")
def test_its_redis_is_its_own_and_stops():
    port = processes.free_port()
    assert port != 6379
    redis = faults.redis_server(port)
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    finally:
        processes.kill(redis)
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_schemathesis_cases_and_failures_are_read_from_its_event_log(tmp_path):
    report = tmp_path / "events.ndjson"
    events = [
        {"Initialize": {"command": "schemathesis run"}},
        {"ScenarioFinished": {"recorder": {"cases": {"a": {}, "b": {}}, "checks": {"a": [{"status": "SUCCESS"}]}}}},
        {
            "ScenarioFinished": {
                "recorder": {
                    "cases": {"c": {}, "d": {}, "e": {}},
                    "checks": {"c": [{"status": "SUCCESS"}, {"status": "FAILURE"}], "d": [{"status": "FAILURE"}]},
                }
            }
        },
    ]
    report.write_text("".join(json.dumps(event) + "\n" for event in events))
    assert faults._cases_and_failures(report) == (5, 2, 0)
    assert faults._cases_and_failures(tmp_path / "missing.ndjson") == (0, 0, 0)


def test_a_valid_request_refused_for_a_rule_stated_in_words_is_told_apart(tmp_path):
    body = base64.b64encode(json.dumps({"code": "invalid", "fields": {"join_code": ["班级码不正确"]}}).encode())
    refused = {"status_code": 422, "content": {"$base64": body.decode()}}
    recorder = {
        "label": "POST /api/v1/k12/classes/join",
        "cases": {"a": {}, "b": {}},
        "checks": {
            "a": [{"name": "positive_data_acceptance", "status": "failure"}],
            "b": [{"name": "not_a_server_error", "status": "failure"}],
        },
        "interactions": {"a": {"response": refused}, "b": {"response": {"status_code": 500}}},
    }
    report = tmp_path / "events.ndjson"
    report.write_text(json.dumps({"ScenarioFinished": {"recorder": recorder}}) + "\n")
    assert faults._cases_and_failures(report) == (2, 2, 1)
