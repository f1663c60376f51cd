"""The `zhijiao` command: seed and manage in-process, and `demo` for real in a subprocess."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from zhijiao.accounts.models import User
from zhijiao.bench.harness import parse_wrk
from zhijiao.cli import _logins_table, main
from zhijiao.demo.seed import DEMO_LOGINS, DEMO_PASSWORD

DEMO_START_TIMEOUT = 300  # a hang guard, not a speed check: `zhijiao bench startup` measures the start


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


def test_seed_command_loads_once_with_a_marker(db, var_dir):
    runner = CliRunner()
    first = runner.invoke(main, ["seed", "--scale", "small"])
    assert first.exit_code == 0, first.output
    assert "演示数据加载完成" in first.output
    assert (var_dir / ".seeded").read_text().startswith("version=")
    users = User.objects.count()
    second = runner.invoke(main, ["seed", "--scale", "small"])
    assert second.exit_code == 0, second.output
    assert "演示数据已加载" in second.output
    assert User.objects.count() == users


def test_seed_command_rejects_an_unknown_scale(db):
    result = CliRunner().invoke(main, ["seed", "--scale", "huge"])
    assert result.exit_code == 2
    assert "huge" in result.output


def test_logins_table_lists_every_role_and_who_enters_the_admin(db, var_dir):
    CliRunner().invoke(main, ["seed"])
    table = _logins_table()
    for login in DEMO_LOGINS:
        assert login.phone in table
        assert str(login.role.label) in table
    admin_line = next(line for line in table.splitlines() if DEMO_LOGINS[-1].phone in line)
    assert "可以进入" in admin_line
    assert sum("可以进入" in line for line in table.splitlines()) == 1


def test_manage_passes_arguments_through_to_django(db):
    result = CliRunner().invoke(main, ["manage", "showmigrations", "orgs", "--plan"])
    assert result.exit_code == 0, result.output
    assert "orgs.0001_initial" in result.output


def test_wrk_output_is_parsed():
    output = """Running 10s test @ http://127.0.0.1:8000/
  Latency Distribution
     50%    5.10ms
     75%    6.20ms
     90%    8.00ms
     99%   25.40ms
  48000 requests in 10.00s, 800.00MB read
  Non-2xx or 3xx responses: 3
Requests/sec:   4800.12
"""
    run = parse_wrk(output)
    assert run.requests_per_second == pytest.approx(4800.12)
    assert run.p99_ms == pytest.approx(25.4)
    assert run.errors == 3
    assert parse_wrk(output.replace("25.40ms", "1.20s")).p99_ms == pytest.approx(1200)


# --- `zhijiao demo`, for real ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def descendants(pid: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.mark.worker
def test_demo_serves_the_portal_and_stops_cleanly_on_sigterm(tmp_path):
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "HTTPS", "ALLOWED_HOSTS"} and not key.startswith("PYTEST")
    }
    env.update({"ZHIJIAO_VAR_DIR": str(tmp_path / "var"), "DJANGO_SETTINGS_MODULE": "zhijiao.config.settings"})
    log = (tmp_path / "demo.log").open("w")
    demo = subprocess.Popen(
        [sys.executable, "-m", "zhijiao.cli", "demo", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    children: set[int] = set()
    try:
        deadline = time.monotonic() + DEMO_START_TIMEOUT
        while "按 Ctrl-C 停止" not in (tmp_path / "demo.log").read_text():
            assert demo.poll() is None, (tmp_path / "demo.log").read_text()
            assert time.monotonic() < deadline, (tmp_path / "demo.log").read_text()
            time.sleep(0.2)
        status, html = get(f"http://127.0.0.1:{port}/")
        assert status == 200
        assert "北京冬奥精神" in html
        assert get(f"http://127.0.0.1:{port}/healthz")[0] == 200
        # Production settings apart from TLS: hashed, compressed static files from var/, the site's own 404 page.
        stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', html)
        assert stylesheet, "static files are not the hashed production copies"
        assert get(f"http://127.0.0.1:{port}{stylesheet.group(1)}")[0] == 200
        assert (tmp_path / "var" / "static" / "staticfiles.json").exists()
        missing_status, missing_html = get(f"http://127.0.0.1:{port}/no-such-page/")
        assert missing_status == 404
        assert "页面不存在" in missing_html
        assert "URLconf" not in missing_html  # not Django's technical 404 page
        output = (tmp_path / "demo.log").read_text()
        assert DEMO_PASSWORD in output
        assert all(login.phone in output for login in DEMO_LOGINS)
        assert (tmp_path / "var" / "zhijiao.sqlite3").exists()
        assert (tmp_path / "var" / "secret_key").exists()
        children = descendants(demo.pid)
        commands = [Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ") for pid in children]
        assert any(b"granian" in command for command in commands)
        assert any(b"worker" in command for command in commands)

        demo.send_signal(signal.SIGTERM)
        assert demo.wait(timeout=30) == 0
    finally:
        if demo.poll() is None:
            os.killpg(demo.pid, signal.SIGKILL)
            demo.wait()
        for pid in children:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        log.close()
    assert not [pid for pid in children if alive(pid)], "stray processes after the demo stopped"
    assert "已停止" in (tmp_path / "demo.log").read_text()


def test_serve_runs_two_threads_per_worker_when_requests_wait_on_the_network() -> None:
    from zhijiao.cli import blocking_threads_for

    sqlite, postgres = "django.db.backends.sqlite3", "django.db.backends.postgresql"
    assert blocking_threads_for(redis_url="", db_engine=sqlite) == 1
    assert blocking_threads_for(redis_url="redis://127.0.0.1:6379/0", db_engine=sqlite) == 2
    assert blocking_threads_for(redis_url="", db_engine=postgres) == 2
