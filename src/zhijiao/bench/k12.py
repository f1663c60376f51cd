"""``zhijiao bench k12``: the K-12 platform's figures, printed; nothing here asserts.

- ``/q/<code>`` (an anonymous scan: counted, page data cached), a lesson page and the home page, in the same run on
  the production server (granian, 2 workers, one blocking thread each, DEBUG off), ``wrk -c32``, medians;
- a batch of 1,000 codes for one book and its printable A4 PDF sheet, in seconds (in a transaction rolled back);
- Range streaming of a 50 MB video file (``Range: bytes=0-`` → 206) through ``storage.open()``, MB/s, beside nginx
  serving the same file from disk in the same run.
"""

import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from zhijiao.bench import harness

Q_TARGET = 1500
STREAM_BYTES = 50 * 1024 * 1024

_SETUP = r"""
import django, os
django.setup()
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.db import transaction
from zhijiao.k12.models import Code, Lesson, Resource, Subject
if not Subject.objects.exists():  # a bench database seeded before the K-12 demo data existed
    from zhijiao.demo.k12 import seed_k12
    with transaction.atomic():
        seed_k12(seed=2026)
code = Code.objects.filter(status="published").order_by("id").first()
lesson = code.lesson
size = int(os.environ["STREAM_BYTES"])
name = "k12/bench/stream-50mb.mp4"
if not default_storage.exists(name) or default_storage.size(name) != size:
    if default_storage.exists(name):
        default_storage.delete(name)
    clip = Resource.objects.filter(kind="video").exclude(file="").first().file.read()
    blob = (clip * (size // len(clip) + 1))[:size]
    name = default_storage.save(name, ContentFile(blob))
resource, _ = Resource.objects.get_or_create(
    title="bench: 50 MB stream", kind="video",
    defaults={"status": "published", "mime_type": "video/mp4", "published_at": timezone.now(), "file": name,
              "size_bytes": size},
)
print(code.code, lesson.pk, resource.pk, default_storage.path(name))
"""

_BATCH = r"""
import django, time
django.setup()
from django.db import transaction
from zhijiao.accounts.models import User
from zhijiao.k12.codes import PrintedCode, code_url, sheet_pdf
from zhijiao.k12.models import Book, Edition, Lesson, STAGE_GRADES, Subject, Unit
from zhijiao.k12 import selectors
from zhijiao.k12.services import code_batch_generate
staff = User.objects.filter(is_staff=True).order_by("id").first()
with transaction.atomic():
    subject = Subject.objects.order_by("id").first()
    edition = Edition.objects.create(name="基准测试版")
    book = Book.objects.create(subject=subject, edition=edition, grade=STAGE_GRADES[subject.stage][0], volume="upper")
    unit = Unit.objects.create(book=book, position=1, title="基准测试单元")
    Lesson.objects.bulk_create([Lesson(unit=unit, position=n, title=f"第{n}课 基准测试课时") for n in range(1, 1001)])
    started = time.perf_counter()
    batch = code_batch_generate(actor=staff, book=book)
    generated = time.perf_counter() - started
    codes = list(selectors.batch_codes(batch=batch).filter(lesson__unit=unit))
    items = [PrintedCode(code=c.code, title=c.lesson.title, subtitle=unit.title, url=code_url(c.code, base_url="https://example.cn/"))
             for c in codes]
    started = time.perf_counter()
    pdf = sheet_pdf(title=batch.title, codes=items)
    printed = time.perf_counter() - started
    print(batch.codes.count(), len(items), f"{generated:.2f}", f"{printed:.2f}", len(pdf))
    transaction.set_rollback(True)
"""


