"""Every write of the review engine: applicants' submissions and attachments, format checks, assignment (manual
and automatic, refusing conflicts of interest), experts' scores, aggregation, decisions with 入库编号, appeals and
deadline reminders. Each step is audit-logged; people hear of what concerns them through notifications after
commit.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijiao.accounts.models import User
from zhijiao.core.actors import Actor, Origin, signed_in
from zhijiao.core.audit import audit_actions
from zhijiao.core.errors import DomainError, NotFound
from zhijiao.core.models import AuditLog
from zhijiao.core.services import audit_record
from zhijiao.core.uploads import MB, OFFICE_DOCUMENTS, VIDEO, check_upload, upload_limit
from zhijiao.notifications.services import notification_kinds, notify
from zhijiao.orgs.models import Organization

from . import conflicts, kinds, selectors, workflow
from .models import Appeal, Assignment, Attachment, Author, Call, Criterion, Review, Submission, role_label
from .workflow import Action, Status

NOTIFICATION_KINDS = notification_kinds({"reviews": gettext_lazy("专家评审")})

AUDIT_ACTIONS = audit_actions(
    {
        "reviews.submission.submit": gettext_lazy("提交评审申报"),
        "reviews.submission.check": gettext_lazy("申报形式审查通过"),
        "reviews.submission.return": gettext_lazy("申报形式审查退回"),
        "reviews.assignment.create": gettext_lazy("分配评审专家"),
        "reviews.assignment.auto": gettext_lazy("自动分配评审专家"),
        "reviews.assignment.recuse": gettext_lazy("评审专家回避"),
        "reviews.review.submit": gettext_lazy("提交专家评审意见"),
        "reviews.submission.aggregate": gettext_lazy("汇总专家评分"),
        "reviews.submission.decide": gettext_lazy("作出评审结论"),
        "reviews.appeal.file": gettext_lazy("提出评审申诉"),
        "reviews.appeal.decide": gettext_lazy("处理评审申诉"),
    }
)

MAX_ATTACHMENTS = 20
MAX_AUTHORS = 20
VIDEO_MAX_BYTES = 500 * MB
REMIND_DAYS_BEFORE = 3
# Below this many reviews a trimmed mean would drop half the opinions: it needs at least five.
TRIMMED_MEAN_MIN_REVIEWS = 5
HUNDRED = Decimal("100")
CENT = Decimal("0.01")


def _require_staff(actor: Actor) -> User:
    if not selectors.is_review_staff(actor):
        raise NotFound
    return actor


def _move(submission: Submission, action: str, *, fields: Iterable[str] = ()) -> str:
    """Move along :mod:`.workflow`'s table; the status before."""
    target = workflow.next_status(submission.status, action)
    if target is None:
        raise DomainError(
            "not_allowed",
            _("“%(status)s”状态的申报不能“%(action)s”")
            % {"status": submission.get_status_display(), "action": Action(action).label},
        )
    before = submission.status
    submission.status = target
    submission.save(update_fields=["status", "updated_at", *fields])
    return before


def _tell_applicant(submission: Submission, message: str) -> None:
    applicant, url = submission.applicant, submission.get_absolute_url()
    title = _("评审申报 %(number)s：%(status)s") % {
        "number": submission.number,
        "status": submission.get_status_display(),
    }
    transaction.on_commit(lambda: notify(user=applicant, title=title, body=message, url=url, kind="reviews"))


# --- Applicants -------------------------------------------------------------------------------------------------------


def _applicant_organization(applicant: User, call: Call, organization: Organization | None) -> Organization:
    """The organisation an applicant applies for: one where they are an active member, of a kind the call takes."""
    from zhijiao.orgs.selectors import memberships_of

    eligible = [
        membership.organization
        for membership in memberships_of(applicant)
        if not call.eligible_org_kinds or membership.organization.kind in call.eligible_org_kinds
    ]
    if organization is not None:
        eligible = [org for org in eligible if org.pk == organization.pk]
    if not eligible:
        raise DomainError(
            "not_eligible", _("这项征集只接受以下类型机构的成员申报：%(kinds)s") % {"kinds": _eligible_text(call)}
        )
    return eligible[0]


