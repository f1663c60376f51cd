"""``zhijiao bench employment``: the employment platform's figures on GENERATED data, SQLite and PostgreSQL.

For each database a child process (its own settings; SQLite in ``$TMPDIR/zhijiao-bench-employment/``, PostgreSQL
in the ``zhijiao_bench_employment`` database) builds the data once and prints:

- job search with city + industry filters over ``--jobs`` jobs (default 1,000,000): the job list's own selector
  (count + first page, newest first) as an anonymous visitor, p50/p95 over 60 queries; and the keyword search
  ("生物制药" + city + industry, through the unified search index) over the first ``--indexed`` jobs written to
  the index by the real document writer;
- importing a 100,000-row feed through the real importer (validation, employer lookup, de-duplication against the
  jobs already there — a fifth of the rows repeat existing jobs), rows per second;
- the daily push: 100,000 graduates × 10,000 jobs posted today, the real ``push_daily`` (matching in one SQL
  statement, pushes recorded, one notification per recipient written), seconds.

Nothing here asserts; it prints figures.
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import click

from zhijiao.bench.harness import DEFAULT_PG_URL, database_env, percentiles_ms, pg_database, pg_url

VAR_DIR = Path(tempfile.gettempdir()) / "zhijiao-bench-employment"
PG_NAME = "zhijiao_bench_employment"
GRADUATES = 100_000
NEW_JOBS = 10_000
FEED_ROWS = 100_000
EMPLOYERS = 2_000
UNIVERSITIES = 50
QUERIES = 60


def run(*, jobs: int, indexed: int) -> None:
    click.echo(f"就业基准：{jobs:,} 个【生成的】岗位，{GRADUATES:,} 名生成的毕业生")
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    targets = [("SQLite", f"sqlite:///{VAR_DIR / f'jobs-{jobs}.sqlite3'}")]
    pg = pg_url()
    if pg:
        targets.append(("PostgreSQL", pg.rsplit("/", 1)[0] + "/" + PG_NAME))
        pg_database(targets[-1][1])
    else:
        click.echo(f"PostgreSQL 不可达（DATABASE_URL 或 {DEFAULT_PG_URL}），只测 SQLite。")
    for label, url in targets:
        click.echo(f"\n== {label} ==")
        env = database_env(VAR_DIR, url, EMAIL_URL="")
        subprocess.run([sys.executable, "-m", "zhijiao.bench.employment", str(jobs), str(indexed)], env=env, check=True)


def _insert(table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Bulk rows straight into a table: COPY on PostgreSQL, executemany on SQLite."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)  # noqa: S608


def _counties() -> list[str]:
    from zhijiao.orgs.models import Region

    return list(Region.objects.filter(level=Region.Level.COUNTY).values_list("code", flat=True))


def _uscc(n: int) -> str:
    """A valid unified social credit code, unique per ``n``: an enterprise of Haidian registered since 2015."""
    from zhijiao.core.identifiers import uscc_check_character

    body = f"91110108MA{n:07d}"
    return body + uscc_check_character(body)


def _build(jobs: int) -> None:
    """Regions, employers (verified), universities, jobs with their places, graduates with preferences."""
    from django.db import connection, transaction
    from django.utils import timezone

    from zhijiao.demo.employment import TITLES
    from zhijiao.demo.seed import all_regions
    from zhijiao.employment.models import Job
    from zhijiao.employment.services import dedup_key
    from zhijiao.orgs.models import Organization, Region

    rng = random.Random(11)
    today = timezone.localdate()
    now = timezone.now()
    started = time.monotonic()
    with transaction.atomic():
        Region.objects.bulk_create(all_regions(), ignore_conflicts=True)
        counties = _counties()
        orgs = [
            Organization(kind="employer", name=f"生成单位{n:05d}", region_id=rng.choice(counties), uscc=_uscc(n + 1))
            for n in range(EMPLOYERS)
        ] + [
            Organization(kind="university", name=f"生成大学{n:03d}", region_id=rng.choice(counties))
            for n in range(UNIVERSITIES)
        ]
        Organization.objects.bulk_create(orgs, batch_size=1000)
        employer_ids = [o.pk for o in orgs if o.kind == "employer"]
        _insert(
            "employment_employerprofile",
            [
                "organization_id",
                "status",
                "credit_code",
                "needs_manual_review",
                "licence",
                "contact_name",
                "contact_phone",
                "contact_email",
                "rejection_reason",
                "created_at",
                "updated_at",
            ],
            [(o.pk, "verified", o.uscc, False, "", "—", "—", "", "", now, now) for o in orgs if o.kind == "employer"],
        )
    industries = list(TITLES)
    job_id = 0
    with click.progressbar(length=jobs, label="生成岗位", file=sys.stderr) as bar:
        while job_id < jobs:
            size = min(50_000, jobs - job_id)
            job_rows, locations, areas, majors = [], [], [], []
            for _i in range(size):
                job_id += 1
                industry = rng.choice(industries)
                title, occupation, disciplines = rng.choice(TITLES[industry])
                county = rng.choice(counties)
                # The last NEW_JOBS jobs are posted today: the push benchmark's "new jobs".
                posted = today if job_id > jobs - NEW_JOBS else today - timedelta(days=rng.randrange(1, 60))
                low = rng.choice((4000, 6000, 8000, 10000, 15000))
                employer_id = rng.choice(employer_ids)
                until = posted + timedelta(days=rng.randrange(60, 120))
                key = dedup_key(
                    employer_id=employer_id, title=title, region_codes=[county], date_posted=posted, valid_through=until
                )
                job_rows.append(
                    (
                        job_id,
                        employer_id,
                        title,
                        f"{title}，负责{industry}类业务。",
                        industry,
                        occupation,
                        rng.choice((0, 2, 3, 3, 4)),
                        low,
                        low + 5000,
                        3,
                        "FULL_TIME",
                        posted,
                        until,
                        "published",
                        True,
                        key,
                        now,
                        now,
                    )
                )
                locations.append((job_id, county))
                areas += [
                    (job_id, code, industry, True, posted, until)
                    for code in (county, county[:4] + "00", county[:2] + "0000")
                ]
                majors += [(job_id, d) for d in disciplines]
            with transaction.atomic():
                _insert(
                    "employment_job",
                    [
                        "id",
                        "employer_id",
                        "title",
                        "description",
                        "industry",
                        "occupation",
                        "education",
                        "salary_min",
                        "salary_max",
                        "headcount",
                        "employment_type",
                        "date_posted",
                        "valid_through",
                        "status",
                        "is_public",
                        "dedup_key",
                        "created_at",
                        "updated_at",
                    ],
                    job_rows,
                )
                _insert("employment_joblocation", ["job_id", "region_id"], locations)
                _insert(
                    "employment_jobarea",
                    ["job_id", "code", "industry", "listed", "date_posted", "valid_through"],
                    list(dict.fromkeys(areas)),
                )
                _insert("employment_jobmajor", ["job_id", "discipline"], majors)
            bar.update(size)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval(pg_get_serial_sequence('employment_job', 'id'), %s)", [job_id])
    _graduates(rng, now)
    with connection.cursor() as cursor:
        # After a bulk load: statistics, and on PostgreSQL the visibility map (index-only scans), as autovacuum
        # would leave them on a live system.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    click.echo(f"数据生成：{Job.objects.count():,} 个岗位，{time.monotonic() - started:.0f} 秒")


def _graduates(rng: random.Random, now: Any) -> None:
    from django.db import connection, transaction

    from zhijiao.accounts.models import User
    from zhijiao.orgs.models import Organization

    universities = list(Organization.objects.filter(kind="university").values_list("pk", "region_id"))
    first = (User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    with transaction.atomic():
        _insert(
            "accounts_user",
            [
                "id",
                "password",
                "phone",
                "display_name",
                "language",
                "is_active",
                "is_staff",
                "is_superuser",
                "date_joined",
            ],
            [(first + n, "!", f"170{n:08d}", f"毕业生{n}", "", True, False, False, now) for n in range(GRADUATES)],
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT setval(pg_get_serial_sequence('accounts_user', 'id'), %s)", [first + GRADUATES])
        graduates, prefs = [], []
        disciplines = ["07", "08", "10", "02", "12", "05", "04", "03"]
        for n in range(GRADUATES):
            university, region = rng.choice(universities)
            with_region = n % 2 == 0
            with_industry = n % 3 == 0
            graduates.append(
                (
                    n + 1,
                    first + n,
                    university,
                    2026,
                    f"毕业生{n}",
                    "",
                    "专业",
                    rng.choice(disciplines),
                    rng.choice((2, 3, 3, 3, 4, 5)),
                    "confirmed",
                    True,
                    None,
                    with_industry,
                    False,
                    with_region,
                    "",
                    now,
                    now,
                )
            )
            if with_region:
                prefs.append((n + 1, "region", region[:2] + "0000"))
            if with_industry:
                prefs += [(n + 1, "industry", code) for code in rng.sample(["C", "I", "J", "M", "Q", "P"], 2)]
        _insert(
            "employment_graduate",
            [
                "id",
                "user_id",
                "university_id",
                "graduation_year",
                "real_name",
                "student_number",
                "major",
                "discipline",
                "education",
                "status",
                "push_enabled",
                "push_salary_min",
                "has_industry_pref",
                "has_occupation_pref",
                "has_region_pref",
                "push_profile",
                "created_at",
                "updated_at",
            ],
            graduates,
        )
        _insert("employment_pushpreference", ["graduate_id", "kind", "value"], prefs)


def _timed_searches(queries: list[Any]) -> tuple[list[float], list[int]]:
    """Each query's time in ms and hit count, anonymously, after the first five as a warm-up."""
    from django.contrib.auth.models import AnonymousUser

    from zhijiao.employment.selectors import job_search

    anonymous = AnonymousUser()
    for query in queries[:5]:
        job_search(actor=anonymous, query=query)
    timings, totals = [], []
    for query in queries:
        started = time.perf_counter()
        result = job_search(actor=anonymous, query=query)
        timings.append((time.perf_counter() - started) * 1000)
        totals.append(result.total)
    return timings, totals