def _child(code: str, scale: str, **env: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=harness.env(scale, STREAM_BYTES=str(STREAM_BYTES), **env),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise click.ClickException(result.stderr[-2000:])
    return result.stdout.strip().splitlines()[-1]


@contextmanager
def nginx_file(path: Path) -> Iterator[str | None]:
    """nginx serving one video file (with its own Range support) on a free port."""
    with harness.nginx_files({"video.mp4": path}) as base:
        yield base + "video.mp4" if base else None


def _stream(url: str, *, duration: int) -> float:
    """MB/s of 206 answers to ``Range: bytes=0-`` over 4 connections."""
    result = subprocess.run(
        ["wrk", "-t2", "-c4", f"-d{duration}s", "-H", "Range: bytes=0-", url],
        capture_output=True,
        text=True,
        check=False,
        timeout=duration + 60,
    )
    import re

    found = re.search(r"Transfer/sec:\s+([\d.]+)(B|KB|MB|GB)", result.stdout)
    if not found:
        return 0.0
    factor = {"B": 1 / 1024 / 1024, "KB": 1 / 1024, "MB": 1.0, "GB": 1024.0}[found.group(2)]
    return float(found.group(1)) * factor


def run(*, scale: str, repeat: int, duration: int, connections: int) -> None:
    if shutil.which("wrk") is None:
        click.echo("wrk is missing: skipped (install: apt-get install wrk nginx-light)")
        return
    # Its own data directory: the K-12 rows (and a 50 MB file) stay out of the other benches' databases.
    harness.BENCH_ROOT = Path(tempfile.gettempdir()) / "zhijiao-bench-k12"
    harness.prepare(scale)
    code, lesson_id, _resource_id, stream_path = _child(_SETUP, scale).split(" ", 3)
    rows: list[harness.Row] = []
    with harness.granian(scale, page_cache_seconds=60) as (base, _process):
        stream_url = f"{base}/k12/resources/{_resource_id}/file"
        for label, path, note in (
            ("home page /", "/", "page cache on"),
            (f"/q/{code}", f"/q/{code}", f"target ≥ {Q_TARGET:,}; every request counted"),
            (f"lesson page /k12/lessons/{lesson_id}/", f"/k12/lessons/{lesson_id}/", "page cache on"),
        ):
            status, body = harness.http_get(base + path)
            runs = harness.load(base + path, repeat=repeat, duration=duration, connections=connections)
            rows.append(harness.Row(label, runs, f"{note}; {status}, {len(body):,} bytes"))
        time.sleep(3)  # the last scan counts reach the database
        granian_mbs = [_stream(stream_url, duration=duration) for _ in range(repeat)]
    with harness.granian(scale, page_cache_seconds=0) as (base, _process):
        path = f"/k12/lessons/{lesson_id}/"
        runs = harness.load(base + path, repeat=repeat, duration=duration, connections=connections)
        rows.append(harness.Row("lesson page, page cache off", runs, "every query and render on each request"))
    with nginx_file(Path(stream_path)) as url:
        nginx_mbs = [_stream(url, duration=duration) for _ in range(repeat)] if url else []

    click.echo("")
    click.echo(f"中小学 / K-12 — wrk -t2 -c{connections} -d{duration}s, median of {repeat}, 127.0.0.1")
    click.echo("  granian --workers 2 --blocking-threads 1, DEBUG off, same server for the first three rows")
    click.echo(f"  {'':42} {'req/s':>10} {'p99':>10}  note")
    for row in rows:
        errors = sum(run.errors for run in row.runs)
        note = row.note + (f" ({errors} errors)" if errors else "")
        click.echo(f"  {row.label:42} {row.rps:>10,.0f} {row.p99:>8.1f}ms  {note}")

    click.echo("")
    made, printed, generate_s, pdf_s, pdf_bytes = _child(_BATCH, scale).split()
    click.echo(
        f"云码批次 / code batch: {made} codes generated in {generate_s} s; A4 PDF sheet of {printed} codes "
        f"({int(pdf_bytes) / 1024 / 1024:.1f} MiB, {-(-int(printed) // 20)} pages) in {pdf_s} s"
    )

    import statistics

    click.echo("")
    megabytes = STREAM_BYTES // 1024 // 1024
    click.echo(f"Range 流式传输 / streaming a {megabytes} MB video, Range: bytes=0- (206), wrk -c4 -d{duration}s")
    if granian_mbs:
        click.echo(f"  granian (storage.open, 512 KiB chunks) {statistics.median(granian_mbs):>10,.0f} MB/s")
    if nginx_mbs:
        click.echo(f"  nginx (sendfile), same file            {statistics.median(nginx_mbs):>10,.0f} MB/s")
    else:
        click.echo("  nginx missing: apt-get install nginx-light")
