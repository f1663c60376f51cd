"""Reads of the review engine and its access checks, each question answered by one function.

``access_<entity>`` answers "not found" for both missing and forbidden. What an expert sees of a submission is
:class:`BlindSubmission`: its number, title, abstract, field, metadata and attachments under neutral names —
never the applicant, the authors, their organisations or the attachments' original names. An applicant sees the
experts' comments (never their names or scores per expert) only once the decision is made.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from zhijiao.accounts.models import User
from zhijiao.core.actors import Actor, signed_in
from zhijiao.core.errors import NotFound
from zhijiao.orgs.disciplines import FIRST_LEVEL
from zhijiao.orgs.models import Membership, Role
from zhijiao.orgs.selectors import has_role, is_platform_admin

from . import kinds, workflow
from .conflicts import ExpertInfo, SubmissionInfo, conflict
from .models import Appeal, Assignment, Attachment, Author, Call, DeclaredConflict, ExpertProfile, Review, Submission
from .workflow import Status

FIELD_NAMES: dict[str, str] = dict(FIRST_LEVEL)


def field_label(code: str) -> str:
    return f"{code} {FIELD_NAMES[code]}" if code in FIELD_NAMES else code


def field_choices() -> list[tuple[str, str]]:
    """(code, "code name") of every 一级学科, for a field select."""
    return [(code, f"{code} {name}") for code, name in FIRST_LEVEL]


def metadata_form_of(call: Call) -> type[Any] | None:
    """The form of a call's kind for a submission's metadata (None when the kind needs none or is gone)."""
    try:
        return kinds.get(call.kind).metadata_form
    except LookupError:
        return None


def authors_with_applicant(applicant: User, rows: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """The applicant first, then co-authors by name, each with the organisation whose full name was given; an
    organisation nobody knows is a ``ValidationError`` naming the line."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from zhijiao.orgs.models import Organization

    names = {name for _n, name in rows if name}
    found = {o.name: o.pk for o in Organization.objects.filter(name__in=names, is_active=True)}
    authors: list[dict[str, Any]] = [{"name": str(applicant)}]
    for line, (name, organization) in enumerate(rows, start=1):
        if organization and organization not in found:
            raise ValidationError(
                {"coauthors": [_("第 %(n)s 行：找不到单位“%(org)s”") % {"n": line, "org": organization}]}
            )
        authors.append({"name": name, "organization_id": found.get(organization)})
    return authors


def is_review_staff(user: Actor | None) -> TypeGuard[User]:
    """Who runs calls, format checks, assignment, decisions and appeals: platform admins (and superusers)."""
    return is_platform_admin(user)


def is_expert(user: Actor | None) -> TypeGuard[User]:
    """A member of the expert pool (the 评审专家 role in some organisation)."""
    return signed_in(user) and has_role(user, Role.EXPERT)


# --- Calls ------------------------------------------------------------------------------------------------------------


def calls_public() -> QuerySet[Call]:
    """Published calls, newest first, with their counts of submissions sent."""
    return Call.objects.filter(is_published=True).order_by("-opens_on", "-id")


def access_call(*, call_id: int) -> Call:
    call = Call.objects.filter(pk=call_id, is_published=True).prefetch_related("criteria").first()
    if call is None:
        raise NotFound
    return call


def notice_list(call: Call) -> list[Submission]:
    """The 公示 list of a call: accepted entries by 入库编号, with authors and organisations (public by design),
    from the first day of the notice period on; nothing before it."""
    if not call.notice_starts_on or timezone.localdate() < call.notice_starts_on:
        return []
    return list(
        call.submissions.filter(status=Status.ACCEPTED)
        .select_related("organization")
        .prefetch_related(Prefetch("authors", queryset=Author.objects.select_related("organization")))
        .order_by("accession_no")
    )


# --- Applicants -------------------------------------------------------------------------------------------------------


def submissions_of(user: Actor) -> QuerySet[Submission]:
    """A person's own submissions, newest first."""
    if not signed_in(user):
        return Submission.objects.none()
    return Submission.objects.filter(applicant=user).select_related("call").order_by("-created_at", "-id")


def access_own_submission(*, actor: Actor, submission_id: int) -> Submission:
    """A submission its applicant reads or changes; anyone else's is "not found"."""
    if not signed_in(actor):
        raise NotFound
    submission = (
        Submission.objects.select_related("call", "organization")
        .prefetch_related("attachments", Prefetch("authors", queryset=Author.objects.select_related("organization")))
        .filter(pk=submission_id, applicant=actor)
        .first()
    )
    if submission is None:
        raise NotFound
    return submission


