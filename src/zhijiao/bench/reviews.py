"""``zhijiao bench reviews``: automatic assignment of 2,000 submissions to 300 experts with conflicts of interest,
printed; nothing here asserts.

:func:`measure_assignment` builds a call in the current database inside a transaction it rolls back at the end:
150 universities, ``experts`` experts (two fields each out of ten 一级学科, one declared conflict with a university
each, a third of them with an earlier co-written entry), ``submissions`` format-checked entries (one to three
authors from several universities; the fields of two in ten are ones no expert covers: they go out of field).
It then times ``reviews.services.assignments_auto`` (three experts an entry) and reports the seconds, how many
experts were assigned, how many entries were left short, and the largest and smallest expert load. The
notifications the service sends after commit are not part of the time (the transaction never commits).

``run()`` measures on the bench's own SQLite database under ``/tmp/zhijiao-bench-reviews`` (migrated once) and,
when ``DATABASE_URL`` names a PostgreSQL database, there too.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from datetime import timedelta
from typing import Any

import click

FIELDS = ["0401", "0402", "0812", "1202", "1204", "0301", "0202", "1001", "0701", "0501"]


class _Rollback(Exception):
    pass


def measure_assignment(submissions: int = 2000, experts: int = 300, *, seed: int = 2026) -> dict[str, Any]:
    """Seconds for one automatic assignment of ``submissions`` entries to ``experts`` experts with conflicts, and
    the resulting loads; the data is built and rolled back in the current database."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from zhijiao.accounts.models import User
    from zhijiao.orgs.models import Membership, Organization, Region, Role
    from zhijiao.reviews import services
    from zhijiao.reviews.models import Author, Call, Criterion, DeclaredConflict, ExpertProfile, Submission

    rng = random.Random(seed)
    unusable = make_password(None)
    result: dict[str, Any] = {}
    try:
        with transaction.atomic():
            today = timezone.localdate()
            region, _created = Region.objects.get_or_create(code="110000", defaults={"name": "北京市", "level": 1})
            universities = Organization.objects.bulk_create(
                [Organization(kind="university", name=f"基准评审大学{n:03d}", region=region) for n in range(150)]
            )
            people = User.objects.bulk_create(
                [
                    User(phone=f"1370{n:07d}", display_name=f"基准用户{n}", password=unusable)
                    for n in range(experts + 400)
                ]
            )
            pool, applicants = people[:experts], people[experts:]
            Membership.objects.bulk_create(
                [Membership(user=u, organization=universities[n % 150], role=Role.EXPERT) for n, u in enumerate(pool)]
                + [
                    Membership(user=u, organization=rng.choice(universities), role=Role.UNIVERSITY_FACULTY)
                    for u in applicants
                ]
            )
            ExpertProfile.objects.bulk_create([ExpertProfile(user=u, fields=rng.sample(FIELDS[:8], 2)) for u in pool])
            DeclaredConflict.objects.bulk_create(
                [DeclaredConflict(expert=u, organization=rng.choice(universities), reason="基准") for u in pool]
            )
            staff = User.objects.create(
                phone="13799999999", display_name="基准工作人员", is_superuser=True, is_staff=True, password=unusable
            )
            call = Call.objects.create(
                kind="general",
                title="基准：自动分配",
                opens_on=today - timedelta(days=30),
                closes_on=today,
                review_deadline=today + timedelta(days=30),
                reviewers_per_submission=3,
            )
            Criterion.objects.create(call=call, name="综合", weight=1, max_score=10)
            earlier = Call.objects.create(
                kind="general",
                title="基准：往年",
                opens_on=today - timedelta(days=400),
                closes_on=today - timedelta(days=370),
                review_deadline=today - timedelta(days=360),
            )
            member_of = {m.user_id: m.organization_id for m in Membership.objects.filter(user__in=applicants)}
            names = [f"作者{n}" for n in range(1500)]
            old = Submission.objects.bulk_create(
                [
                    Submission(
                        call=earlier,
                        applicant=u,
                        organization_id=member_of.get(u.pk) or universities[0].pk,
                        title="往年申报",
                        status="accepted",
                    )
                    for u in pool[: experts // 3]
                ]
            )
            Author.objects.bulk_create(
                [Author(submission=s, position=1, name=str(s.applicant), user=s.applicant) for s in old]
                + [Author(submission=s, position=2, name=rng.choice(names)) for s in old]
            )
            entries = Submission.objects.bulk_create(
                [
                    Submission(
                        call=call,
                        applicant=u,
                        organization_id=member_of[u.pk],
                        title=f"基准申报{n}",
                        field=rng.choice(FIELDS),
                        status="checked",
                    )
                    for n, u in enumerate(rng.choice(applicants) for _ in range(submissions))
                ]
            )
            authors = []
            for s in entries:
                authors.append(
                    Author(
                        submission=s,
                        position=1,
                        name=str(s.applicant),
                        user=s.applicant,
                        organization_id=s.organization_id,
                    )
                )
                for position in range(2, rng.randrange(2, 5)):
                    authors.append(
                        Author(
                            submission=s,
                            position=position,
                            name=rng.choice(names),
                            organization=rng.choice(universities),
                        )
                    )
            Author.objects.bulk_create(authors, batch_size=2000)
            started = time.perf_counter()
            outcome = services.assignments_auto(actor=staff, call=call)
            seconds = time.perf_counter() - started
            loads = [n for uid, n in outcome.loads.items() if uid in {u.pk for u in pool}]
            result = {
                "submissions": submissions,
                "experts": experts,
                "seconds": round(seconds, 3),
                "assigned": outcome.assigned,
                "short": sum(outcome.short.values()),
                "out_of_field": outcome.out_of_field,
                "largest_load": max(loads),
                "smallest_load": min(loads),
            }
            raise _Rollback
    except _Rollback:
        pass
    return result


_CHILD = r"""
import json, os
import django
django.setup()
from zhijiao.bench.reviews import measure_assignment
figures = measure_assignment(int(os.environ["BENCH_SUBMISSIONS"]), int(os.environ["BENCH_EXPERTS"]))
print("RESULT " + json.dumps(figures))
"""


def _measure(env: dict[str, str], submissions: int, experts: int) -> dict[str, Any]:
    import json

    cli = [sys.executable, "-m", "zhijiao.cli", "manage"]
    subprocess.run([*cli, "migrate", "-v0"], env=env, check=True)
    child = subprocess.run(
        [sys.executable, "-c", _CHILD],
        env={**env, "BENCH_SUBMISSIONS": str(submissions), "BENCH_EXPERTS": str(experts)},
        stdout=subprocess.PIPE,
        text=True,
        check=False,
        timeout=3600,
    )
    line = next((item for item in child.stdout.splitlines() if item.startswith("RESULT ")), None)
    if child.returncode != 0 or line is None:
        raise click.ClickException(f"bench child failed ({child.returncode})")
    return dict(json.loads(line[7:]))


def run(*, submissions: int = 2000, experts: int = 300) -> None:
    from . import harness

    targets = [("SQLite", harness.env("reviews"))]
    harness.var_dir("reviews").mkdir(parents=True, exist_ok=True)
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")) and harness.pg_database(url):
        targets.append(("PostgreSQL", harness.database_env(harness.var_dir("reviews"), url)))
    click.echo(
        f"专家评审 / reviews — automatic assignment, {submissions:,} submissions × 3 experts, {experts} experts,"
    )
    click.echo("  conflicts of interest (same university, declared, co-authors), by field, balanced by load")
    for label, env in targets:
        figures = _measure(env, submissions, experts)
        click.echo(
            f"  {label:11} {figures['seconds']:6.2f} s   assigned {figures['assigned']:,}   "
            f"left short {figures['short']}   out of field {figures['out_of_field']}   "
            f"expert load largest {figures['largest_load']} / smallest {figures['smallest_load']}"
        )
