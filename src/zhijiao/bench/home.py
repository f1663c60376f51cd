"""Figures for the closing note, printed by ``zhijiao bench home|memory|startup``; nothing asserts.

- home: the home page on the production server (granian, 2 workers, one blocking thread each, DEBUG off),
  loaded with ``wrk`` over loopback, with the page cache on and off, beside nginx serving the same bytes as a
  static file in the same run. Medians of ``--repeat`` runs.
- memory: peak resident memory (VmHWM) of each granian worker after the load.
- startup: seconds from ``git clone`` of this repository to the first 200 of ``/`` from ``uv run zhijiao demo``
  (with a warm uv cache).
"""

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import click

from . import harness
from .harness import Row, free_port, granian, nginx, peak_rss_mb

REPO_ROOT = Path(__file__).resolve().parents[3]
UNCACHED_TARGET, CACHED_TARGET = 500, 4000


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
    harness.prepare(scale)
    rows: list[Row] = []
    page = b""
    memory: dict[str, dict[int, float]] = {}
    if with_rows:
        with granian(scale, page_cache_seconds=60) as (base, process):
            runs = harness.load(f"{base}/", repeat=repeat, duration=duration, connections=connections)
            rows.append(Row("granian, page cache on (60 s)", runs, f"target ≥ {CACHED_TARGET:,}"))
            memory["cached"] = peak_rss_mb(process.pid)
    with granian(scale, page_cache_seconds=0) as (base, process):
        status, page = harness.http_get(f"{base}/")
        if status != 200:
            click.echo(f"home page answered {status}")
        runs = harness.load(f"{base}/", repeat=repeat if with_rows else 1, duration=duration, connections=connections)
        rows.append(Row("granian, page cache off", runs, f"target ≥ {UNCACHED_TARGET:,}; {len(page):,} bytes"))
        memory["uncached"] = peak_rss_mb(process.pid)
    if with_rows:
        with granian(scale, page_cache_seconds=0, content_cache_seconds=0) as (base, process):
            runs = harness.load(f"{base}/", repeat=repeat, duration=duration, connections=connections)
            rows.append(Row("granian, page and content caches off", runs, "every query and render on each request"))
            memory["cold"] = peak_rss_mb(process.pid)
        with nginx(page) as url:
            if url is None:
                rows.append(Row("nginx, same bytes as a static file", [], "nginx missing: apt-get install nginx-light"))
            else:
                rows.append(
                    Row(
                        "nginx, same bytes as a static file",
                        harness.load(url, repeat=repeat, duration=duration, connections=connections),
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
            ready = harness.wait_for(f"http://127.0.0.1:{port}/", process, timeout=600)
            total = time.monotonic() - started
        finally:
            harness.terminate(process, timeout=20)
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