@dataclass(frozen=True)
class ApplicantReview:
    """What an applicant reads of one review after the decision: the comment, and no name."""

    number: int
    comment: str


def reviews_for_applicant(submission: Submission) -> list[ApplicantReview]:
    """The experts' comments, numbered, once a decision is made; before it, nothing at all."""
    if submission.status not in workflow.DECIDED:
        return []
    reviews = Review.objects.filter(assignment__submission=submission).order_by("assignment__round", "assignment_id")
    return [ApplicantReview(number=n, comment=review.comment) for n, review in enumerate(reviews, start=1)]


def appeals_of(submission: Submission) -> list[Appeal]:
    return list(submission.appeals.order_by("-created_at", "-id"))


def can_appeal(submission: Submission, *, on: Any = None) -> bool:
    """Within the call's appeal window, against a decision that can be appealed, with no appeal pending."""
    today = on or timezone.localdate()
    call = submission.call
    return (
        submission.status in workflow.APPEALABLE
        and call.appeal_deadline is not None
        and today <= call.appeal_deadline
        and not submission.appeals.filter(state=Appeal.State.PENDING).exists()
    )


# --- Experts ----------------------------------------------------------------------------------------------------------


def expert_queue(expert: Actor) -> QuerySet[Assignment]:
    """An expert's assignments: waiting ones first by deadline, then the reviewed ones, newest first."""
    if not signed_in(expert):
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(expert=expert)
        .exclude(state=Assignment.State.RECUSED)
        .select_related("submission__call")
        .order_by("state", "due_on", "id")  # "assigned" sorts before "submitted": waiting first
    )


def access_assignment(*, actor: Actor, assignment_id: int) -> Assignment:
    """An assignment for its own expert only (staff and everyone else: not found)."""
    if not signed_in(actor):
        raise NotFound
    assignment = (
        Assignment.objects.select_related("submission__call")
        .filter(pk=assignment_id, expert=actor)
        .exclude(state=Assignment.State.RECUSED)
        .first()
    )
    if assignment is None:
        raise NotFound
    return assignment


@dataclass(frozen=True)
class BlindAttachment:
    id: int
    role: str
    role_label: str
    name: str
    content_type: str
    size: int


@dataclass(frozen=True)
class BlindSubmission:
    """A submission as an expert sees it: nothing that names who wrote it or where they work."""

    number: str
    call_title: str
    kind_label: str
    title: str
    abstract: str
    field: str
    metadata: list[tuple[str, str]]
    attachments: list[BlindAttachment]
    round: int


