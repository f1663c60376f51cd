"""``zhijiao bench cases``: the case library's figures, printed; nothing here asserts.

- **Catalogue and search at two sizes**: 4,500 cases (the real library's size) and 100,000, each built once with bulk
  inserts into the bench's own SQLite database under ``/tmp/zhijiao-bench-cases-<n>`` (a marker file says it is
  built; delete the directory to rebuild) and indexed in the unified search. Then the case search
  (``/api/v1/cases/?q=…``: the unified search with the case type, its facets and the page's rows), p50 and p95 of
  200 sequential GETs with varying words, and the catalogue page ``/higher/cases/`` (anonymous, no page cache):
  req/s and p99 with ``wrk`` on the production server (granian, 2 workers, one blocking thread each, DEBUG off).
- **Stamping a 20-page case PDF on download**: milliseconds per stamp in one process (median of 30,
  ``cases.stamping.stamp_pdf``), then the download itself (``/higher/cases/<id>/full-text.pdf?download=1``, signed
  in as a member student) with ``wrk`` on the same 2-worker server: req/s and p99 on the machine's 2 cores.

The review engine's figure (automatic assignment) is printed by its own module.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import click

from zhijiao.bench import harness

SIZES = (4_500, 100_000)
SEARCH_URL = "/api/v1/cases/"
CATALOGUE_URL = "/higher/cases/"
WORDS = ["转型", "管理", "风险", "数字", "治理", "设计", "诊断", "教学", "品牌", "应急", "护理", "翻译"]
STAMP_PAGES = 20

_BUILD = r"""
import os, random, sys, time
import django
django.setup()
import click
from datetime import timedelta
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from zhijiao.accounts.models import User
from zhijiao.cases import services
from zhijiao.cases.categories import PROFESSIONAL_DEGREES
from zhijiao.cases.models import Case, CaseAuthor, CaseType
from zhijiao.core.uploads import private_storage
from zhijiao.demo.cases import CATALOGUE, case_pdf
from zhijiao.orgs.models import Membership, Organization, Region, Role
from zhijiao.search.services import reindex, reindex_total

SIZE = int(os.environ["BENCH_CASES"])
rng = random.Random(2026)
now = timezone.now()
started = time.perf_counter()
region, _ = Region.objects.get_or_create(code="110000", defaults={"name": "北京市", "level": 1})
university, _ = Organization.objects.get_or_create(kind="university", name="基准大学", region=region)
services.library_member_add(organization=university)
student = User.objects.filter(phone="13900008102").first() or User.objects.create_user(
    phone="13900008102", password="bench-only-Zz9", display_name="基准学生"
)
Membership.objects.get_or_create(user=student, organization=university, role=Role.STUDENT)
paragraphs = ["【案例背景】" + "本案例描述企业在数字化转型中的组织变革与决策过程。" * 3] * 6
storage = private_storage()
name = "cases/bench/case-20-pages.pdf"
if not storage.exists(name):
    storage.save(name, ContentFile(case_pdf("基准案例", paragraphs, pages=20)))