def _eligible_text(call: Call) -> str:
    labels = dict(Organization.Kind.choices)
    return _("、").join(str(labels.get(kind, kind)) for kind in call.eligible_org_kinds) or _("不限")


def _clean_authors(
    applicant: User, organization: Organization, authors: Sequence[Mapping[str, Any]] | None
) -> list[Author]:
    if not authors:
        return [Author(position=1, name=str(applicant)[:50], organization=organization, user=applicant)]
    if len(authors) > MAX_AUTHORS:
        raise ValidationError({"authors": [_("作者最多 %(n)s 位") % {"n": MAX_AUTHORS}]})
    org_ids = {int(a["organization_id"]) for a in authors if a.get("organization_id")}
    found = Organization.objects.in_bulk(list(org_ids))
    result = []
    for position, author in enumerate(authors, start=1):
        name = str(author.get("name") or "").strip()
        if not name or len(name) > 50:
            raise ValidationError({"authors": [_("第 %(n)s 位作者的姓名须为 1–50 个字") % {"n": position}]})
        org_id = author.get("organization_id")
        if org_id and int(org_id) not in found:
            raise ValidationError({"authors": [_("第 %(n)s 位作者的单位不存在") % {"n": position}]})
        user = applicant if position == 1 and name == str(applicant) else None
        result.append(
            Author(position=position, name=name, organization=found.get(int(org_id)) if org_id else None, user=user)
        )
    return result