def metadata_display(kind_code: str, metadata: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) of a submission's metadata in its kind's form order; keys the form does not know are left
    out (they may name people)."""
    try:
        form_class = kinds.get(kind_code).metadata_form
    except LookupError:
        return []
    if form_class is None:
        return []
    rows = []
    for name, form_field in form_class.base_fields.items():
        value = metadata.get(name)
        if value in (None, "", []):
            continue
        shown = "、".join(str(item) for item in value) if isinstance(value, list) else str(value)
        rows.append((str(form_field.label or name), shown))
    return rows


def blind_submission(submission: Submission) -> BlindSubmission:
    return BlindSubmission(
        number=submission.number,
        call_title=submission.call.title,
        kind_label=submission.call.kind_label,
        title=submission.title,
        abstract=submission.abstract,
        field=field_label(submission.field),
        metadata=metadata_display(submission.call.kind, submission.metadata or {}),
        attachments=[
            BlindAttachment(
                id=attachment.pk,
                role=attachment.role,
                role_label=attachment.role_label,
                name=attachment.blind_name,
                content_type=attachment.content_type,
                size=attachment.size,
            )
            for attachment in submission.attachments.all()
        ],
        round=submission.round,
    )


def access_blind_attachment(*, actor: Actor, assignment_id: int, attachment_id: int) -> Attachment:
    """A file of a submission assigned to this expert (and not recused)."""
    assignment = access_assignment(actor=actor, assignment_id=assignment_id)
    attachment = Attachment.objects.filter(pk=attachment_id, submission_id=assignment.submission_id).first()
    if attachment is None:
        raise NotFound
    return attachment


def review_of(assignment: Assignment) -> Review | None:
    return Review.objects.filter(assignment=assignment).first()


# --- Conflicts of interest --------------------------------------------------------------------------------------------


def _people(authors: Iterable[Author]) -> tuple[set[int], set[str], set[int]]:
    user_ids, names, org_ids = set(), set(), set()
    for author in authors:
        if author.user_id:
            user_ids.add(author.user_id)
        names.add(author.name.strip())
        if author.organization_id:
            org_ids.add(author.organization_id)
    return user_ids, names, org_ids


def expert_infos(expert_ids: Iterable[int] | None = None) -> dict[int, ExpertInfo]:
    """The expert pool (or the given experts) with everything the conflict rules and load balancing read, in a
    fixed number of queries whatever its size."""
    memberships = Membership.objects.filter(is_active=True, organization__is_active=True)
    if expert_ids is None:
        ids = set(memberships.filter(role=Role.EXPERT).values_list("user_id", flat=True))
        unavailable = set(ExpertProfile.objects.filter(is_available=False).values_list("user_id", flat=True))
        ids -= unavailable
    else:
        ids = set(expert_ids)
    infos = {user_id: ExpertInfo(user_id=user_id) for user_id in ids}
    for user_id, org_id in memberships.filter(user_id__in=ids).values_list("user_id", "organization_id"):
        infos[user_id].org_ids.add(org_id)
    for user_id, fields in ExpertProfile.objects.filter(user_id__in=ids).values_list("user_id", "fields"):
        infos[user_id].fields = set(fields or [])
    for user_id, org_id, name in DeclaredConflict.objects.filter(expert_id__in=ids).values_list(
        "expert_id", "organization_id", "person_name"
    ):
        if org_id:
            infos[user_id].declared_org_ids.add(org_id)
        if name:
            infos[user_id].declared_names.add(name.strip())
    # Co-authors: everybody on a submission the expert applied with or wrote.
    own = defaultdict(set)
    for submission_id, applicant_id in Submission.objects.filter(applicant_id__in=ids).values_list(
        "id", "applicant_id"
    ):
        own[submission_id].add(applicant_id)
    for submission_id, user_id in Author.objects.filter(user_id__in=ids).values_list("submission_id", "user_id"):
        own[submission_id].add(user_id)
    if own:
        for submission_id, user_id, name in Author.objects.filter(submission_id__in=list(own)).values_list(
            "submission_id", "user_id", "name"
        ):
            for expert_id in own[submission_id]:
                if user_id != expert_id:
                    if user_id:
                        infos[expert_id].coauthor_user_ids.add(user_id)
                    infos[expert_id].coauthor_names.add(name.strip())
    for row in (
        Assignment.objects.filter(expert_id__in=ids, state=Assignment.State.ASSIGNED)
        .values("expert_id")
        .annotate(n=Count("id"))
    ):
        infos[row["expert_id"]].load = row["n"]
    return infos


def submission_infos(submissions: Iterable[Submission], *, reviewers: int | None = None) -> dict[int, SubmissionInfo]:
    """The people, organisations and current experts of submissions, and how many experts each still needs in its
    round (``reviewers`` or its call's number), in three queries."""
    subs = list(submissions)
    infos: dict[int, SubmissionInfo] = {}
    for submission in subs:
        info = SubmissionInfo(id=submission.pk, field=submission.field, org_ids={submission.organization_id})
        info.user_ids.add(submission.applicant_id)
        infos[submission.pk] = info
    for submission_id, user_id, name, org_id in Author.objects.filter(submission_id__in=list(infos)).values_list(
        "submission_id", "user_id", "name", "organization_id"
    ):
        info = infos[submission_id]
        if user_id:
            info.user_ids.add(user_id)
        info.names.add(name.strip())
        if org_id:
            info.org_ids.add(org_id)
    current: dict[int, int] = defaultdict(int)
    rounds = {submission.pk: submission.round for submission in subs}
    for submission_id, expert_id, state, round_no in Assignment.objects.filter(
        submission_id__in=list(infos)
    ).values_list("submission_id", "expert_id", "state", "round"):
        infos[submission_id].assigned.add(expert_id)
        if state != Assignment.State.RECUSED and round_no == rounds[submission_id]:
            current[submission_id] += 1
    for submission in subs:
        wanted = reviewers if reviewers is not None else submission.call.reviewers_per_submission
        infos[submission.pk].needed = max(0, wanted - current[submission.pk])
    return infos


def conflict_of(expert: User, submission: Submission) -> str | None:
    """Why ``expert`` may not review ``submission`` (a reason code of :mod:`.conflicts`), or None."""
    expert_info = expert_infos([expert.pk])[expert.pk]
    submission_info = submission_infos([submission], reviewers=0)[submission.pk]
    return conflict(expert_info, submission_info)


@dataclass
class ExpertChoice:
    """An expert as staff see them when assigning: load, fields and any conflict with the submission."""

    user: User
    load: int
    fields: list[str] = field(default_factory=list)
    conflict: str | None = None


def expert_choices(submission: Submission) -> list[ExpertChoice]:
    """The whole expert pool for one submission, eligible ones first (field match, then least loaded)."""
    pool = expert_infos()
    sub = submission_infos([submission], reviewers=0)[submission.pk]
    users = User.objects.in_bulk(list(pool))
    rows = [
        ExpertChoice(user=users[uid], load=info.load, fields=sorted(info.fields), conflict=conflict(info, sub))
        for uid, info in pool.items()
        if uid in users and uid not in sub.assigned
    ]
    rows.sort(key=lambda row: (row.conflict is not None, submission.field not in row.fields, row.load, row.user.pk))
    return rows


# --- Staff ------------------------------------------------------------------------------------------------------------


def staff_submissions(*, call: Call | None = None, status: str | None = None) -> QuerySet[Submission]:
    qs = Submission.objects.exclude(status=Status.DRAFT).select_related("call", "organization", "applicant")
    if call is not None:
        qs = qs.filter(call=call)
    if status:
        qs = qs.filter(status=status)
    return qs


def access_submission_for_staff(*, actor: Actor, submission_id: int) -> Submission:
    """Any sent submission, with everything (names included), for review staff; others: not found."""
    if not is_review_staff(actor):
        raise NotFound
    submission = (
        Submission.objects.exclude(status=Status.DRAFT)
        .select_related("call", "organization", "applicant", "decided_by")
        .prefetch_related(
            "attachments",
            Prefetch("authors", queryset=Author.objects.select_related("organization")),
            Prefetch("assignments", queryset=Assignment.objects.select_related("expert", "review")),
            "appeals",
        )
        .filter(pk=submission_id)
        .first()
    )
    if submission is None:
        raise NotFound
    return submission


@dataclass(frozen=True)
class RefusedAssignment:
    at: Any
    expert: str
    reason: str


def refused_assignments(submission: Submission) -> list[RefusedAssignment]:
    """The assignments staff tried and the engine refused for a conflict of interest (from the audit log)."""
    from zhijiao.core.models import AuditLog

    from .conflicts import reason_label

    entries = list(
        AuditLog.objects.filter(
            action="reviews.assignment.create", result=AuditLog.Result.FAILURE,
            object_type=Submission._meta.label_lower, object_id=str(submission.pk),
        ).order_by("at")
    )  # fmt: skip
    names = User.objects.in_bulk([e.detail.get("expert_id") for e in entries if e.detail.get("expert_id")])
    return [
        RefusedAssignment(
            at=entry.at,
            expert=str(names.get(entry.detail.get("expert_id"), "")),
            reason=reason_label(str(entry.detail.get("conflict", ""))),
        )
        for entry in entries
    ]


def access_appeal_for_staff(*, actor: Actor, appeal_id: int) -> Appeal:
    if not is_review_staff(actor):
        raise NotFound
    appeal = Appeal.objects.select_related("submission__call").filter(pk=appeal_id).first()
    if appeal is None:
        raise NotFound
    return appeal


def access_attachment_for_owner_or_staff(*, actor: Actor, submission_id: int, attachment_id: int) -> Attachment:
    """A file for its applicant or review staff (experts download through their assignment, under a blind name)."""
    if not signed_in(actor):
        raise NotFound
    attachment = (
        Attachment.objects.select_related("submission").filter(pk=attachment_id, submission_id=submission_id).first()
    )
    if attachment is None or (attachment.submission.applicant_id != actor.pk and not is_review_staff(actor)):
        raise NotFound
    return attachment


def assignments_due(*, until: Any) -> QuerySet[Assignment]:
    """Open assignments due on or before ``until`` (reminders)."""
    return Assignment.objects.filter(state=Assignment.State.ASSIGNED, due_on__lte=until).select_related(
        "expert", "submission"
    )
