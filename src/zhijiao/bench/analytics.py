"""``zhijiao bench analytics``: what page-view counting costs and how long a rollup takes; nothing asserts.

The home page with page-view counting off and on (alternating servers, page cache on, a browser User-Agent) and
their ratio; then 10,000,000 raw views generated in SQL in ``/tmp/zhijiao-bench-rollup`` and the seconds one
rollup of them takes (and that a second run adds nothing).
"""

import os
import shutil
import subprocess
import sys
import time
from typing import Any

import click

from . import harness
from .harness import Row, Run, granian, wrk

BROWSER_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"
)
ROLLUP_VIEWS = 10_000_000
ROLLUP_TARGET_SECONDS = 60.0
COUNTING_TARGET_RATIO = 0.95


def _count_rows(scale: str, table: str) -> int:
    import sqlite3

    path = harness.var_dir(scale) / "zhijiao.sqlite3"
    if os.environ.get("DATABASE_URL") or not path.exists():
        return -1
    with sqlite3.connect(path, timeout=30) as db:
        return int(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])  # noqa: S608 - our own table name


def bench_counting(*, scale: str, repeat: int, duration: int, connections: int) -> None:
    """The home page with page-view counting off and on, alternating servers in one run (page cache on)."""
    if shutil.which("wrk") is None:
        click.echo("wrk is missing: skipped the counting load test (install: apt-get install wrk)")
        return
    harness.prepare(scale)
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
    var_dir = harness.BENCH_ROOT / "zhijiao-bench-rollup"
    var_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zhijiao.config.settings", "ZHIJIAO_VAR_DIR": str(var_dir)}
    env.update({"DEBUG": "0", "LOG_LEVEL": "WARNING"})
    code = f"from zhijiao.bench.analytics import rollup_child; rollup_child({int(views)})"
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
