"""``zhijiao bench faults``: what survives when parts fail, printed as one table; nothing here asserts.

Real processes on 127.0.0.1, in the bench's own data directory (``zhijiao-bench-faults`` in the temporary
directory: SQLite, the small demo data loaded once), for bounded counts and durations:

- **stopping under a write load**: the production server (granian, 2 workers) takes K-12 progress saves with an
  API token (each acknowledged save must be in the database), score lookups (each answered lookup must have its
  audit entry, which the README promises) and home page views (counted in memory, written in batches) from a few
  client threads; after ``--duration`` seconds it gets SIGTERM, then in a second round SIGKILL. Afterwards the
  database is read: acknowledged saves, audit entries and page views lost. SIGKILL may lose the page views of the
  last ``ANALYTICS_FLUSH_SECONDS`` (5 s by default), by design; nothing else.
- **Redis down**: the server with ``REDIS_URL`` on a redis-server of the bench's own (a free port; never the shared
  6379) answers the public pages, the search and the score lookup round after round; Redis is stopped for
  ``--duration`` seconds and started again: requests that failed while it was down (an answer other than the
  one given with Redis up, or none), and seconds from its return until every page answers as before.
- **a worker killed mid-task**: an idempotent task (:mod:`zhijiao.bench.lost_task`) is claimed by
  ``zhijiao worker``, which is killed with SIGKILL while it runs; a second worker must find the lost task (its
  heartbeat lease, shortened to 1.5 s here, runs out) and run it again.
- **schemathesis**: the schemathesis command line against the live server's OpenAPI description, anonymously and
  with a token, a bounded number of examples per operation: test cases run and failures.
- **backup and restore**: ``zhijiao backup`` and ``zhijiao restore --force`` of the demo data (``--scale large``:
  of the large seed, which takes long to load the first time), in seconds.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import click

from zhijiao.bench import processes

ROOT = Path(tempfile.gettempdir()) / "zhijiao-bench-faults"
CLIENTS = 4
WAIT_SECONDS = 60  # a hang guard for each wait below; each returns as soon as its condition holds
UNLIMITED = "1000000/min"


# --- The bench's data and child processes ------------------------------------------------------------------------


def var_dir(scale: str) -> Path:
    return ROOT / scale / "var"


def environment(scale: str, **extra: str) -> dict[str, str]:
    """Production settings on the bench's SQLite database; no Redis unless ``extra`` names one; the public limits
    out of the way of a few client threads."""
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "zhijiao.config.settings",
            "ZHIJIAO_VAR_DIR": str(var_dir(scale)),
            "DEBUG": "0",
            "HTTPS": "off",
            "LOG_LEVEL": "CRITICAL",
            "PAGE_CACHE_SECONDS": "0",
            "HALL_SCORES_IP_RATE": UNLIMITED,
            "HALL_SCORES_CANDIDATE_RATE": UNLIMITED,
            "HALL_SCORES_IP_MISSES": "1000000/d",
            "HALL_SCORES_MISSES_BEFORE_CAPTCHA": "1000000",
            "API_RATE_ANON": UNLIMITED,
            "API_RATE_USER": UNLIMITED,
        }
    )
    env.update(extra)
    return env


def server_log(scale: str) -> IO[bytes]:
    """Where the bench's servers write their errors (a Redis outage logs one per failed request)."""
    (ROOT / scale).mkdir(parents=True, exist_ok=True)
    return (ROOT / scale / "server.log").open("ab")


def prepare(scale: str) -> None:
    """Migrate and load the demo data (once), collect static files."""
    var_dir(scale).mkdir(parents=True, exist_ok=True)
    cli = [sys.executable, "-m", "zhijiao.cli"]
    subprocess.run([*cli, "seed", "--scale", scale], env=environment(scale), check=True, stdout=subprocess.DEVNULL)
    subprocess.run([*cli, "manage", "collectstatic", "--noinput", "-v0"], env=environment(scale), check=True)


