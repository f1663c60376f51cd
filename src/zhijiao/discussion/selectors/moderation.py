"""The teaching team's report queue (举报处理): a run's posts with open reports, the longest waiting first."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Min, Q

from zhijiao.core.actors import Actor
from zhijiao.core.errors import NotFound
from zhijiao.courses import selectors as courses
from zhijiao.courses.models import Run

from ..models import Post, Report
from .forum import is_teaching_team

REPORTS_PER_PAGE = 20
OPEN = Q(reports__resolved=False)


def access_report_queue(*, actor: Actor | None, run_id: int) -> Run:
    """A run whose report queue the actor handles: its teaching team only; NotFound for everyone else (learners
    included: a queue they may not open is not there for them)."""
    run = courses.access_run(actor=actor, run_id=run_id)
    if not is_teaching_team(actor, run):
        raise NotFound
    return run


@dataclass
class ReportQueue:
    posts: list[Any]
    page: int
    pages: int
    total: int


def report_queue(*, run: Run, page: int = 1) -> ReportQueue:
    """One page of the run's reported posts with open reports, the earliest reported first; each post carries
    ``open_reports`` (how many members reported it) and ``open_report_rows`` (who and why). Three queries."""
    queryset = (
        Post.objects.filter(thread__run=run)
        .annotate(open_reports=Count("reports", filter=OPEN), first_reported_at=Min("reports__created_at", filter=OPEN))
        .filter(open_reports__gt=0)
    )
    total = queryset.count()
    pages = max(1, math.ceil(total / REPORTS_PER_PAGE))
    page = min(max(page, 1), pages)
    start = (page - 1) * REPORTS_PER_PAGE
    posts = list(
        queryset.select_related("author", "thread").order_by("first_reported_at", "id")[
            start : start + REPORTS_PER_PAGE
        ]
    )
    rows: dict[int, list[Report]] = {}
    if posts:
        reports = Report.objects.filter(post__in=[post.pk for post in posts], resolved=False).select_related("reporter")
        for report in reports.order_by("created_at", "id"):
            rows.setdefault(report.post_id, []).append(report)
    for post in posts:
        post.open_report_rows = rows.get(post.pk, [])  # type: ignore[attr-defined]
    return ReportQueue(posts=posts, page=page, pages=pages, total=total)


def open_report_count(*, run: Run) -> int:
    """How many of the run's posts wait in the report queue (the forum's badge for the teaching team)."""
    return Report.objects.filter(post__thread__run=run, resolved=False).values("post_id").distinct().count()
