"""Figures for the closing note, printed by ``zhijiao bench home|memory|startup|analytics|all``; nothing asserts.

- home: the home page on the production server (granian, 2 workers, one blocking thread each, DEBUG off),
  loaded with ``wrk`` over loopback, with the page cache on and off, beside nginx serving the same bytes as a
  static file in the same run. Medians of ``--repeat`` runs.
- memory: peak resident memory (VmHWM) of each granian worker after the load.
- analytics: the home page with page-view counting off and on (alternating servers, page cache on, a browser
  User-Agent) and their ratio; then 10,000,000 raw views generated in SQL in ``/tmp/zhijiao-bench-rollup`` and
  the seconds one rollup of them takes (and that a second run adds nothing).
- startup: seconds from ``git clone`` of this repository to the first 200 of ``/`` from ``uv run zhijiao demo``
  (with a warm uv cache).

Everything runs against 127.0.0.1 on free ports, for bounded durations, in its own data directory.
"""

import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

REPO_ROOT = Path(__file__).resolve().parents[2]
BENCH_ROOT = Path(tempfile.gettempdir())
UNCACHED_TARGET, CACHED_TARGET = 500, 4000


@dataclass
class Run:
    requests_per_second: float
    p99_ms: float
    errors: int
    requests: int = 0


@dataclass
class Row:
    label: str
    runs: list[Run]
    note: str = ""

    @property
    def rps(self) -> float:
        return statistics.median(run.requests_per_second for run in self.runs)

    @property
    def p99(self) -> float:
        return statistics.median(run.p99_ms for run in self.runs)


DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/zhijiao_bench"


def pg_database(url: str) -> bool:
    """Create the PostgreSQL database named in ``url`` if it is missing; False when the server is unreachable."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    conninfo = psycopg.conninfo.make_conninfo(
        dbname="postgres",
        host=config["HOST"] or "127.0.0.1",
        port=str(config["PORT"] or 5432),
        user=config["USER"] or "postgres",
        password=config["PASSWORD"] or None,
        connect_timeout="3",
    )
    try:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone():
                conn.execute(f'CREATE DATABASE "{config["NAME"]}"')
    except psycopg.Error:
        return False
    return True


def pg_url() -> str | None:
    """A reachable PostgreSQL for benchmarks (DATABASE_URL if it is one), its database created if missing."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = DEFAULT_PG_URL
    return url if pg_database(url) else None


def percentiles_ms(values: list[float]) -> str:
    """``p50 … ms   p95 … ms`` of timings in milliseconds."""
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(ordered):7.1f} ms   p95 {p95:7.1f} ms"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _var_dir(scale: str) -> Path:
    """Its own data directory per scale, kept between runs so the data is loaded only once."""
    return BENCH_ROOT / f"zhijiao-bench-{scale}"


