"""The pieces of ``zhijiao bench faults`` at tiny scale (the figures themselves are the bench's to print)."""

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
    assert faults._cases_and_failures(report) == (5, 2)
    assert faults._cases_and_failures(tmp_path / "missing.ndjson") == (0, 0)