def _clean_fields(title: str, abstract: str, field_code: str) -> None:
    errors = {}
    if not title.strip() or len(title) > 200:
        errors["title"] = [_("题目须为 1–200 个字")]
    if len(abstract) > 5000:
        errors["abstract"] = [_("摘要最多 5000 字")]
    if field_code and field_code not in selectors.FIELD_NAMES:
        errors["field"] = [_("请选择一级学科")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def submission_create(
    *,
    applicant: Actor,
    call: Call,
    title: str,
    abstract: str = "",
    field: str = "",
    metadata: dict[str, Any] | None = None,
    authors: Sequence[Mapping[str, Any]] | None = None,
    organization: Organization | None = None,
) -> Submission:
    """An applicant starts a draft entry to an open call, for an organisation they belong to."""
    if not signed_in(applicant):
        raise NotFound
    if not call.is_open():
        raise DomainError("call_closed", _("这项征集不在申报时间内"))
    org = _applicant_organization(applicant, call, organization)
    _clean_fields(title, abstract, field)
    submission = Submission(
        call=call,
        applicant=applicant,
        organization=org,
        title=title.strip(),
        abstract=abstract.strip(),
        field=field,
        metadata=metadata if isinstance(metadata, dict) else {},
    )
    submission.full_clean(exclude=["call", "applicant", "organization"])
    submission.save()
    for author in _clean_authors(applicant, org, authors):
        author.submission = submission
        author.save()
    return submission


def _editable(actor: Actor, submission: Submission) -> tuple[User, Submission]:
    if not signed_in(actor):
        raise NotFound
    locked = Submission.objects.select_for_update().select_related("call").filter(pk=submission.pk).first()
    if locked is None or locked.applicant_id != actor.pk:
        raise NotFound
    if locked.status not in workflow.EDITABLE:
        raise DomainError("not_editable", _("申报已提交，当前状态不能修改"))
    return actor, locked


@transaction.atomic
def submission_update(
    *,
    applicant: Actor,
    submission: Submission,
    title: str | None = None,
    abstract: str | None = None,
    field: str | None = None,
    metadata: dict[str, Any] | None = None,
    authors: Sequence[Mapping[str, Any]] | None = None,
) -> Submission:
    """The applicant changes a draft (or an entry returned to them, or to be revised)."""
    user, submission = _editable(applicant, submission)
    if title is not None:
        submission.title = title.strip()
    if abstract is not None:
        submission.abstract = abstract.strip()
    if field is not None:
        submission.field = field
    if metadata is not None:
        submission.metadata = metadata
    _clean_fields(submission.title, submission.abstract, submission.field)
    submission.save()
    if authors is not None:
        made = _clean_authors(user, submission.organization, authors)
        submission.authors.all().delete()
        for author in made:
            author.submission = submission
            author.save()
    return submission


@transaction.atomic
def attachment_add(*, applicant: Actor, submission: Submission, role: str, upload: UploadedFile) -> Attachment:
    """The applicant attaches a file in a role the call asks for (documents as PDF or Office files, videos as MP4
    or WebM, each checked by its content and size)."""
    _user, submission = _editable(applicant, submission)
    allowed_roles = set(submission.call.required_roles) | {"other"}
    if role not in allowed_roles:
        raise ValidationError({"role": [_("这项征集不需要这类材料")]})
    if role == "video":
        fmt = check_upload(upload, allowed=VIDEO, max_bytes=VIDEO_MAX_BYTES, field="file")
    else:
        fmt = check_upload(upload, allowed=OFFICE_DOCUMENTS, max_bytes=upload_limit(), field="file")
    if submission.attachments.count() >= MAX_ATTACHMENTS:
        raise DomainError("too_many_attachments", _("每件申报最多上传 %(n)s 个文件") % {"n": MAX_ATTACHMENTS})
    attachment = Attachment(
        submission=submission,
        role=role,
        original_name=(upload.name or "file")[-200:],
        content_type=fmt.mime,
        size=upload.size or 0,
    )
    attachment.file.save(upload.name or "file", upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_remove(*, applicant: Actor, submission: Submission, attachment_id: int) -> None:
    """The applicant takes a file back while the entry is still theirs to change."""
    _user, submission = _editable(applicant, submission)
    attachment = submission.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound
    stored, storage = str(attachment.file.name), attachment.file.storage
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(stored))


def missing_roles(submission: Submission) -> list[str]:
    present = set(submission.attachments.values_list("role", flat=True))
    return [role_label(role) for role in submission.call.required_roles if role not in present]


@transaction.atomic
def submission_submit(*, applicant: Actor, submission: Submission, origin: Origin | None = None) -> Submission:
    """The applicant sends the entry: its metadata must pass the kind's form and every required file be there. A
    revised entry comes back in the next round, until the review deadline."""
    user, submission = _editable(applicant, submission)
    call = submission.call
    today = timezone.localdate()
    if submission.status == Status.REVISE:
        if today > call.review_deadline:
            raise DomainError("call_closed", _("已过评审截止日期，不能再提交修改稿"))
    elif not call.is_open(on=today):
        raise DomainError("call_closed", _("这项征集不在申报时间内"))
    errors: dict[str, list[str]] = {}
    kind = kinds.get(call.kind)
    if kind.metadata_form is not None:
        form = kind.metadata_form(data=submission.metadata or {})
        if not form.is_valid():
            errors.update({name: [str(m) for m in messages] for name, messages in form.errors.items()})
        else:
            submission.metadata = {name: value for name, value in form.cleaned_data.items() if value not in (None, "")}
    missing = missing_roles(submission)
    if missing:
        errors["attachments"] = [_("请上传：%(names)s") % {"names": _("、").join(missing)}]
    if not submission.abstract:
        errors["abstract"] = [_("请填写摘要")]
    if errors:
        raise ValidationError(errors)
    fields = ["metadata", "submitted_at", "return_reason"]
    if submission.status == Status.REVISE:
        submission.round += 1
        submission.decision, submission.decision_reason, submission.decided_at, submission.decided_by = (
            "",
            "",
            None,
            None,
        )
        submission.score = submission.score_spread = None
        submission.flagged = False
        fields += [
            "round",
            "decision",
            "decision_reason",
            "decided_at",
            "decided_by",
            "score",
            "score_spread",
            "flagged",
        ]
    submission.submitted_at = timezone.now()
    submission.return_reason = ""
    before = _move(submission, Action.SUBMIT, fields=fields)
    audit_record(
        action="reviews.submission.submit",
        actor=user,
        obj=submission,
        detail={"from": before, "round": submission.round},
        origin=origin,
    )
    return submission


# --- Format check -----------------------------------------------------------------------------------------------------


@transaction.atomic
def submission_check(
    *, actor: Actor, submission: Submission, passed: bool, reason: str = "", origin: Origin | None = None
) -> Submission:
    """Staff's format check (形式审查): pass it on to assignment, or return it to the applicant with the reason."""
    staff = _require_staff(actor)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    reason = (reason or "").strip()
    if not passed and not reason:
        raise ValidationError({"reason": [_("请写明退回的理由")]})
    if len(reason) > 1000:
        raise ValidationError({"reason": [_("理由最多 1000 字")]})
    fields = []
    if not passed:
        submission.return_reason = reason
        fields.append("return_reason")
    before = _move(submission, Action.CHECK if passed else Action.RETURN, fields=fields)
    audit_record(
        action="reviews.submission.check" if passed else "reviews.submission.return",
        actor=staff,
        obj=submission,
        detail={"from": before, "reason": reason},
        origin=origin,
    )
    if not passed:
        _tell_applicant(submission, _("形式审查未通过：%(reason)s 请修改后重新提交。") % {"reason": reason})
    return submission


# --- Assignment -------------------------------------------------------------------------------------------------------


def _due(call: Call) -> date:
    return max(call.review_deadline, timezone.localdate())


def _tell_experts(counts: Mapping[int, int]) -> None:
    if not counts:
        return
    experts = User.objects.in_bulk(list(counts))

    def send() -> None:
        for expert_id, n in counts.items():
            expert = experts.get(expert_id)
            if expert is not None:
                notify(
                    user=expert,
                    title=_("您有 %(n)s 件新的评审任务") % {"n": n},
                    body=_("请在评审截止日期前完成评分。"),
                    url=reverse("reviews:queue"),
                    kind="reviews",
                )

    transaction.on_commit(send)


def assignment_create(
    *, actor: Actor, submission: Submission, expert: User, origin: Origin | None = None
) -> Assignment:
    """Staff assign one expert by hand; a conflict of interest is refused, nothing is assigned, and the refusal is
    audit-logged."""
    staff = _require_staff(actor)
    if not selectors.is_expert(expert):
        raise ValidationError({"expert": [_("所选用户不在评审专家库中")]})
    reason = selectors.conflict_of(expert, submission)
    if reason is not None:
        audit_record(
            action="reviews.assignment.create",
            actor=staff,
            obj=submission,
            result=AuditLog.Result.FAILURE,
            detail={"expert_id": expert.pk, "conflict": reason},
            origin=origin,
        )
        raise DomainError(
            "conflict_of_interest",
            _("不能分配：%(reason)s") % {"reason": conflicts.reason_label(reason)},
            fields={"expert": [str(conflicts.reason_label(reason))]},
        )
    return _assignment_save(staff, submission, expert, origin)


@transaction.atomic
def _assignment_save(staff: User, submission: Submission, expert: User, origin: Origin | None) -> Assignment:
    submission = Submission.objects.select_for_update().select_related("call").get(pk=submission.pk)
    if submission.status not in workflow.ASSIGNABLE:
        raise DomainError(
            "not_allowed", _("“%(status)s”状态的申报不能分配专家") % {"status": submission.get_status_display()}
        )
    if submission.assignments.filter(expert=expert).exists():
        raise DomainError("already_assigned", _("这位专家已分配到这件申报"))
    assignment = Assignment(
        submission=submission, expert=expert, round=submission.round, due_on=_due(submission.call), assigned_by=staff
    )
    assignment.save()
    _move(submission, Action.ASSIGN)
    audit_record(
        action="reviews.assignment.create",
        actor=staff,
        obj=submission,
        detail={"expert_id": expert.pk, "round": submission.round},
        origin=origin,
    )
    _tell_experts({expert.pk: 1})
    return assignment


@dataclass
class AutoAssignment:
    """What an automatic assignment did, in figures staff read."""

    assigned: int = 0
    submissions: int = 0
    short: dict[int, int] = field(default_factory=dict)
    out_of_field: int = 0
    loads: dict[int, int] = field(default_factory=dict)


@transaction.atomic
def assignments_auto(*, actor: Actor, call: Call, origin: Origin | None = None) -> AutoAssignment:
    """Staff let the engine give every format-checked (or under-staffed) submission of a call the experts it still
    needs: by field, balanced by load, never with a conflict of interest (see :mod:`.conflicts`)."""
    staff = _require_staff(actor)
    call = Call.objects.select_for_update().get(pk=call.pk)
    submissions = list(
        Submission.objects.select_for_update()
        .filter(call=call, status__in=[Status.CHECKED, Status.UNDER_REVIEW])
        .order_by("id")
    )
    for submission in submissions:
        submission.call = call
    infos = selectors.submission_infos(submissions)
    pool = selectors.expert_infos()
    outcome = conflicts.auto_assign(infos.values(), pool.values())
    by_id = {submission.pk: submission for submission in submissions}
    due = _due(call)
    Assignment.objects.bulk_create(
        [
            Assignment(
                submission_id=sid,
                expert_id=eid,
                round=by_id[sid].round,
                due_on=due,
                automatic=True,
                assigned_by=staff,
            )
            for sid, eid in outcome.pairs
        ],
        batch_size=1000,
    )
    moved = {sid for sid, _eid in outcome.pairs if by_id[sid].status == Status.CHECKED}
    if moved:
        Submission.objects.filter(pk__in=moved).update(status=Status.UNDER_REVIEW, updated_at=timezone.now())
    per_expert: dict[int, int] = defaultdict(int)
    for _sid, eid in outcome.pairs:
        per_expert[eid] += 1
    result = AutoAssignment(
        assigned=len(outcome.pairs),
        submissions=len({sid for sid, _eid in outcome.pairs}),
        short=outcome.short,
        out_of_field=outcome.out_of_field,
        loads=outcome.loads,
    )
    audit_record(
        action="reviews.assignment.auto",
        actor=staff,
        obj=call,
        detail={
            "assigned": result.assigned,
            "submissions": result.submissions,
            "short": len(result.short),
            "out_of_field": result.out_of_field,
        },
        origin=origin,
    )
    _tell_experts(per_expert)
    return result


def _add_one_expert(submission: Submission, *, exclude: Iterable[int] = ()) -> Assignment | None:
    """The engine adds one more expert (the best eligible one) to a submission; None when nobody is left."""
    info = selectors.submission_infos([submission], reviewers=0)[submission.pk]
    info.assigned |= set(exclude)
    info.needed = 1
    outcome = conflicts.auto_assign([info], selectors.expert_infos().values())
    if not outcome.pairs:
        return None
    _sid, expert_id = outcome.pairs[0]
    assignment = Assignment.objects.create(
        submission=submission,
        expert_id=expert_id,
        round=submission.round,
        due_on=_due(submission.call),
        automatic=True,
    )
    _tell_experts({expert_id: 1})
    return assignment


@transaction.atomic
def assignment_recuse(
    *, expert: Actor, assignment: Assignment, reason: str, origin: Origin | None = None
) -> Assignment:
    """An expert declares a conflict of interest with an assignment (回避): it leaves their queue, the conflict is
    recorded, and the engine asks another expert in their place."""
    if not signed_in(expert):
        raise NotFound
    locked = Assignment.objects.select_for_update().select_related("submission__call").filter(pk=assignment.pk).first()
    if locked is None or locked.expert_id != expert.pk:
        raise NotFound
    assignment = locked
    if assignment.state != Assignment.State.ASSIGNED:
        raise DomainError("already_reviewed", _("这项评审已完成，不能回避"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请写明回避的原因")]})
    assignment.state = Assignment.State.RECUSED
    assignment.recuse_reason = reason[:200]
    assignment.save(update_fields=["state", "recuse_reason", "updated_at"])
    submission = Submission.objects.select_for_update().select_related("call").get(pk=assignment.submission_id)
    replacement = _add_one_expert(submission)
    audit_record(
        action="reviews.assignment.recuse",
        actor=expert,
        obj=submission,
        detail={
            "assignment_id": assignment.pk,
            "reason": assignment.recuse_reason,
            "replacement_expert_id": replacement.expert_id if replacement else None,
        },
        origin=origin,
    )
    _complete_if_done(submission)
    return assignment


# --- Reviews ----------------------------------------------------------------------------------------------------------


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def clean_scores(criteria: list[Criterion], scores: Mapping[str, Any]) -> dict[str, Decimal]:
    """Each criterion's score, from 0 to its maximum with at most one decimal; every error named by criterion."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Decimal] = {}
    for criterion in criteria:
        key = str(criterion.pk)
        raw = scores.get(key, scores.get(criterion.pk, ""))  # type: ignore[call-overload]
        number = _decimal(raw)
        if raw in ("", None):
            errors[f"score_{key}"] = [_("请为“%(name)s”打分") % {"name": criterion.name}]
        elif number is None:
            errors[f"score_{key}"] = [_("“%(name)s”的得分须为数字，最多一位小数") % {"name": criterion.name}]
        elif not Decimal(0) <= number <= criterion.max_score:
            errors[f"score_{key}"] = [
                _("“%(name)s”的得分须在 0 到 %(max)s 之间") % {"name": criterion.name, "max": criterion.max_score}
            ]
        elif number != number.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP):  # in range: quantize cannot overflow
            errors[f"score_{key}"] = [_("“%(name)s”的得分须为数字，最多一位小数") % {"name": criterion.name}]
        else:
            cleaned[key] = number
    unknown = {str(k) for k in scores} - {str(c.pk) for c in criteria}
    if unknown:
        errors["scores"] = [_("评分表中没有这些指标：%(ids)s") % {"ids": "、".join(sorted(unknown))}]
    if errors:
        raise ValidationError(errors)
    return cleaned


def weighted_total(criteria: list[Criterion], scores: Mapping[str, Decimal]) -> Decimal:
    """Σ (score ÷ max × weight) ÷ Σ weight × 100: the total on a 100-point scale, to the cent."""
    weights = sum((criterion.weight for criterion in criteria), Decimal(0))
    if not weights:
        return Decimal(0)
    raw = sum((scores[str(c.pk)] / Decimal(c.max_score) * c.weight for c in criteria), Decimal(0)) / weights * HUNDRED
    return raw.quantize(CENT, rounding=ROUND_HALF_UP)


def aggregate(totals: list[Decimal], rule: str) -> Decimal:
    """The combined score: the mean, or with enough reviews the mean without the highest and the lowest."""
    values = sorted(totals)
    if rule == Call.Aggregation.TRIMMED_MEAN and len(values) >= TRIMMED_MEAN_MIN_REVIEWS:
        values = values[1:-1]
    return (sum(values, Decimal(0)) / len(values)).quantize(CENT, rounding=ROUND_HALF_UP)


@transaction.atomic
def review_submit(
    *,
    expert: Actor,
    assignment: Assignment,
    scores: Mapping[str, Any],
    comment: str,
    confidential_comment: str = "",
    origin: Origin | None = None,
) -> Review:
    """An expert scores an assigned submission against the rubric, with comments; final once sent."""
    if not signed_in(expert):
        raise NotFound
    locked = Assignment.objects.select_for_update().select_related("submission__call").filter(pk=assignment.pk).first()
    if locked is None or locked.expert_id != expert.pk or locked.state == Assignment.State.RECUSED:
        raise NotFound
    assignment = locked
    if assignment.state == Assignment.State.SUBMITTED:
        raise DomainError("already_reviewed", _("您已提交过这件申报的评审意见"))
    submission = Submission.objects.select_for_update().select_related("call").get(pk=assignment.submission_id)
    if submission.status != Status.UNDER_REVIEW or assignment.round != submission.round:
        raise DomainError("not_under_review", _("这件申报当前不在评审中"))
    reason = selectors.conflict_of(expert, submission)
    if reason is not None:
        raise DomainError(
            "conflict_of_interest",
            _("您与这件申报存在利益冲突（%(reason)s），不能评审；请选择回避")
            % {"reason": conflicts.reason_label(reason)},
        )
    comment = (comment or "").strip()
    errors: dict[str, list[str]] = {}
    if len(comment) < 10:
        errors["comment"] = [_("评审意见至少 10 个字")]
    elif len(comment) > 3000:
        errors["comment"] = [_("评审意见最多 3000 字")]
    if len(confidential_comment or "") > 2000:
        errors["confidential_comment"] = [_("最多 2000 字")]
    criteria = list(submission.call.criteria.all())
    try:
        cleaned = clean_scores(criteria, scores)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    review = Review(
        assignment=assignment,
        scores={key: str(value) for key, value in cleaned.items()},
        total=weighted_total(criteria, cleaned),
        comment=comment,
        confidential_comment=(confidential_comment or "").strip(),
    )
    review.save()
    assignment.state = Assignment.State.SUBMITTED
    assignment.save(update_fields=["state", "updated_at"])
    audit_record(
        action="reviews.review.submit",
        actor=expert,
        obj=submission,
        detail={"assignment_id": assignment.pk, "total": str(review.total)},
        origin=origin,
    )
    _complete_if_done(submission)
    return review


def _complete_if_done(submission: Submission) -> None:
    """When every expert of the round has scored: combine the scores; a spread above the call's threshold is
    flagged and, the first time, one more expert is asked (the round stays open until they score)."""
    if submission.status != Status.UNDER_REVIEW:
        return
    current = submission.assignments.filter(round=submission.round).exclude(state=Assignment.State.RECUSED)
    if not current.exists() or current.filter(state=Assignment.State.ASSIGNED).exists():
        return
    totals = list(Review.objects.filter(assignment__in=current).values_list("total", flat=True))
    call = submission.call
    submission.score = aggregate(totals, call.aggregation)
    submission.score_spread = max(totals) - min(totals)
    disagree = submission.score_spread > call.disagreement_threshold
    extra = None
    if disagree and not submission.flagged:
        submission.flagged = True
        extra = _add_one_expert(submission)
    elif disagree:
        submission.flagged = True
    _move(submission, Action.COMPLETE, fields=["score", "score_spread", "flagged"])
    if extra is not None:
        _move(submission, Action.EXTRA_ROUND)
    audit_record(
        action="reviews.submission.aggregate",
        obj=submission,
        detail={
            "score": str(submission.score),
            "spread": str(submission.score_spread),
            "reviews": len(totals),
            "flagged": submission.flagged,
            "extra_expert_id": extra.expert_id if extra else None,
        },
    )


# --- Decisions and appeals --------------------------------------------------------------------------------------------


_NUMBER = re.compile(r"-(\d+)$")


def _next_accession(prefix: str, year: int) -> str:
    stem = f"{prefix}-{year}-"
    taken = Submission.objects.filter(accession_no__startswith=stem).values_list("accession_no", flat=True)
    highest = max((int(m.group(1)) for no in taken if no and (m := _NUMBER.search(no))), default=0)
    return f"{stem}{highest + 1:04d}"


@transaction.atomic
def submission_decide(
    *, actor: Actor, submission: Submission, decision: str, reason: str = "", origin: Origin | None = None
) -> Submission:
    """Staff decide a reviewed submission: accept (with its 入库编号, and the kind's acceptance work), ask for a
    revision, or reject — the last two with reasons the applicant reads."""
    staff = _require_staff(actor)
    submission = Submission.objects.select_for_update().select_related("call", "applicant").get(pk=submission.pk)
    if decision not in workflow.DECISIONS:
        raise ValidationError({"decision": [_("请选择评审结论")]})
    reason = (reason or "").strip()
    if decision != Action.ACCEPT and not reason:
        raise ValidationError({"reason": [_("请写明理由")]})
    if len(reason) > 2000:
        raise ValidationError({"reason": [_("理由最多 2000 字")]})
    if workflow.next_status(submission.status, decision) is None:
        raise DomainError(
            "not_allowed", _("“%(status)s”状态的申报不能作出结论") % {"status": submission.get_status_display()}
        )
    submission.decision = workflow.DECISIONS[Action(decision)]
    submission.decision_reason = reason
    submission.decided_at = timezone.now()
    submission.decided_by = staff
    fields = ["decision", "decision_reason", "decided_at", "decided_by"]
    if decision == Action.ACCEPT and not submission.accession_no:
        kind = kinds.get(submission.call.kind)
        submission.accession_no = _next_accession(kind.accession_prefix, timezone.localdate().year)
        fields.append("accession_no")
    before = _move(submission, decision, fields=fields)
    if decision == Action.ACCEPT:
        kind = kinds.get(submission.call.kind)
        if kind.on_accept is not None:
            kind.on_accept(submission=submission, accession_no=submission.accession_no)
    audit_record(
        action="reviews.submission.decide",
        actor=staff,
        obj=submission,
        detail={"from": before, "decision": decision, "reason": reason, "accession_no": submission.accession_no},
        origin=origin,
    )
    message = {
        Action.ACCEPT: _("您的申报已通过评审，入库编号 %(no)s。") % {"no": submission.accession_no},
        Action.REVISE: _("请根据评审意见修改后重新提交：%(reason)s") % {"reason": reason},
        Action.REJECT: _("您的申报未通过评审：%(reason)s") % {"reason": reason},
    }[Action(decision)]
    _tell_applicant(submission, message)
    return submission


@transaction.atomic
def appeal_file(*, applicant: Actor, submission: Submission, reason: str, origin: Origin | None = None) -> Appeal:
    """The applicant appeals a decision (revise or reject) before the call's appeal deadline."""
    if not signed_in(applicant):
        raise NotFound
    locked = Submission.objects.select_for_update().select_related("call").filter(pk=submission.pk).first()
    if locked is None or locked.applicant_id != applicant.pk:
        raise NotFound
    submission = locked
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ValidationError({"reason": [_("请写明申诉理由（至少 10 个字）")]})
    if len(reason) > 2000:
        raise ValidationError({"reason": [_("申诉理由最多 2000 字")]})
    if submission.status not in workflow.APPEALABLE:
        raise DomainError("not_appealable", _("只能对“不通过”或“修改后重新提交”的结论提出申诉"))
    deadline = submission.call.appeal_deadline
    if deadline is None or timezone.localdate() > deadline:
        raise DomainError("appeal_closed", _("已过申诉期限"))
    if submission.appeals.filter(state=Appeal.State.PENDING).exists():
        raise DomainError("appeal_pending", _("已有一件申诉正在处理"))
    appeal = Appeal(submission=submission, reason=reason)
    appeal.save()
    audit_record(
        action="reviews.appeal.file", actor=applicant, obj=submission, detail={"appeal_id": appeal.pk}, origin=origin
    )
    return appeal


@transaction.atomic
def appeal_decide(*, actor: Actor, appeal: Appeal, uphold: bool, response: str, origin: Origin | None = None) -> Appeal:
    """Staff answer an appeal: dismissed, the decision stands; upheld, the submission goes back for a new decision."""
    staff = _require_staff(actor)
    locked = Appeal.objects.select_for_update().filter(pk=appeal.pk).first()
    if locked is None:
        raise NotFound
    appeal = locked
    if appeal.state != Appeal.State.PENDING:
        raise DomainError("appeal_decided", _("这件申诉已经处理"))
    response = (response or "").strip()
    if not response:
        raise ValidationError({"response": [_("请写明处理意见")]})
    submission = Submission.objects.select_for_update().select_related("call", "applicant").get(pk=appeal.submission_id)
    appeal.state = Appeal.State.UPHELD if uphold else Appeal.State.DISMISSED
    appeal.response = response[:2000]
    appeal.decided_by = staff
    appeal.decided_at = timezone.now()
    appeal.save()
    if uphold:
        submission.decision, submission.decision_reason, submission.decided_at = "", "", None
        _move(submission, Action.REOPEN, fields=["decision", "decision_reason", "decided_at"])
    audit_record(
        action="reviews.appeal.decide",
        actor=staff,
        obj=submission,
        detail={"appeal_id": appeal.pk, "upheld": uphold, "response": appeal.response},
        origin=origin,
    )
    _tell_applicant(
        submission,
        _("申诉处理结果：%(state)s。%(response)s") % {"state": appeal.get_state_display(), "response": appeal.response},
    )
    return appeal


# --- Reminders --------------------------------------------------------------------------------------------------------


def reminders_send_due(*, today: date | None = None) -> int:
    """Remind each expert (once a day) of their assignments due within three days; how many experts were reminded."""
    today = today or timezone.localdate()
    now = timezone.now()
    start_of_day = timezone.make_aware(datetime.combine(today, time.min))
    due = selectors.assignments_due(until=today + timedelta(days=REMIND_DAYS_BEFORE)).exclude(
        reminded_at__gte=start_of_day
    )
    by_expert: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in due:
        by_expert[assignment.expert_id].append(assignment)
    for items in by_expert.values():
        with transaction.atomic():
            first = min(item.due_on for item in items)
            notify(
                user=items[0].expert,
                title=_("评审提醒：%(n)s 件评审任务即将到期") % {"n": len(items)},
                body=_("最早一件的截止日期是 %(date)s，请及时完成评分。") % {"date": first.isoformat()},
                url=reverse("reviews:queue"),
                kind="reviews",
            )
            Assignment.objects.filter(pk__in=[item.pk for item in items]).update(reminded_at=now)
    return len(by_expert)
