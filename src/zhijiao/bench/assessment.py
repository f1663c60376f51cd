"""``zhijiao bench assessment``: grading's figures, printed; nothing here asserts.

Sections (one function each, so the exam deadline spike can join them):

- **regrade**: a run of 10,000 learners × 30 assessments (10 unit quizzes, 10 homework, 5 discussion prompts and
  5 exams: 300,000 scores), written once with bulk inserts into the bench's own SQLite database under
  ``/tmp/zhijiao-bench-assessment`` (a marker file says it is built; delete the directory to rebuild). Then
  ``services.run_regrade`` — what the worker runs after a policy change — is timed (median of ``--repeat``; target
  ≤ 60 s), and the SQL queries of one learner's grade update through ``services.score_record`` are counted (target
  ≤ 10; a test pins it too).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import click

from zhijiao.bench import harness

ROOT = Path(tempfile.gettempdir()) / "zhijiao-bench-assessment"
SCALE = "assessment"
LEARNERS = 10_000
ASSESSMENTS = {"quiz": 10, "homework": 10, "discussion": 5, "exam": 5}
MARKER = ROOT / f"regrade-{LEARNERS}-{sum(ASSESSMENTS.values())}.done"
REGRADE_TARGET_SECONDS, UPDATE_TARGET_QUERIES = 60, 10

_BUILD = r"""
import os, random, time, uuid
import django
django.setup()
from datetime import timedelta
from decimal import Decimal
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from zhijiao.accounts.models import User
from zhijiao.courses.grading import default_policy
from zhijiao.courses.models import Course, Enrolment, GradedItem, Run, Score

LEARNERS = int(os.environ["BENCH_LEARNERS"])
PLAN = [(key, int(n)) for key, n in (part.split(":") for part in os.environ["BENCH_ASSESSMENTS"].split(","))]
rng = random.Random(2026)
now = timezone.now()
started = time.perf_counter()
with transaction.atomic():
    password = make_password(None)
    users = User.objects.bulk_create(
        [User(phone=f"177{n:08d}", display_name=f"学习者{n}", password=password) for n in range(LEARNERS)],
        batch_size=5000,
    )
    course = Course.objects.create(title="成绩重算基准课程")
    run = Run.objects.create(
        course=course, title="基准开课", enrol_opens_at=now - timedelta(days=120),
        enrol_closes_at=now - timedelta(days=60), starts_at=now - timedelta(days=100),
        ends_at=now + timedelta(days=10), grading_policy=default_policy().as_json(),
    )
    Enrolment.objects.bulk_create([Enrolment(run=run, user=user) for user in users], batch_size=5000)
    items = GradedItem.objects.bulk_create(
        [
            GradedItem(run=run, content_id=uuid.uuid4(), category=key, title=f"{key} {n + 1}", possible=Decimal(100))
            for key, count in PLAN
            for n in range(count)
        ]
    )
    batch = []
    for user in users:
        for item in items:
            if rng.random() < 0.05:
                continue  # a few missed: they count as zero
            earned = Decimal(rng.randint(30, 100))
            batch.append(Score(run=run, user=user, content_id=item.content_id, category=item.category,
                               earned=earned, possible=item.possible, source="bench", source_earned=earned,
                               graded_at=now))
            if len(batch) >= 20000:
                Score.objects.bulk_create(batch, batch_size=5000)
                batch = []
    Score.objects.bulk_create(batch, batch_size=5000)
print(f"BUILT {run.pk} {Score.objects.filter(run=run).count()} {time.perf_counter() - started:.1f}")
"""

_REGRADE = r"""
import os, time
import django
django.setup()
from decimal import Decimal
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from zhijiao.courses import services
from zhijiao.courses.models import Enrolment, GradedItem, Run

run = Run.objects.get(pk=int(os.environ["BENCH_RUN"]))
for _ in range(int(os.environ["BENCH_REPEAT"])):
    started = time.perf_counter()
    written = services.run_regrade(run=run)
    print(f"REGRADE {time.perf_counter() - started:.2f} {written}", flush=True)
enrolment = Enrolment.objects.filter(run=run).select_related("user").order_by("pk").first()
item = GradedItem.objects.filter(run=run).order_by("pk").first()
with transaction.atomic():
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        services.score_record(run=run, user=enrolment.user, content_id=item.content_id, category=item.category,
                              earned=Decimal("88"), possible=item.possible, source="bench")
        elapsed = time.perf_counter() - started
    print(f"UPDATE {len(queries)} {elapsed * 1000:.1f}", flush=True)
    transaction.set_rollback(True)
"""


def _env(**extra: str) -> dict[str, str]:
    return harness.env(SCALE, **extra)


def _child(code: str, *, timeout: int = 3600, **extra: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", code], env=_env(**extra), stdout=subprocess.PIPE, text=True, check=False, timeout=timeout
    )
    if result.returncode != 0:
        raise click.ClickException(f"bench child failed ({result.returncode})")
    return result.stdout.splitlines()


def _prepare() -> int:
    """The bench database with its run of 10,000 learners × 30 assessments (built once); the run's id."""
    ROOT.mkdir(parents=True, exist_ok=True)
    harness.BENCH_ROOT = ROOT
    harness.var_dir(SCALE).mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "zhijiao.cli", "manage", "migrate", "-v0"], env=_env(), check=True)
    built = ROOT / "build.txt"
    if not MARKER.exists():
        click.echo(f"建库 / building the grading bench data in {harness.var_dir(SCALE)} (once)…")
        lines = _child(
            _BUILD,
            BENCH_LEARNERS=str(LEARNERS),
            BENCH_ASSESSMENTS=",".join(f"{key}:{n}" for key, n in ASSESSMENTS.items()),
        )
        built.write_text("\n".join(lines) + "\n")
        MARKER.write_text("built\n")
    line = next(line for line in built.read_text().splitlines() if line.startswith("BUILT "))
    _, run_id, scores, seconds = line.split()
    click.echo(
        f"  数据 / data: {LEARNERS:,} learners × {sum(ASSESSMENTS.values())} assessments = {int(scores):,} scores"
    )
    click.echo(f"  (built in {seconds} s with bulk inserts)")
    return int(run_id)


def regrade(*, repeat: int) -> None:
    """Regrading a run of 10,000 learners × 30 assessments, and one learner's grade update."""
    click.echo("== 成绩重算 / regrade (SQLite) ==")
    run_id = _prepare()
    lines = _child(_REGRADE, BENCH_RUN=str(run_id), BENCH_REPEAT=str(repeat))
    runs = [line.split() for line in lines if line.startswith("REGRADE ")]
    seconds = statistics.median(float(parts[1]) for parts in runs)
    written = runs[-1][2]
    click.echo(
        f"  run_regrade: {seconds:.1f} s median of {len(runs)} ({written} grades written; "
        f"target ≤ {REGRADE_TARGET_SECONDS} s) — runs: {', '.join(parts[1] for parts in runs)} s"
    )
    update = next(line.split() for line in lines if line.startswith("UPDATE "))
    click.echo(
        f"  one learner's grade update (score_record): {update[1]} SQL queries, {update[2]} ms "
        f"(target ≤ {UPDATE_TARGET_QUERIES} queries)"
    )


def run(*, repeat: int, duration: int) -> None:
    """Every section of ``zhijiao bench assessment``: the exam deadline spike, then regrading."""
    from . import exam_spike

    exam_spike.run(duration=duration)
    regrade(repeat=repeat)