def _env(scale: str, **overrides: str) -> dict[str, str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zhijiao.config.settings", "ZHIJIAO_VAR_DIR": str(_var_dir(scale))}
    env.update({"DEBUG": "0", "HTTPS": "off", "LOG_LEVEL": "WARNING"})
    env.update(overrides)
    return env


def _get(url: str, timeout: float = 5) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback only
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def _wait_for(url: str, process: subprocess.Popen[bytes] | None, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            return False
        try:
            if _get(url, timeout=2)[0] == 200:
                return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    return False


def _terminate(process: subprocess.Popen[bytes], timeout: float = 15) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=timeout)
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _prepare(scale: str) -> None:
    """Migrate, load the demo data (once) and collect static files into the bench data directory."""
    _var_dir(scale).mkdir(parents=True, exist_ok=True)
    click.echo(f"数据目录 / data: {_var_dir(scale)}")
    cli = [sys.executable, "-m", "zhijiao.cli"]
    subprocess.run([*cli, "seed", "--scale", scale], env=_env(scale), check=True)
    subprocess.run([*cli, "manage", "collectstatic", "--noinput", "-v0"], env=_env(scale), check=True)


@contextmanager
def granian(
    scale: str, page_cache_seconds: int, content_cache_seconds: int = 60, **extra_env: str
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    argv = [sys.executable, "-m", "granian", "--interface", "wsgi", "zhijiao.config.wsgi:application"]
    argv += ["--host", "127.0.0.1", "--port", str(port), "--workers", "2", "--blocking-threads", "1", "--no-ws"]
    argv += ["--log-level", "warning"]
    env = _env(
        scale,
        PAGE_CACHE_SECONDS=str(page_cache_seconds),
        CONTENT_CACHE_SECONDS=str(content_cache_seconds),
        **extra_env,
    )
    process = subprocess.Popen(argv, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        if not _wait_for(f"{base}/healthz", process, timeout=60):
            raise click.ClickException("granian did not start")
        yield base, process
    finally:
        _terminate(process)


@contextmanager
def nginx_files(files: dict[str, bytes | Path], *, location: str = "") -> Iterator[str | None]:
    """nginx (2 workers, sendfile) on a free port serving ``files`` by name from a temporary root.

    Yields the base URL, or None when nginx is missing or did not start. Paths are hard-linked (copied across
    file systems), bytes are written.
    """
    binary = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if binary is None:
        yield None
        return
    root = Path(tempfile.mkdtemp(prefix="zhijiao-nginx-"))
    www = root / "www"
    www.mkdir()
    for name, content in files.items():
        target = www / name
        if isinstance(content, Path):
            try:
                os.link(content, target)
            except OSError:
                shutil.copy(content, target)
        else:
            target.write_bytes(content)
        target.chmod(0o644)
    for path in (root, www):
        path.chmod(0o755)
    port = free_port()
    temp = " ".join(f"{name}_temp_path {root}/{name};" for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (root / "nginx.conf").write_text(
        f"""worker_processes 2;
daemon off;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    types {{ text/html html; video/mp4 mp4; }}
    {temp}
    server {{
        listen 127.0.0.1:{port};
        root {www};
        {location}
    }}
}}
"""
    )
    process = subprocess.Popen([binary, "-p", str(root), "-c", str(root / "nginx.conf")], start_new_session=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        yield base if _wait_for(base + next(iter(files)), process, timeout=10) else None
    finally:
        _terminate(process, timeout=5)
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def nginx(page: bytes) -> Iterator[str | None]:
    """nginx answering every path with ``page``, the same bytes the app served."""
    location = 'location / { default_type "text/html; charset=utf-8"; try_files /index.html =404; }'
    with nginx_files({"index.html": page}, location=location) as base:
        yield base


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _parse_wrk(output: str) -> Run:
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p99 = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    failed = int(errors.group(1)) if errors else 0
    if socket_errors:
        failed += sum(int(value) for value in socket_errors.groups())
    return Run(
        requests_per_second=float(rps.group(1)) if rps else 0.0,
        p99_ms=float(p99.group(1)) * _UNITS_MS[p99.group(2)] if p99 else 0.0,
        errors=failed,
    )


def wrk(url: str, *, duration: int, connections: int, headers: dict[str, str] | None = None) -> Run:
    extra = [part for name, value in (headers or {}).items() for part in ("-H", f"{name}: {value}")]
    result = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", *extra, url],
        capture_output=True,
        text=True,
        check=False,
        timeout=duration + 30,
    )
    run = _parse_wrk(result.stdout)
    total = re.search(r"(\d+) requests in", result.stdout)
    run.requests = int(total.group(1)) if total else 0
    return run


def peak_rss_mb(parent_pid: int) -> dict[int, float]:
    """VmHWM of every process whose parent is ``parent_pid`` (granian's workers), in MiB."""
    peaks: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() != str(parent_pid) or "VmHWM" not in fields:
            continue
        peaks[int(entry.name)] = int(fields["VmHWM"].split()[0]) / 1024
    return peaks


def _load(url: str, *, repeat: int, duration: int, connections: int) -> list[Run]:
    wrk(url, duration=2, connections=connections)  # warm-up: imports, templates, connections, cache
    return [wrk(url, duration=duration, connections=connections) for _ in range(repeat)]


def _print_rows(rows: list[Row], *, duration: int, connections: int, repeat: int) -> None:
    click.echo("")
    click.echo(f"首页 / home page — wrk -t2 -c{connections} -d{duration}s, median of {repeat}, 127.0.0.1")
    click.echo("  granian --workers 2 --blocking-threads 1, DEBUG off")
    click.echo(f"  {'':34} {'req/s':>10} {'p99':>10}  note")
    for row in rows:
        if not row.runs:
            click.echo(f"  {row.label:34} {'—':>10} {'—':>10}  {row.note}")
            continue
        errors = sum(run.errors for run in row.runs)
        note = row.note + (f" ({errors} errors)" if errors else "")
        click.echo(f"  {row.label:34} {row.rps:>10,.0f} {row.p99:>8.1f}ms  {note}")


def bench_home(*, scale: str, repeat: int, duration: int, connections: int, with_rows: bool = True) -> None:
    if shutil.which("wrk") is None:
        click.echo("wrk is missing: skipped the load test (install: apt-get install wrk nginx-light)")
        return
    _prepare(scale)
    rows: list[Row] = []
    page = b""
    memory: dict[str, dict[int, float]] = {}
    if with_rows:
        with granian(scale, page_cache_seconds=60) as (base, process):
            runs = _load(f"{base}/", repeat=repeat, duration=duration, connections=connections)
            rows.append(Row("granian, page cache on (60 s)", runs, f"target ≥ {CACHED_TARGET:,}"))
            memory["cached"] = peak_rss_mb(process.pid)
    with granian(scale, page_cache_seconds=0) as (base, process):
        status, page = _get(f"{base}/")
        if status != 200:
            click.echo(f"home page answered {status}")
        runs = _load(f"{base}/", repeat=repeat if with_rows else 1, duration=duration, connections=connections)
        rows.append(Row("granian, page cache off", runs, f"target ≥ {UNCACHED_TARGET:,}; {len(page):,} bytes"))
        memory["uncached"] = peak_rss_mb(process.pid)
    if with_rows:
        with granian(scale, page_cache_seconds=0, content_cache_seconds=0) as (base, process):
            runs = _load(f"{base}/", repeat=repeat, duration=duration, connections=connections)
            rows.append(Row("granian, page and content caches off", runs, "every query and render on each request"))
            memory["cold"] = peak_rss_mb(process.pid)
        with nginx(page) as url:
            if url is None:
                rows.append(Row("nginx, same bytes as a static file", [], "nginx missing: apt-get install nginx-light"))
            else:
                rows.append(
                    Row(
                        "nginx, same bytes as a static file",
                        _load(url, repeat=repeat, duration=duration, connections=connections),
                    )
                )
    _print_rows(rows, duration=duration, connections=connections, repeat=repeat)
    click.echo("")
    click.echo("工作进程峰值内存 / peak RSS (VmHWM) of each granian worker after the load")
    for label, peaks in memory.items():
        figures = ", ".join(f"pid {pid}: {mb:.0f} MiB" for pid, mb in sorted(peaks.items())) or "not found"
        click.echo(f"  {label:10} {figures}")


def bench_startup() -> None:
    uv = shutil.which("uv")
    if uv is None or not (REPO_ROOT / ".git").exists():
        click.echo("startup: needs `uv` and a git checkout; skipped")
        return
    workdir = Path(tempfile.mkdtemp(prefix="zhijiao-startup-"))
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"VIRTUAL_ENV", "ZHIJIAO_VAR_DIR", "DJANGO_SETTINGS_MODULE", "DEBUG", "HTTPS", "DATABASE_URL"}
    }
    port = free_port()
    started = time.monotonic()
    try:
        subprocess.run(["git", "clone", "-q", str(REPO_ROOT), str(workdir / "zhijiao")], check=True, timeout=120)
        cloned = time.monotonic() - started
        log = (workdir / "demo.log").open("wb")
        process = subprocess.Popen(
            [uv, "run", "zhijiao", "demo", "--port", str(port)],
            cwd=workdir / "zhijiao",
            env=env,
            start_new_session=True,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            ready = _wait_for(f"http://127.0.0.1:{port}/", process, timeout=600)
            total = time.monotonic() - started
        finally:
            _terminate(process, timeout=20)
        click.echo("")
        if ready:
            click.echo(
                f"启动 / fresh clone → first page of `uv run zhijiao demo`: {total:.1f} s (git clone {cloned:.1f} s)"
            )
        else:
            log.close()
            tail = (workdir / "demo.log").read_text(errors="replace").splitlines()[-15:]
            click.echo("startup: `uv run zhijiao demo` did not serve / within 600 s; its last lines:")
            click.echo("\n".join(f"  {line}" for line in tail))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


# --- Analytics ----------------------------------------------------------------------------------------------

BROWSER_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"
)
ROLLUP_VIEWS = 10_000_000
ROLLUP_TARGET_SECONDS = 60.0
COUNTING_TARGET_RATIO = 0.95


def _count_rows(scale: str, table: str) -> int:
    import sqlite3

    path = _var_dir(scale) / "zhijiao.sqlite3"
    if os.environ.get("DATABASE_URL") or not path.exists():
        return -1
    with sqlite3.connect(path, timeout=30) as db:
        return int(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])  # noqa: S608 - our own table name


def bench_counting(*, scale: str, repeat: int, duration: int, connections: int) -> None:
    """The home page with page-view counting off and on, alternating servers in one run (page cache on)."""
    if shutil.which("wrk") is None:
        click.echo("wrk is missing: skipped the counting load test (install: apt-get install wrk)")
        return
    _prepare(scale)
    headers = {"User-Agent": BROWSER_UA}
    runs: dict[str, list[Run]] = {"0": [], "1": []}
    counted = 0
    for _round in range(repeat):
        for flag in ("0", "1"):
            before = _count_rows(scale, "analytics_pageview")
            with granian(scale, page_cache_seconds=60, ANALYTICS_ENABLED=flag, ANALYTICS_FLUSH_SECONDS="2") as (
                base,
                _p,
            ):
                wrk(f"{base}/", duration=2, connections=connections, headers=headers)
                result = wrk(f"{base}/", duration=duration, connections=connections, headers=headers)
                runs[flag].append(result)
                time.sleep(3)  # let the last timed flush land before the server stops
            if flag == "1" and before >= 0:
                counted += _count_rows(scale, "analytics_pageview") - before
    off, on = Row("counting off (ANALYTICS_ENABLED=0)", runs["0"]), Row("counting on", runs["1"])
    click.echo("")
    click.echo(f"浏览计数开销 / page-view counting — home page, page cache on, wrk -c{connections} -d{duration}s,")
    click.echo(f"  median of {repeat} alternating runs, browser User-Agent, granian --workers 2 --blocking-threads 1")
    click.echo(f"  {'':36} {'req/s':>10} {'p99':>10}")
    for row in (off, on):
        click.echo(f"  {row.label:36} {row.rps:>10,.0f} {row.p99:>8.1f}ms")
    for row in (off, on):
        click.echo(f"    {row.label} runs: " + ", ".join(f"{run.requests_per_second:,.0f}" for run in row.runs))
    ratio = on.rps / off.rps if off.rps else 0.0
    click.echo(f"  ratio on/off: {ratio:.3f} (target ≥ {COUNTING_TARGET_RATIO})")
    if counted >= 0:
        requests = sum(run.requests for run in runs["1"])
        click.echo(f"  views written by the counting-on servers: {counted:,} (their timed runs served {requests:,})")


def bench_rollup(views: int = ROLLUP_VIEWS) -> None:
    """Generate ``views`` raw page views in a data directory of their own and time one rollup of them all."""
    var_dir = BENCH_ROOT / "zhijiao-bench-rollup"
    var_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zhijiao.config.settings", "ZHIJIAO_VAR_DIR": str(var_dir)}
    env.update({"DEBUG": "0", "LOG_LEVEL": "WARNING"})
    code = f"from zhijiao.bench import rollup_child; rollup_child({int(views)})"
    click.echo("")
    click.echo(f"汇总 / rollup of {views:,} recorded views — data: {var_dir}")
    subprocess.run([sys.executable, "-c", code], env=env, check=True)


_GENERATE_SQLITE = """
WITH RECURSIVE seq(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM seq WHERE x < %(n)s),
v(x, age, visitor) AS (SELECT x, 29 - (x - 1) * 30 / %(n)s, (x * 2654435761) %% 90001 FROM seq)
INSERT INTO analytics_pageview (day, platform, object_type, object_id, device, visitor, region, created_at)
SELECT date(%(today)s, '-' || age || ' days'),
       CASE (visitor + (x %% 11 = 0)) %% 6 WHEN 0 THEN 'portal' WHEN 1 THEN 'k12' WHEN 2 THEN 'vocational'
            WHEN 3 THEN 'higher' WHEN 4 THEN 'employment' ELSE 'hall' END,
       CASE WHEN x %% 3 = 0 THEN 'portal.article' ELSE '' END,
       CASE WHEN x %% 3 = 0 THEN (x * 7919) %% 5000 + 1 END,
       CASE WHEN visitor %% 10 < 6 THEN 'mobile' WHEN visitor %% 10 < 7 THEN 'tablet' ELSE 'desktop' END,
       printf('%%016x', visitor * 1000003 + age),
       CASE WHEN x %% 10 = 0 THEN '1101' || printf('%%02d', visitor %% 16 + 1) ELSE '' END,
       %(now)s
FROM v
"""

_GENERATE_POSTGRES = """
INSERT INTO analytics_pageview (day, platform, object_type, object_id, device, visitor, region, created_at)
SELECT %(today)s::date - age,
       (ARRAY['portal','k12','vocational','higher','employment','hall'])[
           ((visitor + (x %% 11 = 0)::int) %% 6) + 1],
       CASE WHEN x %% 3 = 0 THEN 'portal.article' ELSE '' END,
       CASE WHEN x %% 3 = 0 THEN (x * 7919) %% 5000 + 1 END,
       CASE WHEN visitor %% 10 < 6 THEN 'mobile' WHEN visitor %% 10 < 7 THEN 'tablet' ELSE 'desktop' END,
       lpad(to_hex(visitor * 1000003 + age), 16, '0'),
       CASE WHEN x %% 10 = 0 THEN '1101' || lpad((visitor %% 16 + 1)::text, 2, '0') ELSE '' END,
       %(now)s
FROM (SELECT x, (29 - (x - 1) * 30 / %(n)s)::int AS age, (x * 2654435761) %% 90001 AS visitor
      FROM generate_series(1::bigint, %(n)s) AS x) AS v
"""


def rollup_child(views: int) -> None:
    """In a process of its own: migrate, empty the analytics tables, generate ``views`` rows, roll them up."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from zhijiao.analytics import models
    from zhijiao.analytics.services import pageviews_rollup

    call_command("migrate", interactive=False, verbosity=0)
    for model in (
        models.PageView,
        models.DailyVisitor,
        models.DailyPlatformStat,
        models.DailyObjectStat,
        models.DailyDeviceStat,
        models.DailyRegionStat,
        models.PlatformTotal,
    ):
        model.objects.all().delete()
    now = timezone.now()
    params: dict[str, Any] = {
        "n": views,
        "today": timezone.localdate(now).isoformat(),
        "now": connection.ops.adapt_datetimefield_value(now),
    }
    sql = _GENERATE_POSTGRES if connection.vendor == "postgresql" else _GENERATE_SQLITE
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
    generated = time.monotonic() - started
    raw = models.PageView.objects.count()
    click.echo(f"  generated {raw:,} raw views ({connection.vendor}) in {generated:.1f} s (not part of the rollup)")
    report = pageviews_rollup()
    totals = models.PlatformTotal.objects.filter(platform="all").values_list("pv", "uv").first() or (0, 0)
    left = models.PageView.objects.count()
    click.echo(
        f"  rollup: {report.views:,} views over {len(report.days)} days in {report.seconds:.1f} s "
        f"(target ≤ {ROLLUP_TARGET_SECONDS:.0f} s); all platforms: pv {totals[0]:,}, uv (daily, summed) {totals[1]:,}; "
        f"raw rows left: {left:,}"
    )
    again = pageviews_rollup()
    after = models.PlatformTotal.objects.filter(platform="all").values_list("pv", "uv").first() or (0, 0)
    click.echo(f"  re-run: {again.views:,} views in {again.seconds:.2f} s; totals unchanged: {after == totals}")


def run(what: str, *, scale: str = "small", repeat: int, duration: int, connections: int) -> None:
    if what in {"home", "all"}:
        bench_home(scale=scale, repeat=repeat, duration=duration, connections=connections)
    elif what == "memory":
        bench_home(scale=scale, repeat=1, duration=duration, connections=connections, with_rows=False)
    if what in {"startup", "all"}:
        bench_startup()
    if what in {"analytics", "all"}:
        bench_counting(scale=scale, repeat=repeat, duration=duration, connections=connections)
        bench_rollup()
