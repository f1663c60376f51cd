"""``zhijiao bench discussion``: a thread page with 1,000 replies, printed; nothing here asserts.

A published course with one run, 21 learners and an assistant, and one 答疑 question with 1,000 replies (written
with one bulk insert: the bench measures reading, not posting), in the bench's own SQLite database under
``/tmp/zhijiao-bench-discussion`` (built once; delete the directory to rebuild). Then, for a signed-in learner:
the SQL queries of one request of the thread's first and last page, and req/s and p99 with ``wrk`` at 32
connections of the thread page beside the signed-in home page as a reference, on the production server as
``zhijiao serve`` starts it (granian, 2 workers, one blocking thread each, DEBUG off), no page cache.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import click

from zhijiao.bench import harness

ROOT = Path(tempfile.gettempdir()) / "zhijiao-bench-discussion"
SCALE = "discussion"
REPLIES = 1000
MARKER = ROOT / f"discussion-{REPLIES}.done"

_BUILD = r"""
import os
from datetime import timedelta
import django
django.setup()
from django.db import transaction
from django.utils import timezone
from zhijiao.accounts.models import User
from zhijiao.courses import services as courses
from zhijiao.courses.disciplines import discipline_sync
from zhijiao.courses.models import Discipline, Node, RunStaff, TeamRole
from zhijiao.discussion import services
from zhijiao.discussion.models import Post, Thread
from zhijiao.orgs.models import Membership, Organization, Region, Role

REPLIES = int(os.environ["BENCH_REPLIES"])
now = timezone.now()
if not Discipline.objects.exists():
    discipline_sync(Discipline)
region, _ = Region.objects.get_or_create(code="110000", defaults={"name": "北京市", "level": 1})
university, _ = Organization.objects.get_or_create(kind="university", name="基准大学", region=region)


def user(phone, name):
    found = User.objects.filter(phone=phone).first()
    return found or User.objects.create_user(phone=phone, password="bench-only-Zz9", display_name=name)


with transaction.atomic():
    teacher = user("13900009001", "基准教师")
    Membership.objects.get_or_create(user=teacher, organization=university, role=Role.UNIVERSITY_FACULTY)
    course = courses.course_create(actor=teacher, title="基准：讨论区课程", university=university)
    chapter = courses.node_add(actor=teacher, course=course, kind="chapter", title="第一章")
    unit = courses.node_add(actor=teacher, course=course, kind="unit", title="1.1 导论", parent=chapter)
    courses.block_add(actor=teacher, unit=unit, type="richtext", data={"html": "<p>导论</p>"})
    courses.course_publish(actor=teacher, course=course)
    course.refresh_from_db()
    run = courses.run_create(
        actor=teacher, course=course, title="基准开课", kind="open", enrol_opens_at=now - timedelta(days=30),
        enrol_closes_at=now + timedelta(days=60), starts_at=now - timedelta(days=20), ends_at=now + timedelta(days=90),
    )
    assistant = user("13900009003", "基准助教")
    RunStaff.objects.create(run=run, user=assistant, role=TeamRole.ASSISTANT)
    learners = []
    for n in range(21):
        learner = user(f"139000091{n:02d}" if n else "13900009002", f"基准学习者{n}")
        courses.enrolment_create(actor=learner, run=run)
        learners.append(learner)
    thread = services.thread_create(
        actor=learners[1], run=run, kind="question", title="递归和迭代哪个更快？", body="<p>请大家讨论。</p>"
    )
    Post.objects.bulk_create([
        Post(thread=thread, author=(learners + [assistant])[n % 22], by_staff=n % 22 == 21,
             body=f"<p>第 {n + 1} 条回复：递归写起来简洁，迭代通常省去调用栈的开销。</p>")
        for n in range(REPLIES)
    ])
    Thread.objects.filter(pk=thread.pk).update(reply_count=REPLIES, last_activity_at=now, staff_replied=True)
print(f"THREAD {thread.pk}", flush=True)
"""

_QUERIES = r"""
import os
import django
django.setup()
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from zhijiao.accounts.models import User

