"""A submission's life as data: every state and every move in one table.

    draft ──submit──▶ submitted ──check──▶ checked ──assign──▶ under_review ──(last review in)──▶ reviewed
      ▲                  │ return                                   ▲   (large disagreement: one more expert)  │
      └── returned ◀─────┘                                          └──────────── extra_round ◀───────────────┤
                                                                                                             │
    reviewed ──accept──▶ accepted (入库编号)   ──revise──▶ revise ──submit──▶ submitted (round + 1)              │
             ──reject──▶ rejected                                                                            ◀┘
    revise / rejected ──appeal upheld──▶ reviewed (a new decision; a dismissed appeal leaves it as it is)

``submit`` and ``resubmit`` are the applicant's; ``return`` and ``check`` (形式审查), ``assign``, the decisions and
``reopen`` (an upheld appeal) staff's; ``complete`` and ``extra_round`` the engine's own, after reviews come in.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交，待形式审查")
    RETURNED = "returned", _("形式审查未通过，已退回")
    CHECKED = "checked", _("形式审查通过，待分配专家")
    UNDER_REVIEW = "under_review", _("专家评审中")
    REVIEWED = "reviewed", _("评审完成，待决定")
    ACCEPTED = "accepted", _("通过")
    REVISE = "revise", _("修改后重新提交")
    REJECTED = "rejected", _("不通过")


class Action(models.TextChoices):
    SUBMIT = "submit", _("提交")
    RETURN = "return", _("退回修改")
    CHECK = "check", _("形式审查通过")
    ASSIGN = "assign", _("分配专家")
    COMPLETE = "complete", _("评审完成")
    EXTRA_ROUND = "extra_round", _("增派专家")
    ACCEPT = "accept", _("通过")
    REVISE = "revise", _("修改后重新提交")
    REJECT = "reject", _("不通过")
    REOPEN = "reopen", _("申诉成立，重新决定")


TRANSITIONS: dict[str, dict[str, str]] = {
    Status.DRAFT: {Action.SUBMIT: Status.SUBMITTED},
    Status.RETURNED: {Action.SUBMIT: Status.SUBMITTED},
    Status.REVISE: {Action.SUBMIT: Status.SUBMITTED, Action.REOPEN: Status.REVIEWED},
    Status.SUBMITTED: {Action.RETURN: Status.RETURNED, Action.CHECK: Status.CHECKED},
    Status.CHECKED: {Action.ASSIGN: Status.UNDER_REVIEW},
    Status.UNDER_REVIEW: {Action.ASSIGN: Status.UNDER_REVIEW, Action.COMPLETE: Status.REVIEWED},
    Status.REVIEWED: {
        Action.ASSIGN: Status.UNDER_REVIEW,
        Action.EXTRA_ROUND: Status.UNDER_REVIEW,
        Action.ACCEPT: Status.ACCEPTED,
        Action.REVISE: Status.REVISE,
        Action.REJECT: Status.REJECTED,
    },
    Status.REJECTED: {Action.REOPEN: Status.REVIEWED},
}

DECISIONS: dict[str, str] = {Action.ACCEPT: "accept", Action.REVISE: "revise", Action.REJECT: "reject"}
DECIDED = frozenset({Status.ACCEPTED, Status.REVISE, Status.REJECTED})
# Decisions an applicant may appeal against (an accepted entry has nothing to appeal).
APPEALABLE = frozenset({Status.REVISE, Status.REJECTED})
# States in which the applicant may change fields, authors and attachments.
EDITABLE = frozenset({Status.DRAFT, Status.RETURNED, Status.REVISE})
# States in which an expert may be added to the submission.
ASSIGNABLE = frozenset({Status.CHECKED, Status.UNDER_REVIEW, Status.REVIEWED})


def next_status(status: str, action: str) -> str | None:
    """Where ``action`` leads from ``status``, or None when it is not allowed there."""
    return TRANSITIONS.get(status, {}).get(action)
