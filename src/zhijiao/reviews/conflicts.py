"""Conflicts of interest and automatic assignment, on plain data so 2,000 submissions × 300 experts fit in memory.

An expert may not review a submission when (in this order of reasons):

- ``self``: they are its applicant or one of its authors;
- ``same_organization``: they hold any active membership in the applicant's organisation or an author's;
- ``declared``: they declared a conflict with one of those organisations, or with an author by name;
- ``coauthor``: they wrote an earlier submission together with one of its authors (matched by account, else name).

:func:`auto_assign` gives each submission the experts it still needs: experts of its field first (by 一级学科
code), the least loaded first (open assignments anywhere, counting the ones made in this run), never one with a
conflict or already on it; the submissions with the fewest eligible experts are served first, so scarce experts go
where nobody else can. Ties go to the lower user id: the same input gives the same assignment.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field as dc_field

from django.utils.translation import gettext_lazy as _

REASONS = {
    "self": _("专家本人是申报人或作者"),
    "same_organization": _("专家与申报人或作者同属一个单位"),
    "declared": _("专家声明了与该单位或作者的利益冲突"),
    "coauthor": _("专家与作者曾共同署名申报"),
}


@dataclass
class ExpertInfo:
    user_id: int
    org_ids: set[int] = dc_field(default_factory=set)
    declared_org_ids: set[int] = dc_field(default_factory=set)
    declared_names: set[str] = dc_field(default_factory=set)
    coauthor_user_ids: set[int] = dc_field(default_factory=set)
    coauthor_names: set[str] = dc_field(default_factory=set)
    fields: set[str] = dc_field(default_factory=set)
    load: int = 0


@dataclass
class SubmissionInfo:
    id: int
    field: str = ""
    org_ids: set[int] = dc_field(default_factory=set)
    user_ids: set[int] = dc_field(default_factory=set)
    names: set[str] = dc_field(default_factory=set)
    assigned: set[int] = dc_field(default_factory=set)
    needed: int = 0


def conflict(expert: ExpertInfo, submission: SubmissionInfo) -> str | None:
    """The reason code why ``expert`` may not review ``submission``, or None."""
    if expert.user_id in submission.user_ids:
        return "self"
    if expert.org_ids & submission.org_ids:
        return "same_organization"
    if expert.declared_org_ids & submission.org_ids or expert.declared_names & submission.names:
        return "declared"
    if expert.coauthor_user_ids & submission.user_ids or expert.coauthor_names & submission.names:
        return "coauthor"
    return None


def reason_label(code: str) -> str:
    return str(REASONS.get(code, code))


@dataclass
class AutoResult:
    """What an automatic assignment did: (submission id, expert id) pairs, the submissions left short and by how
    many, how many went to an expert outside the submission's field, and each expert's load afterwards."""

    pairs: list[tuple[int, int]] = dc_field(default_factory=list)
    short: dict[int, int] = dc_field(default_factory=dict)
    out_of_field: int = 0
    loads: dict[int, int] = dc_field(default_factory=dict)


def auto_assign(submissions: Iterable[SubmissionInfo], experts: Iterable[ExpertInfo]) -> AutoResult:
    """Choose experts for every submission's ``needed`` places (see the module's docstring)."""
    pool = sorted(experts, key=lambda expert: expert.user_id)
    result = AutoResult()
    work = []
    for submission in submissions:
        if submission.needed <= 0:
            continue
        eligible = [e for e in pool if e.user_id not in submission.assigned and conflict(e, submission) is None]
        in_field = sum(1 for e in eligible if submission.field and submission.field in e.fields)
        work.append((in_field, len(eligible), submission.id, submission, eligible))
    work.sort(key=lambda item: (item[0], item[1], item[2]))
    for _in_field, _count, _id, submission, eligible in work:
        matching = [e for e in eligible if submission.field and submission.field in e.fields]
        chosen = heapq.nsmallest(submission.needed, matching, key=lambda e: (e.load, e.user_id))
        if len(chosen) < submission.needed:
            taken = {e.user_id for e in chosen}
            others = [e for e in eligible if e.user_id not in taken]
            extra = heapq.nsmallest(submission.needed - len(chosen), others, key=lambda e: (e.load, e.user_id))
            result.out_of_field += len(extra)
            chosen += extra
        for expert in chosen:
            expert.load += 1
            submission.assigned.add(expert.user_id)
            result.pairs.append((submission.id, expert.user_id))
        if len(chosen) < submission.needed:
            result.short[submission.id] = submission.needed - len(chosen)
    result.loads = {expert.user_id: expert.load for expert in pool}
    return result
