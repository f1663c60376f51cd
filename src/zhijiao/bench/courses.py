"""``zhijiao bench courses``: the course engine's figures, printed; nothing here asserts.

- **Learning page** of a course with 1,000 blocks (10 chapters × 10 units × 10 blocks: video, document, rich text),
  for a signed-in learner who has done 400 of them: SQL queries of one request, then req/s and p99 with ``wrk`` at
  32 connections, beside the home page (anonymous, and signed in as the same learner) in the same run, on the
  production server as ``zhijiao serve`` starts it (granian, 2 workers, one blocking thread each, DEBUG off), no
  page cache; then, when Redis answers on 127.0.0.1:6379, again with ``REDIS_URL`` (sessions in Redis, 2 threads).
- **Copying** a 500-block course through ``services.course_copy``: seconds and SQL queries (median of three, each in
  a transaction rolled back).
- **Large seed**: 27,000 published courses in every first-level discipline of 40 universities, one run each, and
  1,000,000 enrolments of 50,000 learners (popular courses far more than others), written once with bulk inserts
  and a progress bar into the bench's own SQLite database under ``/tmp/zhijiao-bench-courses`` (a marker file says
  it is built; delete the directory to rebuild). Then the catalogue page and course search, p50 and p95 of 200
  sequential requests each with varying pages and words.

The URLs measured are the constants below: the learning page and the catalogue are each one line to change as
their pages land.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from zhijiao.bench import harness

ROOT = Path(tempfile.gettempdir()) / "zhijiao-bench-courses"
SCALE = "courses"
LARGE_COURSES = 27_000
LARGE_ENROLMENTS = 1_000_000
LARGE_LEARNERS = 50_000
MARKER = ROOT / f"courses-{LARGE_COURSES}-{LARGE_ENROLMENTS}.done"

# The learning page of a course for its learner: one unit's blocks beside the outline with completion per unit.
LEARN_URL = "/courses/{course_id}/learn/{unit}/"
CATALOGUE_URL = "/higher/"
SEARCH_URL = "/api/v1/search"
COURSE_KIND = "courses.course"
TARGET_RPS, TARGET_QUERIES = 300, 15
COPY_TARGET_SECONDS, COPY_TARGET_QUERIES = 2.0, 30
SEARCH_WORDS = ["数据", "心理", "工程", "导论", "原理", "经济", "化学", "设计", "管理", "文学", "医学", "历史"]

_BUILD = r"""
import os, random, sys, time, uuid
import django
django.setup()
import click
from datetime import timedelta
from decimal import Decimal
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from zhijiao.accounts.models import User
from zhijiao.courses import services
from zhijiao.courses.disciplines import discipline_sync
from zhijiao.courses.models import (
    Asset, Block, BlockProgress, Course, CourseVersion, Discipline, Enrolment, Node, Run,
)
from zhijiao.orgs.models import Membership, Organization, Region, Role

COURSES = int(os.environ["BENCH_COURSES"])
ENROLMENTS = int(os.environ["BENCH_ENROLMENTS"])
LEARNERS = int(os.environ["BENCH_LEARNERS"])
rng = random.Random(2026)
now = timezone.now()
started = time.perf_counter()
if not Discipline.objects.exists():
    discipline_sync(Discipline)
region, _ = Region.objects.get_or_create(code="110000", defaults={"name": "北京市", "level": 1})
universities = []
for n in range(40):
    org, _ = Organization.objects.get_or_create(kind="university", name=f"基准大学{n + 1:02d}", region=region)
    universities.append(org)
teacher = User.objects.filter(phone="13900008001").first() or User.objects.create_user(
    phone="13900008001", password="bench-only-Zz9"
)
Membership.objects.get_or_create(user=teacher, organization=universities[0], role=Role.UNIVERSITY_FACULTY)
learner = User.objects.filter(phone="13900008002").first() or User.objects.create_user(
    phone="13900008002", password="bench-only-Zz9"
)
first_level = list(Discipline.objects.filter(parent__isnull=False).order_by("code"))
TEXT = "<p>" + "本单元讲解课程的核心概念，并结合案例说明其应用。" * 6 + "</p>"


