"""A wrong setting stops the start with one line naming the variable; `zhijiao serve` refuses a busy port."""

import os
import socket
import subprocess
import sys

import pytest

from zhijiao.config import environment
from zhijiao.config.environment import ConfigurationError

from .processes import free_port

pytestmark = pytest.mark.faults

START_TIMEOUT_SECONDS = 60  # a hang guard: each of these ends before anything is served


def zhijiao(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    for name in ("DATABASE_URL", "REDIS_URL", "DATA_ENCRYPTION_KEY", "DJANGO_SETTINGS_MODULE"):
        clean.pop(name, None)
    clean.update({"ZHIJIAO_VAR_DIR": str(tmp_path), **env})
    return subprocess.run(
        [sys.executable, "-m", "zhijiao.cli", *args],
        env=clean,
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT_SECONDS,
        check=False,
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_URL", "foo://bar"),
        ("DATA_ENCRYPTION_KEY", "not-a-key"),
        ("REDIS_URL", "localhost:6379"),
        ("LOGIN_FAILURE_LIMIT", "five"),
        ("API_RATE_ANON", "lots"),
    ],
)
def test_a_wrong_variable_stops_the_start_with_one_line_naming_it(tmp_path, variable, value):
    result = zhijiao(tmp_path, "manage", "check", **{variable: value})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert variable in lines[0]


def test_a_malformed_encryption_key_stops_the_server_before_it_serves(tmp_path):
    result = zhijiao(tmp_path, "serve", "--port", str(free_port()), DATA_ENCRYPTION_KEY="c2hvcnQ=")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "DATA_ENCRYPTION_KEY" in result.stderr
    assert "32 random bytes" in result.stderr


def test_serve_refuses_a_port_another_server_listens_on(tmp_path):
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        result = zhijiao(tmp_path, "serve", "--port", str(port))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"端口 {port} 已被占用" in result.stderr


@pytest.mark.parametrize(
    ("check", "value"),
    [
        (lambda v: environment.check_key("K", v), "A" * 20),
        (lambda v: environment.check_key("K", v), "!!!!" * 11),
        (lambda v: environment.check_database_url("D", v), "mysql://x/y"),
        (lambda v: environment.check_database_url("D", v), "postgres://host:port/db"),
        (lambda v: environment.check_email_url("E", v), "smtp://"),
        (lambda v: environment.check_origin("P", v), "edu.example.cn"),
        (lambda v: environment.check_log_level("L", v), "LOUD"),
        (lambda v: environment.check_origins("C", [v]), "edu.example.cn"),
    ],
)
def test_each_check_refuses_what_it_cannot_use(check, value):
    with pytest.raises(ConfigurationError):
        check(value)


def test_numbers_and_rates_are_checked(monkeypatch):
    monkeypatch.setenv("N", "-1")
    with pytest.raises(ConfigurationError, match="N: -1 is below"):
        environment.env_int("N", 5)
    monkeypatch.setenv("N", "nan")
    with pytest.raises(ConfigurationError):
        environment.env_float("N", 5)
    monkeypatch.setenv("N", "0/min")
    with pytest.raises(ConfigurationError):
        environment.env_rate("N", "1/min")
    monkeypatch.setenv("N", "5/10m")
    assert environment.env_rate("N", "1/min") == "5/10m"
    monkeypatch.setenv("N", " 7 ")
    assert environment.env_int("N", 5) == 7
    monkeypatch.delenv("N")
    assert environment.env_bool("N", True) is True