codes = [code for code, _ in PROFESSIONAL_DEGREES]
vocab = list(CATALOGUE.values())
types = [CaseType.TEXT] * 5 + [CaseType.VIDEO, CaseType.MICRO, CaseType.SHORT_VIDEO]
with click.progressbar(length=SIZE // 5000 + 2, label="建库 / building cases", file=sys.stderr) as bar:
    with transaction.atomic():
        for start in range(0, SIZE, 5000):
            rows = []
            for n in range(start, min(SIZE, start + 5000)):
                fields, subjects, courses, points = vocab[n % len(vocab)]
                kind = types[n % len(types)]
                subject = subjects[n % len(subjects)]
                rows.append(Case(
                    category=codes[n % len(codes)], field=fields[n % len(fields)], case_type=kind,
                    title=f"{subject}（{n + 1}）", abstract=f"本案例围绕{subject}展开，讨论{points[0]}与{points[-1]}。",
                    keywords=[subject[:8], points[0]], applicable_courses=courses, knowledge_points=points,
                    year=2016 + n % 10, body="小微案例正文" if kind == CaseType.MICRO else "",
                    full_text=name if kind == CaseType.TEXT else "",
                    video="" if kind in (CaseType.TEXT, CaseType.MICRO) else "cases/bench/v.mp4",
                    accession_no=f"B{n + 1:07d}", accepted_at=now - timedelta(minutes=n),
                    organization=university, download_count=int(50 * rng.random() ** 4),
                ))
            made = Case.objects.bulk_create(rows)
            CaseAuthor.objects.bulk_create(
                [CaseAuthor(case=c, position=1, name="基准作者", organization=university,
                            organization_name=university.name) for c in made]
            )
            bar.update(1)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    bar.update(1)
with click.progressbar(length=reindex_total("cases.case"), label="索引 / indexing cases", file=sys.stderr) as bar:
    reindex(kind="cases.case", progress=bar.update)
first = Case.objects.filter(case_type=CaseType.TEXT).order_by("id").first()
print(f"BUILT {Case.objects.count()} {first.pk} {time.perf_counter() - started:.0f}", flush=True)
"""

_STAMP = r"""
import statistics, time
import django
django.setup()
from django.utils import timezone
from zhijiao.cases.stamping import Stamp, stamp_pdf
from zhijiao.demo.cases import case_pdf

source = case_pdf("基准案例", ["本案例描述企业在数字化转型中的组织变革与决策过程。" * 3] * 6, pages=20)
stamp = Stamp("基准学生", "139****8102", "基准大学", timezone.now())
stamp_pdf(source, stamp)
timings = []
for _ in range(30):
    started = time.perf_counter()
    size = len(stamp_pdf(source, stamp))
    timings.append((time.perf_counter() - started) * 1000)
print(f"STAMP {statistics.median(timings):.1f} {size}")
"""

_SESSION = r"""
import django
django.setup()
from django.conf import settings
from django.test import Client
from zhijiao.accounts.models import User

client = Client(HTTP_HOST="127.0.0.1")
client.force_login(User.objects.get(phone="13900008102"))
name = settings.SESSION_COOKIE_NAME
print(f"SESSION {name} {client.cookies[name].value}")
"""


def _scale(size: int) -> str:
    return f"cases-{size}"


def _child(code: str, size: int, **extra: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=harness.env(_scale(size), **extra),
        stdout=subprocess.PIPE,
        text=True,
        check=False,
        timeout=7200,
    )
    if result.returncode != 0:
        raise click.ClickException(f"bench child failed ({result.returncode})")
    return result.stdout.splitlines()


def _field(lines: list[str], key: str) -> list[str]:
    return next((line.split()[1:] for line in lines if line.split()[:1] == [key]), [])


def _prepare(size: int) -> list[str]:
    root = harness.var_dir(_scale(size))
    root.mkdir(parents=True, exist_ok=True)
    cli = [sys.executable, "-m", "zhijiao.cli", "manage"]
    env = harness.env(_scale(size))
    marker = root / f"cases-{size}.done"
    if not marker.exists():
        subprocess.run([*cli, "migrate", "-v0"], env=env, check=True)
        subprocess.run([*cli, "collectstatic", "--noinput", "-v0"], env=env, check=True)
        lines = _child(_BUILD, size, BENCH_CASES=str(size))
        marker.write_text("\n".join(lines))
    return marker.read_text().splitlines()


def _timed(urls: list[str]) -> tuple[list[float], set[int]]:
    timings: list[float] = []
    statuses: set[int] = set()
    for url in urls:
        started = time.perf_counter()
        status, _body = harness.http_get(url, timeout=30)
        timings.append((time.perf_counter() - started) * 1000)
        statuses.add(status)
    return timings, statuses


def run(*, repeat: int, duration: int, connections: int, sizes: tuple[int, ...] = SIZES) -> None:
    """Print the case library's figures; ``BENCH_CASE_SIZES=500,2000`` measures other sizes (a quick check)."""
    import os

    if os.environ.get("BENCH_CASE_SIZES"):
        sizes = tuple(int(part) for part in os.environ["BENCH_CASE_SIZES"].split(","))
    if shutil.which("wrk") is None:
        click.echo("wrk is missing: skipped (install: apt-get install wrk)")
        return
    harness.BENCH_ROOT = Path(tempfile.gettempdir())
    click.echo("")
    click.echo(
        "案例库 / case library — granian 2 workers × 1 thread, DEBUG off, SQLite; "
        f"wrk -c{connections} -d{duration}s, median of {repeat}"
    )
    click.echo(f"  {'':44} {'req/s':>9} {'p99':>10}  note")
    rows: list[harness.Row] = []
    searches: list[str] = []
    downloaded = False
    for size in sizes:
        built = _field(_prepare(size), "BUILT")
        count, text_case = int(built[0]), built[1]
        words = [WORDS[n % len(WORDS)] + ("" if n % 3 else " 管理") for n in range(200)]
        with harness.granian(_scale(size), page_cache_seconds=0) as (base, process):

            def measure(label: str, url: str, note: str, headers: dict[str, str] | None = None) -> None:
                """A row: warm-up, ``repeat`` wrk runs, and the workers' CPU milliseconds per answered request (what
                two idle cores could answer is 2,000 / that, whatever else the machine is doing)."""
                harness.wrk(url, duration=2, connections=connections, headers=headers)
                used = harness.cpu_seconds(process.pid)
                runs = [
                    harness.wrk(url, duration=duration, connections=connections, headers=headers) for _ in range(repeat)
                ]
                answered = sum(run.requests for run in runs)
                cpu = (harness.cpu_seconds(process.pid) - used) * 1000 / answered if answered else 0.0
                rows.append(harness.Row(label, runs, f"{cpu:5.1f} ms CPU/req; {note}"))

            search_urls = [f"{base}{SEARCH_URL}?" + urllib.parse.urlencode({"q": word}) for word in words]
            _timed(search_urls[:5])
            search, search_status = _timed(search_urls)
            searches.append(
                f"  case search {SEARCH_URL}?q=…, {count:,} cases, 200 GETs: {harness.percentiles_ms(search)}   "
                f"status {sorted(search_status)}"
            )
            measure(f"catalogue {CATALOGUE_URL}, {count:,} cases", base + CATALOGUE_URL, "anonymous, no page cache")
            if not downloaded:
                downloaded = True
                name, value = _field(_child(_SESSION, size), "SESSION")
                pdf = f"{base}/higher/cases/{text_case}/full-text.pdf?download=1"
                label = f"download, {STAMP_PAGES}-page PDF stamped"
                measure(label, pdf, "signed-in member student", {"Cookie": f"{name}={value}"})
    for row in rows:
        errors = sum(run.errors for run in row.runs)
        note = row.note + (f" ({errors} errors)" if errors else "")
        click.echo(f"  {row.label:44} {row.rps:>9,.0f} {row.p99:>8.1f}ms  {note}")
    for line in searches:
        click.echo(line)
    stamp_ms, stamped_size = _field(_child(_STAMP, sizes[0]), "STAMP")
    click.echo(
        f"  stamping a {STAMP_PAGES}-page case PDF in one process: {stamp_ms} ms (median of 30), "
        f"{int(stamped_size):,} bytes"
    )