def _search(jobs: int, indexed: int) -> None:
    from zhijiao.employment.models import Job
    from zhijiao.employment.selectors import JobQuery
    from zhijiao.search.models import SearchDocument

    rng = random.Random(5)
    cities = sorted({code[:4] + "00" for code in _counties()})
    industries = ["C", "I", "J", "M", "Q", "P", "F", "E"]
    queries = [
        JobQuery(region=rng.choice(cities), industry=rng.choice(industries), sort="newest") for _ in range(QUERIES)
    ]
    timings, totals = _timed_searches(queries)
    click.echo(
        f"岗位列表 城市+行业筛选（{jobs:,} 个岗位，计数+首页 20 条）：{percentiles_ms(timings)}   "
        f"命中中位数 {statistics.median(totals):,.0f}"
    )

    have = SearchDocument.objects.filter(kind="employment.job").count()
    if have < indexed:
        from zhijiao.employment.services import jobs_index

        started = time.monotonic()
        ids = list(Job.objects.order_by("pk").values_list("pk", flat=True)[have:indexed])
        with click.progressbar(length=len(ids), label="写入搜索索引", file=sys.stderr) as bar:
            for start in range(0, len(ids), 2000):
                jobs_index(job_ids=ids[start : start + 2000])
                bar.update(min(2000, len(ids) - start))
        seconds = time.monotonic() - started
        click.echo(f"索引写入：{len(ids):,} 个岗位，{seconds:.0f} 秒（{len(ids) / seconds:,.0f} 个/秒）")
    keyword = [JobQuery(q="生物制药", region=rng.choice(cities), industry="C") for _ in range(QUERIES)]
    keyword += [
        JobQuery(q="工程师", region=rng.choice(cities), industry=rng.choice(industries)) for _ in range(QUERIES)
    ]
    timings, totals = _timed_searches(keyword)
    click.echo(
        f"关键词+城市+行业（统一搜索索引中的 {indexed:,} 个岗位）：{percentiles_ms(timings)}   "
        f"命中中位数 {statistics.median(totals):,.0f}"
    )