def content_course(title, chapters, units, blocks):
    course = services.course_create(actor=teacher, title=title, university=universities[0])
    video = Asset.objects.create(
        course=course, name="讲解.mp4", mime_type="video/mp4", size_bytes=4, duration_seconds=600
    )
    video.file.save("bench.mp4", ContentFile(b"\x00\x00\x00\x18"), save=True)
    pdf = Asset.objects.create(course=course, name="讲义.pdf", mime_type="application/pdf", size_bytes=8)
    pdf.file.save("bench.pdf", ContentFile(b"%PDF-1.4"), save=True)
    tops = Node.objects.bulk_create(
        [Node(course=course, kind="chapter", title=f"第{c + 1}章 基准章节", position=c) for c in range(chapters)]
    )
    made = Node.objects.bulk_create(
        [Node(course=course, parent=top, kind="unit", title=f"{c + 1}.{u + 1} 基准单元", position=u)
         for c, top in enumerate(tops) for u in range(units)]
    )
    rows = []
    for unit in made:
        for b in range(blocks):
            if b % 5 == 0:
                kind, data = "video", {"file": video.pk}
            elif b % 5 == 1:
                kind, data = "document", {"file": pdf.pk, "downloadable": True}
            else:
                kind, data = "richtext", {"html": TEXT}
            rows.append(Block(course=course, unit=unit, type=kind, title=f"内容块 {b + 1}", position=b, data=data))
    Block.objects.bulk_create(rows, batch_size=1000)
    Course.objects.filter(pk=course.pk).update(revision=2)
    course.refresh_from_db()
    services.course_publish(actor=teacher, course=course)
    return course, made, rows


with transaction.atomic():
    big, units, blocks = content_course("基准：一千个内容块的课程", 10, 10, 10)
    run = services.run_create(
        actor=teacher, course=big, title="基准开课", kind="open", enrol_opens_at=now - timedelta(days=30),
        enrol_closes_at=now + timedelta(days=60), starts_at=now - timedelta(days=20), ends_at=now + timedelta(days=90),
    )
    enrolment = services.enrolment_create(actor=learner, run=run)
    done = blocks[:400]
    BlockProgress.objects.bulk_create([
        BlockProgress(user=learner, content_id=b.content_id, run=run, opened=True,
                      watched=Decimal("1") if b.type == "video" else Decimal("0"), completed_at=now)
        for b in done
    ])
    Enrolment.objects.filter(pk=enrolment.pk).update(
        completion=Decimal("0.400"), last_unit=done[-1].unit.content_id, last_studied_at=now
    )
    copy_source, _, _ = content_course("基准：五百个内容块的课程", 5, 10, 10)
print(f"BIG {big.pk} {units[40].content_id}", flush=True)
print(f"COPY {copy_source.pk}", flush=True)

# The large seed: courses, one published version and one run each, learners, enrolments.
PREFIX = ["", "现代", "高等", "应用", "计算", "中国", "实用", "工程", "数字", "智能"]
SUFFIX = ["导论", "原理", "基础", "概论", "专题研究", "实验", "前沿", "方法", "案例分析", "与社会"]
steps = 6 + COURSES // 5000 + LEARNERS // 10000 + ENROLMENTS // 50000
with click.progressbar(length=steps, label="建库 / building the large seed", file=sys.stderr) as bar:
    password = make_password("bench-only-Zz9")
    with transaction.atomic():
        made_courses = []
        for start in range(0, COURSES, 5000):
            batch = []
            for n in range(start, min(COURSES, start + 5000)):
                discipline = first_level[n % len(first_level)]
                title = f"{PREFIX[n % 10]}{discipline.name}{SUFFIX[(n // 10) % 10]}（{n // 100 + 1}）"
                batch.append(Course(
                    title=title[:120], summary=f"{title}：基准课程。", university=universities[n % 40],
                    platform="higher", discipline=discipline, level="undergraduate", credit_hours=32,
                    credits=Decimal("2.0"), tags=[discipline.name], revision=1,
                    first_class_year=2020 if n % 17 == 0 else None,
                    published_at=now - timedelta(days=n % 900, minutes=n),
                ))
            made_courses += Course.objects.bulk_create(batch)
            bar.update(1)
        outline = {"schema": 1, "revision": 1, "nodes": [], "assets": {}}
        versions = CourseVersion.objects.bulk_create(
            [CourseVersion(course=c, number=1, revision=1, outline={**outline, "course_id": c.pk}, block_count=40)
             for c in made_courses], batch_size=5000,
        )
        bar.update(1)
        for course, version in zip(made_courses, versions):
            course.published_version = version
        Course.objects.bulk_update(made_courses, ["published_version"], batch_size=5000)
        bar.update(1)
        runs = Run.objects.bulk_create(
            [Run(course=c, title="2026 春季学期", enrol_opens_at=now - timedelta(days=40),
                 enrol_closes_at=now + timedelta(days=60), starts_at=now - timedelta(days=30),
                 ends_at=now + timedelta(days=90)) for c in made_courses], batch_size=5000,
        )
        bar.update(1)
        for start in range(0, LEARNERS, 10000):
            User.objects.bulk_create(
                [User(phone=f"1370{n:07d}", display_name=f"学习者{n}", password=password)
                 for n in range(start, min(LEARNERS, start + 10000))]
            )
            bar.update(1)
        learners = list(User.objects.filter(phone__startswith="1370").order_by("id").values_list("id", flat=True))
        table = Enrolment._meta.db_table
        sql = (f"INSERT INTO {table} (run_id, user_id, completion, last_unit, last_studied_at, created_at, updated_at) "
               "VALUES (%s, %s, %s, NULL, %s, %s, %s)")
        per = ENROLMENTS // len(learners)
        stamp = connection.ops.adapt_datetimefield_value(now)
        batch = []
        counts = [0] * len(runs)
        with connection.cursor() as cursor:
            for user_id in learners:
                picked = set()
                while len(picked) < per:
                    # A few courses are far more popular than the rest, as on the real platform.
                    picked.add(int(len(runs) * rng.random() ** 3))
                for index in picked:
                    counts[index] += 1
                    batch.append((runs[index].pk, user_id, f"{rng.random():.3f}", stamp, stamp, stamp))
                if len(batch) >= 50000:
                    cursor.executemany(sql, batch)
                    batch = []
                    bar.update(1)
            if batch:
                cursor.executemany(sql, batch)
        for run, count in zip(runs, counts):
            run.enrolment_count = count
        Run.objects.bulk_update(runs, ["enrolment_count"], batch_size=5000)
        for course, count in zip(made_courses, counts):
            course.enrolment_count = count
        Course.objects.bulk_update(made_courses, ["enrolment_count"], batch_size=5000)
        bar.update(1)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    bar.update(1)
