"""What every ``zhijiao bench`` figure stands on: servers on free loopback ports, ``wrk`` and its parsing, nginx as
the static-file ceiling, PostgreSQL for the benchmarks that want it, the bench's own data directories.

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

import click

BENCH_ROOT = Path(tempfile.gettempdir())


@dataclass
class Run:
    requests_per_second: float
    p99_ms: float
    errors: int
    requests: int = 0
    p50_ms: float = 0.0


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


def var_dir(scale: str) -> Path:
    """Its own data directory per scale, kept between runs so the data is loaded only once."""
    return BENCH_ROOT / f"zhijiao-bench-{scale}"


def env(scale: str, **overrides: str) -> dict[str, str]:
    """The environment of a bench server or child: production settings, DEBUG off, the scale's data directory."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zhijiao.config.settings", "ZHIJIAO_VAR_DIR": str(var_dir(scale))}
    env.update({"DEBUG": "0", "HTTPS": "off", "LOG_LEVEL": "WARNING"})
    env.update(overrides)
    return env


def database_env(var_dir: Path, database_url: str, **overrides: str) -> dict[str, str]:
    """The environment of a bench child that measures one database: production settings, DEBUG off, quiet logs,
    no analytics."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "zhijiao.config.settings",
        "ZHIJIAO_VAR_DIR": str(var_dir),
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        "ANALYTICS_ENABLED": "0",
    }
    env.update(overrides)
    return env


def http_get(url: str, timeout: float = 5) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback only
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def wait_for(url: str, process: subprocess.Popen[bytes] | None, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            return False
        try:
            if http_get(url, timeout=2)[0] == 200:
                return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    return False


def terminate(process: subprocess.Popen[bytes], timeout: float = 15) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=timeout)
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def prepare(scale: str) -> None:
    """Migrate, load the demo data (once) and collect static files into the bench data directory."""
    var_dir(scale).mkdir(parents=True, exist_ok=True)
    click.echo(f"数据目录 / data: {var_dir(scale)}")
    cli = [sys.executable, "-m", "zhijiao.cli"]
    subprocess.run([*cli, "seed", "--scale", scale], env=env(scale), check=True)
    subprocess.run([*cli, "manage", "collectstatic", "--noinput", "-v0"], env=env(scale), check=True)


@contextmanager
def granian(
    scale: str, page_cache_seconds: int, content_cache_seconds: int = 60, **extra_env: str
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    argv = [sys.executable, "-m", "granian", "--interface", "wsgi", "zhijiao.config.wsgi:application"]
    argv += ["--host", "127.0.0.1", "--port", str(port), "--workers", "2", "--blocking-threads", "1", "--no-ws"]
    argv += ["--log-level", "warning"]
    environment = env(
        scale,
        PAGE_CACHE_SECONDS=str(page_cache_seconds),
        CONTENT_CACHE_SECONDS=str(content_cache_seconds),
        **extra_env,
    )
    process = subprocess.Popen(argv, env=environment, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        if not wait_for(f"{base}/healthz", process, timeout=60):
            raise click.ClickException("granian did not start")
        yield base, process
    finally:
        terminate(process)


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
        yield base if wait_for(base + next(iter(files)), process, timeout=10) else None
    finally:
        terminate(process, timeout=5)
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def nginx(page: bytes) -> Iterator[str | None]:
    """nginx answering every path with ``page``, the same bytes the app served."""
    location = 'location / { default_type "text/html; charset=utf-8"; try_files /index.html =404; }'
    with nginx_files({"index.html": page}, location=location) as base:
        yield base


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def parse_wrk(output: str) -> Run:
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p99 = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
    p50 = re.search(r"^\s*50%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    failed = int(errors.group(1)) if errors else 0
    if socket_errors:
        failed += sum(int(value) for value in socket_errors.groups())
    return Run(
        requests_per_second=float(rps.group(1)) if rps else 0.0,
        p99_ms=float(p99.group(1)) * _UNITS_MS[p99.group(2)] if p99 else 0.0,
        errors=failed,
        p50_ms=float(p50.group(1)) * _UNITS_MS[p50.group(2)] if p50 else 0.0,
    )


def wrk(
    url: str,
    *,
    duration: int,
    connections: int,
    headers: dict[str, str] | None = None,
    script: Path | None = None,
    timeout: int = 0,
) -> Run:
    """One wrk run (2 threads); ``script``: a Lua script that makes the requests; ``timeout``: seconds before wrk
    counts a request as failed (wrk's default is 2)."""
    extra = [part for name, value in (headers or {}).items() for part in ("-H", f"{name}: {value}")]
    if script is not None:
        extra += ["-s", str(script)]
    if timeout:
        extra += ["--timeout", f"{timeout}s"]
    result = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", *extra, url],
        capture_output=True,
        text=True,
        check=False,
        timeout=duration + timeout + 30,
    )
    run = parse_wrk(result.stdout)
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


def cpu_seconds(parent_pid: int) -> float:
    """User + system CPU seconds used so far by granian's worker processes (children of ``parent_pid``)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[1] == str(parent_pid):  # fields[1] is the parent pid (the 4th field of /proc/<pid>/stat)
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def load(url: str, *, repeat: int, duration: int, connections: int) -> list[Run]:
    wrk(url, duration=2, connections=connections)  # warm-up: imports, templates, connections, cache
    return [wrk(url, duration=duration, connections=connections) for _ in range(repeat)]