def _import() -> None:
    from django.utils import timezone

    from zhijiao.accounts.models import User
    from zhijiao.demo.employment import TITLES
    from zhijiao.employment.models import Job
    from zhijiao.employment.services import jobs_import
    from zhijiao.orgs.models import Organization

    _forget_imports()
    rng = random.Random(3)
    today = timezone.localdate()
    admin = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        phone="17999999999", password=None
    )
    codes = dict(Organization.objects.filter(kind="employer").values_list("pk", "uscc"))
    counties = _counties()
    existing = list(
        Job.objects.order_by("-pk").values(
            "employer_id", "title", "locations__region_id", "date_posted", "valid_through"
        )[: FEED_ROWS // 5]
    )
    rows: list[tuple[int, dict[str, Any]]] = []
    for n in range(FEED_ROWS):
        if n % 5 == 0 and existing:
            job = existing[n // 5 % len(existing)]
            row = {
                "employer_credit_code": codes[job["employer_id"]],
                "title": job["title"],
                "region_codes": job["locations__region_id"],
                "date_posted": job["date_posted"].isoformat(),
                "valid_through": job["valid_through"].isoformat(),
                "industry": "C",
            }
        else:
            industry = rng.choice(list(TITLES))
            row = {
                "employer_credit_code": rng.choice(list(codes.values())),
                "title": rng.choice(TITLES[industry])[0],
                "region_codes": rng.choice(counties),
                "date_posted": today.isoformat(),
                "valid_through": (today + timedelta(days=rng.randrange(30, 90))).isoformat(),
                "industry": industry,
            }
        row.update(
            {
                "external_id": f"bench-{time.time_ns()}-{n}",
                "description": "生成的岗位",
                "education": "3",
                "salary_min": "8000",
                "salary_max": "12000",
                "employment_type": "FULL_TIME",
            }
        )
        rows.append((n + 2, row))
    started = time.monotonic()
    batch = jobs_import(actor=admin, rows=rows, source_kind="feed", feed="bench", index=False)
    seconds = time.monotonic() - started
    click.echo(
        f"导入 {FEED_ROWS:,} 行（去重）：{seconds:.1f} 秒，{FEED_ROWS / seconds:,.0f} 行/秒；"
        f"新增 {batch.created:,}，合并 {batch.merged:,}，错误 {len(batch.errors):,}"
    )
    _forget_imports()


def _forget_imports() -> None:
    """Drop what an earlier run imported (the generated jobs have no creator), so every run starts alike."""
    from django.db import connection, transaction

    jobs = "SELECT id FROM employment_job WHERE created_by_id IS NOT NULL"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM employment_jobsource WHERE feed = 'bench'")
        for table in ("employment_jobarea", "employment_joblocation", "employment_jobmajor", "employment_jobsource"):
            cursor.execute(f"DELETE FROM {table} WHERE job_id IN ({jobs})")  # noqa: S608
        cursor.execute(f"DELETE FROM employment_job WHERE id IN ({jobs})")  # noqa: S608


def _push() -> None:
    from django.db import connection

    from zhijiao.employment.models import JobPush, PushRun
    from zhijiao.employment.services import push_daily, push_profiles_fill
    from zhijiao.notifications.models import Notification

    started = time.monotonic()
    filled = push_profiles_fill()
    if filled:
        click.echo(f"推送画像（注册时计算，此处为批量补算）：{filled:,} 名毕业生，{time.monotonic() - started:.1f} 秒")
    JobPush.objects.all().delete()
    PushRun.objects.all().delete()
    Notification.objects.filter(kind="job_push").delete()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    today = date.today()
    report = push_daily(day=today, since=today)
    click.echo(
        f"每日推送（{GRADUATES:,} 名毕业生 × {NEW_JOBS:,} 个今日新岗位）：{report.seconds:.1f} 秒；"
        f"推送 {report.pushes:,} 条，{report.recipients:,} 人收到（含写入消息）"
    )


def child(jobs: int, indexed: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from zhijiao.employment.models import Job

    call_command("migrate", interactive=False, verbosity=0)
    _forget_imports()
    have = Job.objects.count()
    if have < jobs:
        if have:
            raise click.ClickException("数据库里的岗位数与 --jobs 不符，请删除基准数据库后重试")
        _build(jobs)
    else:
        click.echo(f"复用已有数据：{have:,} 个岗位")
    _search(jobs, indexed)
    _push()
    _import()


if __name__ == "__main__":
    child(int(sys.argv[1]), int(sys.argv[2]))