print(f"LARGE {Course.objects.count()} {Enrolment.objects.count()} {time.perf_counter() - started:.0f}", flush=True)

"""

# Courses in the unified search, when a document type for them is registered: indexed once (with a progress bar),
# and again whenever the index holds none of them (the type landed after the data was built).
_SEARCH_INDEX = r"""
import os, sys
import django
django.setup()
import click
from zhijiao.search.models import SearchDocument
from zhijiao.search.registry import document_types

kind = os.environ["COURSE_KIND"]
if not any(t.kind == kind for t in document_types()):
    print("SEARCH none 0")
    sys.exit(0)
if not SearchDocument.objects.filter(kind=kind).exists():
    from zhijiao.search.services import reindex, reindex_total
    with click.progressbar(length=reindex_total(kind), label="索引 / indexing courses", file=sys.stderr) as bar:
        reindex(kind=kind, progress=bar.update)
print(f"SEARCH {kind} {SearchDocument.objects.filter(kind=kind).count()}")
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
client.force_login(User.objects.get(phone="13900008002"))
url = os.environ["LEARN_PATH"]
client.get(url)  # the first request fills the per-process caches, as a warm server has them
with CaptureQueriesContext(connection) as queries:
    response = client.get(url)
name = settings.SESSION_COOKIE_NAME
print(f"QUERIES {len(queries)} {response.status_code} {len(response.content)} {name} {client.cookies[name].value}")
"""

_COPY = r"""
import os, time
import django
django.setup()
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from zhijiao.accounts.models import User
from zhijiao.courses import services
from zhijiao.courses.models import Course

teacher = User.objects.get(phone="13900008001")
source = Course.objects.get(pk=int(os.environ["COPY_SOURCE"]))
for _ in range(3):
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            copy = services.course_copy(actor=teacher, source=source)
            elapsed = time.perf_counter() - started
        print(f"COPY {elapsed:.3f} {len(queries)} {copy.blocks.count()}", flush=True)
        transaction.set_rollback(True)
"""


def _env(**extra: str) -> dict[str, str]:
    return harness.env(SCALE, **extra)


def _child(code: str, *, timeout: int = 7200, **extra: str) -> list[str]:
    """Run ``code`` in a child with the bench's settings; its stdout lines (its stderr, e.g. a progress bar, shows)."""
    result = subprocess.run(
        [sys.executable, "-c", code], env=_env(**extra), stdout=subprocess.PIPE, text=True, check=False, timeout=timeout
    )
    if result.returncode != 0:
        raise click.ClickException(f"bench child failed ({result.returncode})")
    return result.stdout.splitlines()