client = Client(HTTP_HOST="127.0.0.1")
client.force_login(User.objects.get(phone="13900009002"))
for url in os.environ["PAGES"].split():
    client.get(url)  # the first request fills the per-process caches, as a warm server has them
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    print(f"QUERIES {url} {len(queries)} {response.status_code} {len(response.content)}", flush=True)
name = settings.SESSION_COOKIE_NAME
print(f"SESSION {name} {client.cookies[name].value}", flush=True)
"""


def _child(code: str, **extra: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=harness.env(SCALE, **extra),
        stdout=subprocess.PIPE,
        text=True,
        check=False,
        timeout=3600,
    )
    if result.returncode != 0:
        raise click.ClickException(f"bench child failed ({result.returncode})")
    return result.stdout.splitlines()


def _prepare() -> str:
    ROOT.mkdir(parents=True, exist_ok=True)
    harness.BENCH_ROOT = ROOT
    harness.var_dir(SCALE).mkdir(parents=True, exist_ok=True)
    cli = [sys.executable, "-m", "zhijiao.cli", "manage"]
    subprocess.run([*cli, "migrate", "-v0"], env=harness.env(SCALE), check=True)
    subprocess.run([*cli, "collectstatic", "--noinput", "-v0"], env=harness.env(SCALE), check=True)
    built = ROOT / "build.txt"
    if not MARKER.exists():
        click.echo(f"建库 / building the discussion bench data in {harness.var_dir(SCALE)} (once)…")
        built.write_text("\n".join(_child(_BUILD, BENCH_REPLIES=str(REPLIES))) + "\n")
        MARKER.write_text("built\n")
    line = next(item for item in built.read_text().splitlines() if item.startswith("THREAD "))
    return line.split()[1]


def run(*, repeat: int, duration: int, connections: int) -> None:
    thread_id = _prepare()
    first = f"/discussion/threads/{thread_id}/"
    last = f"{first}?page={REPLIES // 50}"
    lines = _child(_QUERIES, PAGES=f"{first} {last} /")
    counts = {parts[1]: parts[2:] for parts in (line.split() for line in lines if line.startswith("QUERIES "))}
    _session, cookie_name, session = next(line.split() for line in lines if line.startswith("SESSION "))
    cookie = {"Cookie": f"{cookie_name}={session}"}
    rows: list[harness.Row] = []
    if shutil.which("wrk") is None:
        click.echo("wrk is missing: req/s skipped (install: apt-get install wrk)")
    else:
        with harness.granian(SCALE, page_cache_seconds=0) as (base, process):
            for label, path in (
                ("thread page, 1,000 replies (page 1)", first),
                ("thread page, last page", last),
                ("reference: home page /, signed in", "/"),
            ):
                harness.wrk(base + path, duration=2, connections=connections, headers=cookie)
                used = harness.cpu_seconds(process.pid)
                runs = [
                    harness.wrk(base + path, duration=duration, connections=connections, headers=cookie)
                    for _ in range(repeat)
                ]
                answered = sum(item.requests for item in runs)
                cpu = (harness.cpu_seconds(process.pid) - used) * 1000 / answered if answered else 0.0
                queries, status, size = counts.get(path, ["?", "?", "?"])
                rows.append(
                    harness.Row(label, runs, f"{queries} SQL queries, {status}, {size} bytes, {cpu:.1f} ms CPU/req")
                )
    click.echo("")
    click.echo(f"讨论区 / discussion — a 答疑 thread of {REPLIES:,} replies, 50 a page, for a signed-in learner")
    for path, (queries, status, size) in counts.items():
        click.echo(f"  {path:40} {queries:>3} SQL queries  ({status}, {size} bytes)")
    if rows:
        click.echo(f"  wrk -t2 -c{connections} -d{duration}s, median of {repeat}; granian 2 workers × 1 thread, SQLite")
        click.echo(f"  {'':40} {'req/s':>9} {'p99':>10}  note")
        for row in rows:
            errors = sum(item.errors for item in row.runs)
            note = row.note + (f" ({errors} errors)" if errors else "")
            click.echo(f"  {row.label:40} {row.rps:>9,.0f} {row.p99:>8.1f}ms  {note}")