def child(code: str, env: dict[str, str], *, timeout: int = 600) -> str:
    """Run ``code`` in a Django process on the bench's data; its last line of output."""
    result = subprocess.run(
        [sys.executable, "-c", "import django\ndjango.setup()\n" + code],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        check=False,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise click.ClickException(f"bench child failed ({result.returncode})")
    return result.stdout.strip().splitlines()[-1]


_SETUP = r"""
import json
from django.utils import timezone
from zhijiao.accounts import services as accounts
from zhijiao.accounts.models import User
from zhijiao.hall.exams.models import ScoreRecord
from zhijiao.k12.models import Resource

user = User.objects.filter(phone="17699990000").first()
if user is None:
    user = User.objects.create_user(phone="17699990000", password=None, display_name="故障基准")
_token, raw = accounts.token_create(user=user, name="bench faults", scopes=["read", "write"], expires_in_days=1)
score = ScoreRecord.objects.filter(sitting__release_at__lte=timezone.now()).select_related("sitting").first()
# Documents: no length, so a saved position is kept as sent (a video's is capped at its length).
resources = Resource.objects.filter(status=Resource.Status.PUBLISHED, duration_seconds=0)
print(json.dumps({
    "token": raw,
    "user": user.pk,
    "lookup": {"sitting_id": score.sitting_id, "ticket_number": score.ticket_number, "name": score.name},
    "resources": list(resources.order_by("pk").values_list("pk", flat=True)[:16]),
}))
"""

_COUNTS = r"""
import json, os
from zhijiao.analytics.models import PageView
from zhijiao.core.models import AuditLog
from zhijiao.k12.models import Progress

progress = Progress.objects.filter(student_id=int(os.environ["BENCH_USER"]))
print(json.dumps({
    "views": PageView.objects.count(),
    "audits": AuditLog.objects.filter(action="exams.score.lookup").count(),
    "furthest": {str(r): f for r, f in progress.values_list("resource_id", "furthest_seconds")},
}))
"""


@dataclass
class Setup:
    token: str
    user: int
    lookup: dict[str, object]
    resources: list[int]


def setup(scale: str) -> Setup:
    data = json.loads(child(_SETUP, environment(scale)))
    return Setup(token=data["token"], user=data["user"], lookup=data["lookup"], resources=data["resources"])


def counts(scale: str, user: int) -> dict[str, object]:
    return json.loads(child(_COUNTS, environment(scale, BENCH_USER=str(user))))


# --- Stopping under a write load ---------------------------------------------------------------------------------


@dataclass
class Acknowledged:
    views: int = 0
    lookups: int = 0
    saves: dict[int, list[int]] = field(default_factory=dict)  # resource → positions acknowledged


class Client(threading.Thread):
    """Round after round: a progress save (its own resource, a rising position), a score lookup, a home page view;
    counts what the server acknowledged, until stopped or the server is gone."""

    def __init__(self, base: str, data: Setup, resource: int, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.base, self.data, self.resource, self.stop_event = base, data, resource, stop
        self.acked = Acknowledged(saves={resource: []})

    def run(self) -> None:
        position = 0
        auth = {"Authorization": f"Bearer {self.data.token}"}
        lookup = json.dumps(self.data.lookup).encode()
        while not self.stop_event.is_set():
            position += 1
            save = json.dumps({"resource_id": self.resource, "position": position}).encode()
            try:
                if processes.post_json(f"{self.base}/api/v1/k12/progress", save, **auth) == 200:
                    self.acked.saves[self.resource].append(position)
                if processes.post_json(f"{self.base}/api/v1/hall/scores/lookup", lookup) in (200, 404):
                    self.acked.lookups += 1
                if processes.get(f"{self.base}/") == 200:
                    self.acked.views += 1
            except OSError:
                return  # the server is gone: whatever it acknowledged is counted


@dataclass
class Losses:
    saves: int
    saves_lost: int
    audits: int
    audits_lost: int
    views: int
    views_lost: int


def stop_under_load(
    scale: str, data: Setup, how: signal.Signals, seconds: int, progress: Callable[[str], None]
) -> Losses:
    before = counts(scale, data.user)
    env = environment(scale)  # page views written every ANALYTICS_FLUSH_SECONDS (5 s), as configured by default
    port = processes.free_port()
    server = processes.start_server(env, port=port, log=server_log(scale))
    stop = threading.Event()
    resources = data.resources or [0]
    clients = [Client(f"http://127.0.0.1:{port}", data, resources[n % len(resources)], stop) for n in range(CLIENTS)]
    try:
        for client in clients:
            client.start()
        for second in range(seconds):
            progress(f"{how.name}: load {second + 1}/{seconds} s")
            time.sleep(1)
        if how == signal.SIGTERM:
            server.send_signal(signal.SIGTERM)  # granian answers what is in flight, then each worker flushes
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.wait(timeout=WAIT_SECONDS)
        processes.kill(server)
    finally:
        stop.set()
        for client in clients:
            client.join(timeout=WAIT_SECONDS)
        processes.kill(server)
    after = counts(scale, data.user)
    saves = sum(len(c.acked.saves[c.resource]) for c in clients)
    furthest: dict[str, int] = after["furthest"]  # type: ignore[assignment]
    saves_lost = sum(
        1 for c in clients for position in c.acked.saves[c.resource] if position > furthest.get(str(c.resource), 0)
    )
    lookups = sum(c.acked.lookups for c in clients)
    views = sum(c.acked.views for c in clients)
    audits_kept = int(after["audits"]) - int(before["audits"])  # type: ignore[call-overload]
    views_kept = int(after["views"]) - int(before["views"])  # type: ignore[call-overload]
    # Each client saves to its own resource; the saves of clients sharing one count against the same furthest.
    return Losses(
        saves=saves,
        saves_lost=saves_lost,
        audits=lookups,
        audits_lost=max(0, lookups - audits_kept),
        views=views,
        views_lost=max(0, views - views_kept),
    )


# --- Redis down --------------------------------------------------------------------------------------------------


def redis_server(port: int) -> subprocess.Popen[bytes]:
    binary = shutil.which("redis-server")
    if binary is None:
        raise FileNotFoundError("redis-server")
    argv = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = subprocess.Popen(argv, start_new_session=True, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        try:
            import socket

            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process
        except OSError:
            time.sleep(0.05)
    processes.kill(process)
    raise RuntimeError("redis-server did not start")


@dataclass
class RedisOutage:
    requests: int
    failed: int
    recovery_seconds: float | None


def redis_outage(scale: str, data: Setup, seconds: int, progress: Callable[[str], None]) -> RedisOutage | None:
    redis_port = processes.free_port()
    try:
        redis = redis_server(redis_port)
    except FileNotFoundError:
        return None
    env = environment(scale, REDIS_URL=f"redis://127.0.0.1:{redis_port}/0")
    lookup = json.dumps(data.lookup).encode()
    query = urllib.parse.quote("数学")
    calls: list[Callable[[str], int]] = [
        lambda base: processes.get(f"{base}/"),
        lambda base: processes.get(f"{base}/k12/"),
        lambda base: processes.get(f"{base}/hall/"),
        lambda base: processes.get(f"{base}/hall/scores/"),
        lambda base: processes.get(f"{base}/search/?q={query}"),
        lambda base: processes.post_json(f"{base}/api/v1/hall/scores/lookup", lookup),
    ]

    def one_round(base: str) -> list[int]:
        statuses = []
        for call in calls:
            try:
                statuses.append(call(base))
            except OSError:
                statuses.append(0)
        return statuses

    port = processes.free_port()
    server = processes.start_server(env, port=port, log=server_log(scale))
    base = f"http://127.0.0.1:{port}"
    try:
        expected = one_round(base)
        processes.kill(redis)
        requests = failed = 0
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            progress(f"Redis down: {failed}/{requests} failed")
            statuses = one_round(base)
            requests += len(statuses)
            failed += sum(1 for got, want in zip(statuses, expected, strict=True) if got != want)
        redis = redis_server(redis_port)
        back = time.monotonic()
        recovery: float | None = None
        while time.monotonic() - back < WAIT_SECONDS:
            if one_round(base) == expected:
                recovery = time.monotonic() - back
                break
            time.sleep(0.05)
        return RedisOutage(requests=requests, failed=failed, recovery_seconds=recovery)
    finally:
        processes.kill(server)
        processes.kill(redis)


# --- A worker killed mid-task ------------------------------------------------------------------------------------

_ENQUEUE = r"""
import os
from zhijiao.bench.lost_task import count_then_hang
print(count_then_hang.enqueue(os.environ["BENCH_RUNS"]).id)
"""

_STATUS = r"""
import os
from django_tasks_db.models import DBTaskResult
row = DBTaskResult.objects.get(pk=os.environ["BENCH_TASK"])
print(row.status, row.return_value)
"""

FAST_LEASE = {"TASK_HEARTBEAT_SECONDS": "0.2", "TASK_WORKER_LEASE_SECONDS": "1.5"}


def _worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    argv = processes.worker_argv("--no-scheduler", "--interval", "0.1")
    return subprocess.Popen(argv, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait(condition: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def _ran(runs: Path) -> int:
    return len(runs.read_text(encoding="utf-8").splitlines()) if runs.exists() else 0


def killed_workers(scale: str, rounds: int, progress: Callable[[str], None]) -> tuple[int, list[float]]:
    """Tasks recovered of ``rounds`` killed mid-run, and the seconds from each kill to the task's second run."""
    env = environment(scale, **FAST_LEASE)
    recovered, seconds = 0, []
    for n in range(rounds):
        progress(f"worker kill {n + 1}/{rounds}")
        runs = ROOT / scale / f"runs-{time.time_ns()}.txt"
        task_id = child(_ENQUEUE, {**env, "BENCH_RUNS": str(runs)})
        first = _worker(env)
        try:
            started = _wait(lambda: _ran(runs) >= 1)  # noqa: B023 - called within this round
        finally:
            processes.kill(first)
        if not started:
            continue
        killed = time.monotonic()
        second = _worker(env)
        try:
            if _wait(lambda: _ran(runs) >= 2):  # noqa: B023 - called within this round
                took = time.monotonic() - killed
                _wait(lambda: child(_STATUS, {**env, "BENCH_TASK": task_id}) == "SUCCESSFUL 2")  # noqa: B023
                if child(_STATUS, {**env, "BENCH_TASK": task_id}) == "SUCCESSFUL 2":
                    recovered += 1
                    seconds.append(took)
        finally:
            second.send_signal(signal.SIGTERM)
            try:
                second.wait(timeout=WAIT_SECONDS)
            except subprocess.TimeoutExpired:
                processes.kill(second)
        runs.unlink(missing_ok=True)
    return recovered, seconds


# --- schemathesis against the live server ------------------------------------------------------------------------


def schemathesis_run(
    scale: str, data: Setup, examples: int, progress: Callable[[str], None]
) -> list[tuple[str, int, int, int]]:
    """(who, test cases, failing cases, of which rules stated in words) anonymously and with a token."""
    binary = Path(sys.executable).with_name("schemathesis")
    if not binary.exists():
        return []
    env = environment(scale)
    port = processes.free_port()
    server = processes.start_server(env, port=port, log=server_log(scale))
    results = []
    try:
        for who, headers in (("anonymous", []), ("token", ["-H", f"Authorization: Bearer {data.token}"])):
            progress(f"schemathesis {who}")
            report = ROOT / scale / f"schemathesis-{who}.json"
            argv = [str(binary), "run", f"http://127.0.0.1:{port}/api/v1/openapi.json", *headers]
            argv += ["--max-examples", str(examples), "--phases", "examples,coverage,fuzzing", "--checks", "all"]
            argv += ["--generation-deterministic", "--report", "ndjson", "--report-ndjson-path", str(report)]
            argv += ["--request-timeout", "30", "--no-color"]
            # Run from the bench's directory: schemathesis keeps a cache in the current one.
            subprocess.run(
                argv, env=env, cwd=ROOT / scale, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
            )
            results.append((who, *_cases_and_failures(report)))
    finally:
        processes.kill(server)
    return results


def _cases_and_failures(report: Path) -> tuple[int, int, int]:
    """Test cases (requests made), the cases with a failed check, and how many of those are only a valid request
    refused for a rule the description states in words (:mod:`zhijiao.config.api_rules`), from schemathesis'
    NDJSON event log."""
    from zhijiao.config.api_rules import refusal_is_unstated_rule

    cases = failures = unstated = 0
    if not report.exists():
        return 0, 0, 0
    for line in report.read_text(encoding="utf-8").splitlines():
        finished = json.loads(line).get("ScenarioFinished")
        if not finished:
            continue
        recorder = finished.get("recorder", {})
        cases += len(recorder.get("cases", {}))
        for case_id, checks in recorder.get("checks", {}).items():
            failed = [check for check in checks if str(check.get("status", "")).lower() == "failure"]
            if not failed:
                continue
            failures += 1
            response = (recorder.get("interactions", {}).get(case_id) or {}).get("response") or {}
            if all(check.get("name") == "positive_data_acceptance" for check in failed) and refusal_is_unstated_rule(
                str(recorder.get("label", "")), int(response.get("status_code") or 0), _fields_of(response)
            ):
                unstated += 1
    return cases, failures, unstated


def _fields_of(response: dict[str, Any]) -> set[str]:
    body = response.get("content") or response.get("body") or {}
    try:
        raw = base64.b64decode(body["$base64"]) if isinstance(body, dict) and "$base64" in body else body
        return set(json.loads(raw).get("fields") or {})
    except (ValueError, TypeError, AttributeError):
        return set()


# --- Backup and restore ------------------------------------------------------------------------------------------


def backup_and_restore(scale: str) -> tuple[float, float, int]:
    """Seconds to back up and to restore (with ``--force``) the scale's data, and the archive's size in bytes."""
    cli = [sys.executable, "-m", "zhijiao.cli"]
    archive = ROOT / scale / "backup.tar.gz"
    archive.unlink(missing_ok=True)
    env = environment(scale)
    started = time.monotonic()
    subprocess.run(
        [*cli, "backup", str(archive)], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    backed_up = time.monotonic() - started
    started = time.monotonic()
    subprocess.run(
        [*cli, "restore", "--force", str(archive)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    restored = time.monotonic() - started
    size = archive.stat().st_size
    archive.unlink(missing_ok=True)
    return backed_up, restored, size


# --- The table ---------------------------------------------------------------------------------------------------


def run(*, duration: int, scale: str = "small", rounds: int = 2, examples: int = 2) -> None:
    """Print the fault figures: losses under SIGTERM and SIGKILL, a Redis outage, killed workers, schemathesis,
    backup and restore."""
    click.echo("== 故障 / faults (SQLite, granian 2 workers as zhijiao serve runs it, 127.0.0.1) ==")
    click.echo(f"  数据目录 / data: {ROOT}")

    def progress(message: str) -> None:
        click.echo(f"\r  … {message:<60}", nl=False, err=True)

    rows: list[tuple[str, str]] = []
    prepare("small")
    data = setup("small")
    for how in (signal.SIGTERM, signal.SIGKILL):
        lost = stop_under_load("small", data, how, duration, progress)
        rows.append((f"{how.name}: acknowledged progress saves lost", f"{lost.saves_lost} of {lost.saves}"))
        rows.append((f"{how.name}: score-lookup audit entries lost", f"{lost.audits_lost} of {lost.audits}"))
        note = " (buffered up to 5 s, by design)" if how == signal.SIGKILL else ""
        rows.append((f"{how.name}: page views lost{note}", f"{lost.views_lost} of {lost.views}"))
    outage = redis_outage("small", data, duration, progress)
    if outage is None:
        rows.append(("Redis down", "skipped: no redis-server"))
    else:
        rows.append((f"Redis down {duration} s: requests failed", f"{outage.failed} of {outage.requests}"))
        recovery = "did not recover" if outage.recovery_seconds is None else f"{outage.recovery_seconds:.2f} s"
        rows.append(("Redis back: seconds until every page answers as before", recovery))
    recovered, seconds = killed_workers("small", rounds, progress)
    after = f" (kill → run again after {max(seconds):.1f} s at most; lease 1.5 s)" if seconds else ""
    rows.append(("worker killed mid-task: tasks recovered", f"{recovered} of {rounds}{after}"))
    for who, cases, failures, unstated in schemathesis_run("small", data, examples, progress):
        rows.append(
            (
                f"schemathesis ({who}, {examples} examples per operation): failing cases",
                f"{failures} in {cases} ({unstated} of them rules the description states in words)",
            )
        )
    for each in ["small", *([scale] if scale != "small" else [])]:
        if each != "small":
            progress(f"loading the {each} seed (long, once)")
            prepare(each)
        progress(f"backup and restore ({each})")
        backed_up, restored, size = backup_and_restore(each)
        rows.append((f"backup of the {each} data ({size / 1e6:.1f} MB)", f"{backed_up:.1f} s"))
        rows.append((f"restore of the {each} data", f"{restored:.1f} s"))
    click.echo("\r" + " " * 70 + "\r", nl=False, err=True)
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        click.echo(f"  {label:<{width}}  {value}")