def _prepare() -> list[str]:
    ROOT.mkdir(parents=True, exist_ok=True)
    harness.BENCH_ROOT = ROOT
    harness.var_dir(SCALE).mkdir(parents=True, exist_ok=True)
    cli = [sys.executable, "-m", "zhijiao.cli", "manage"]
    subprocess.run([*cli, "migrate", "-v0"], env=_env(), check=True)
    subprocess.run([*cli, "collectstatic", "--noinput", "-v0"], env=_env(), check=True)
    built = ROOT / "build.txt"
    if not MARKER.exists():
        click.echo(f"建库 / building the course bench data in {harness.var_dir(SCALE)} (once)…")
        lines = _child(
            _BUILD,
            BENCH_COURSES=str(LARGE_COURSES),
            BENCH_ENROLMENTS=str(LARGE_ENROLMENTS),
            BENCH_LEARNERS=str(LARGE_LEARNERS),
            COURSE_KIND=COURSE_KIND,
        )
        built.write_text("\n".join(lines) + "\n")
        MARKER.write_text("built\n")
    return built.read_text().splitlines()


BENCH_REDIS = "redis://127.0.0.1:6379/12"


def _bench_redis() -> bool:
    """Whether Redis answers on 127.0.0.1:6379; the bench's own database there is emptied."""
    import redis

    client = redis.Redis.from_url(BENCH_REDIS, socket_connect_timeout=0.5)
    try:
        client.flushdb()
    except redis.RedisError:
        return False
    finally:
        client.close()
    return True


@contextmanager
def _server(threads: int, **extra_env: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """The production server as ``zhijiao serve`` starts it with Redis: 2 workers, ``threads`` each, no page cache."""
    from zhijiao.cli import granian_argv

    port = harness.free_port()
    argv = [*granian_argv("127.0.0.1", port, workers=2, blocking_threads=threads), "--log-level", "warning"]
    process = subprocess.Popen(argv, env=_env(PAGE_CACHE_SECONDS="0", **extra_env), start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        if not harness.wait_for(f"{base}/healthz", process, timeout=60):
            raise click.ClickException("granian did not start")
        yield base, process
    finally:
        harness.terminate(process)


def _field(lines: list[str], key: str) -> list[str]:
    return next((line.split()[1:] for line in lines if line.split()[:1] == [key]), [])


def _timed(urls: list[str]) -> tuple[list[float], set[int], int]:
    """Milliseconds of each GET, in turn, the status codes seen, and the bytes of the last answer."""
    timings: list[float] = []
    statuses: set[int] = set()
    size = 0
    for url in urls:
        started = time.perf_counter()
        status, body = harness.http_get(url, timeout=30)
        timings.append((time.perf_counter() - started) * 1000)
        statuses.add(status)
        size = len(body)
    return timings, statuses, size


def run(*, repeat: int, duration: int, connections: int) -> None:
    if shutil.which("wrk") is None:
        click.echo("wrk is missing: skipped (install: apt-get install wrk)")
        return
    built = _prepare()
    course_id, unit = _field(built, "BIG")
    (copy_source,) = _field(built, "COPY")
    learn_path = LEARN_URL.format(course_id=course_id, unit=unit)
    queries, status, size, cookie_name, session = _field(_child(_QUERIES, LEARN_PATH=learn_path), "QUERIES")
    copies = [line.split()[1:] for line in _child(_COPY, COPY_SOURCE=copy_source) if line.startswith("COPY ")]
    search_kind, indexed = _field(_child(_SEARCH_INDEX, COURSE_KIND=COURSE_KIND), "SEARCH")
    # Until courses are a search document type, the search a learner would run: the higher-education platform's.
    scope = {"type": COURSE_KIND} if search_kind != "none" else {"platform": "higher"}

    rows: list[harness.Row] = []
    cookie = {"Cookie": f"{cookie_name}={session}"}

    def measure(label: str, url: str, pid: int, note: str, headers: dict[str, str] | None = None) -> None:
        """A row: warm-up, then ``repeat`` wrk runs, with the workers' CPU milliseconds per answered request."""
        harness.wrk(url, duration=2, connections=connections, headers=headers)
        used = harness.cpu_seconds(pid)
        runs = [harness.wrk(url, duration=duration, connections=connections, headers=headers) for _ in range(repeat)]
        answered = sum(run.requests for run in runs)
        cpu = (harness.cpu_seconds(pid) - used) * 1000 / answered if answered else 0.0
        rows.append(harness.Row(label, runs, f"{cpu:5.1f} ms CPU/req; {note}"))

    with harness.granian(SCALE, page_cache_seconds=0) as (base, process):
        measure("learning page", base + learn_path, process.pid, f"{status}, {size} bytes", cookie)
        measure("reference: home page /", base + "/", process.pid, "anonymous")
        # Signed in, every request also reads the session, the user, the unread-message count and the memberships
        # (the desk bar), which the anonymous home page does not pay; the session is rewritten only every few minutes.
        measure("reference: home page /, signed in", base + "/", process.pid, "the learner's session", cookie)
        catalogue_urls = [f"{base}{CATALOGUE_URL}?page={n % 50 + 1}" for n in range(200)]
        _timed(catalogue_urls[:5])
        catalogue, catalogue_status, catalogue_size = _timed(catalogue_urls)
        words = [SEARCH_WORDS[n % len(SEARCH_WORDS)] + ("" if n % 3 else " 导论") for n in range(200)]
        search_urls = [f"{base}{SEARCH_URL}?" + urllib.parse.urlencode({"q": word, **scope}) for word in words]
        search, search_status, _ = _timed(search_urls)
        _status, sample = harness.http_get(search_urls[0])
    if _bench_redis():
        # As the platform runs with Redis: sessions in the cache (no database write per signed-in request), two
        # threads per worker (cli.default_blocking_threads).
        fields = _field(_child(_QUERIES, LEARN_PATH=learn_path, REDIS_URL=BENCH_REDIS), "QUERIES")
        redis_cookie = {"Cookie": f"{fields[3]}={fields[4]}"}
        with _server(2, REDIS_URL=BENCH_REDIS) as (base, process):
            note = f"{fields[0]} SQL queries"
            measure("learning page, Redis, 2 threads", base + learn_path, process.pid, note, redis_cookie)
            measure("reference: home page /, Redis", base + "/", process.pid, "anonymous")
        _bench_redis()
    else:
        rows.append(harness.Row("(no Redis on 127.0.0.1:6379: the rows with Redis are skipped)", []))

    click.echo("")
    click.echo(f"课程 / courses — wrk -t2 -c{connections} -d{duration}s, median of {repeat}, 127.0.0.1")
    click.echo(
        "  granian --workers 2 --blocking-threads 1, DEBUG off, SQLite, no page cache, one server for the first three"
        " rows; the last two on a second one with REDIS_URL (sessions and cache in Redis) and 2 threads per worker"
    )
    click.echo(
        f"  the course: 1,000 blocks (10 chapters × 10 units × 10), learner with 400 done; "
        f"{queries} SQL queries per request (target ≤ {TARGET_QUERIES})"
    )
    click.echo(f"  learning page: {learn_path}")
    click.echo(f"  {'':40} {'req/s':>9} {'p99':>10}  note")
    for row in rows:
        if not row.runs:
            click.echo(f"  {row.label}")
            continue
        errors = sum(r.errors for r in row.runs)
        note = row.note + (f" ({errors} errors)" if errors else "")
        click.echo(f"  {row.label:40} {row.rps:>9,.0f} {row.p99:>8.1f}ms  {note}")
    click.echo(f"  target ≥ {TARGET_RPS} req/s for the learning page")
    click.echo(
        "  CPU/req: user+system time of the granian workers per answered request; 2,000 / CPU/req is what two idle"
        " cores could answer — other load on a shared machine lowers req/s and raises p99, not CPU/req"
    )
    click.echo("")
    seconds = statistics.median(float(c[0]) for c in copies)
    copy_queries = statistics.median(int(c[1]) for c in copies)
    click.echo(
        f"复制课程 / course copy — services.course_copy of a {copies[0][2]}-block course, median of {len(copies)}: "
        f"{seconds:.2f} s, {copy_queries:.0f} SQL queries (targets ≤ {COPY_TARGET_SECONDS:.0f} s, "
        f"≤ {COPY_TARGET_QUERIES} queries)"
    )
    click.echo("")
    large = _field(built, "LARGE")
    if large:
        click.echo(
            f"大规模数据 / large seed — {int(large[0]):,} courses, {int(large[1]):,} enrolments "
            f"(built once in {large[2]} s)"
        )
    click.echo(
        f"  catalogue {CATALOGUE_URL}?page=1…50, 200 sequential GETs:  {harness.percentiles_ms(catalogue)}   "
        f"status {sorted(catalogue_status)}, {catalogue_size:,} bytes"
    )
    try:
        hits = json.loads(sample).get("total", 0)
    except ValueError:
        hits = 0
    note = (
        f"{int(indexed):,} courses in the index"
        if search_kind != "none"
        else f"{COURSE_KIND} is not a search document type yet: measured the higher platform's search instead"
    )
    query = urllib.parse.urlencode(scope)
    click.echo(
        f"  course search {SEARCH_URL}?q=…&{query}, 200 GETs:  {harness.percentiles_ms(search)}   "
        f"status {sorted(search_status)}, {hits:,} hits for “{words[0]}”; {note}"
    )
