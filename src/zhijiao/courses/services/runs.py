"""Writes of runs (开课): the teaching team opens a run, learners enrol, and their progress is recorded per block.

Progress is keyed on the block's ``content_id``: it survives new versions of the course and follows the learner
into a copy of it (a school's copy of a standard course, the next semester's course).
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijiao.core.actors import Actor, signed_in
from zhijiao.core.audit import audit_actions
from zhijiao.core.errors import DomainError
from zhijiao.core.services import audit_record
from zhijiao.orgs.models import Organization

from .. import selectors
from ..blocks import get_type
from ..grading import default_policy
from ..models import BlockProgress, Course, Enrolment, RosterEntry, Run
from .catalogue import course_index_later
from .content import _require_editor
from .learning import enrolment_counted, enrolment_progressed, progress_gate

# What the audit log calls the actions recorded here.
AUDIT_ACTIONS = audit_actions(
    {
        "courses.run.create": gettext_lazy("开课"),
    }
)
JOIN_CODE = re.compile(r"[A-Za-z0-9]{4,16}")


@transaction.atomic
def run_create(
    *,
    actor: Actor,
    course: Course,
    title: str,
    kind: str,
    enrol_opens_at: datetime,
    enrol_closes_at: datetime,
    starts_at: datetime,
    ends_at: datetime,
    university: Organization | None = None,
    join_code: str = "",
    certificate_completion: Decimal | None = None,
) -> Run:
    """The teaching team opens a run of the course: open to all, or a SPOC for one university's students."""
    from .teaching import run_errors

    _require_editor(actor, course)
    run = Run(
        course=course,
        title=title.strip(),
        kind=kind,
        university=university if kind == Run.Kind.SPOC else None,
        join_code=join_code.strip() if kind == Run.Kind.SPOC else "",
        enrol_opens_at=enrol_opens_at,
        enrol_closes_at=enrol_closes_at,
        starts_at=starts_at,
        ends_at=ends_at,
        grading_policy=default_policy().as_json(),
    )
    if certificate_completion is not None:
        run.certificate_completion = certificate_completion
    errors = run_errors(
        kind=kind,
        university=university,
        enrol_opens_at=enrol_opens_at,
        enrol_closes_at=enrol_closes_at,
        starts_at=starts_at,
        ends_at=ends_at,
    )
    if run.join_code and not JOIN_CODE.fullmatch(run.join_code):
        errors["join_code"] = [_("选课码应为 4–16 位字母或数字")]
    if errors:
        raise ValidationError(errors)
    run.full_clean()
    run.save()
    audit_record(action="courses.run.create", actor=actor, obj=run)
    if course.is_published:
        course_index_later(course=course)  # the catalogue's "正在选课" follows the new enrolment window
    return run


@transaction.atomic
def enrolment_create(
    *, actor: Actor, run: Run, join_code: str = "", student_number: str = "", name: str = ""
) -> Enrolment:
    """A learner joins a run while its enrolment is open. A SPOC admits its university's students; when it has a
    join code or a roster, with the code or as a student on the roster (student number and name match)."""
    if not signed_in(actor):
        raise PermissionDenied(_("请先登录"))
    if run.course.published_version_id is None:
        raise DomainError("not_published", _("课程尚未发布"))
    if not selectors.enrolment_is_open(run):
        raise DomainError("enrolment_closed", _("不在选课时间内"))
    if not selectors.may_join(actor, run):
        raise PermissionDenied(_("这是校内课，仅限本校学生选课"))
    entry = None
    code_ok = bool(run.join_code) and constant_time_compare(join_code.strip().upper(), run.join_code.upper())
    roster = selectors.has_roster(run)
    if not code_ok and (run.join_code or roster):
        entry = selectors.roster_entry_for(actor, run, student_number=student_number, name=name) if roster else None
        if entry is None:
            if roster and (student_number.strip() or not join_code.strip()):
                message = _("学号和姓名与选课名单不符") if student_number.strip() else _("请填写学号和姓名")
                if run.join_code:
                    message = _("%(reason)s；也可以输入选课码") % {"reason": message}
                raise ValidationError({"student_number": [message]})
            raise ValidationError({"join_code": [_("选课码不正确")]})
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(run=run, user=actor)
    except IntegrityError:
        raise DomainError("already_enrolled", _("您已选过这门课")) from None
    if entry is not None and entry.user_id is None:
        # Claimed with a condition: of two people typing the same line at once, one gets it.
        claimed = RosterEntry.objects.filter(pk=entry.pk, user__isnull=True).update(
            user=actor, updated_at=timezone.now()
        )
        if not claimed:
            raise ValidationError({"student_number": [_("学号和姓名与选课名单不符")]})
    enrolment_counted(run=run)
    return enrolment


@transaction.atomic
def progress_record(
    *,
    actor: Actor,
    run: Run,
    content_id: str,
    position: int | None = None,
    watched: float | None = None,
    opened: bool = False,
    complete: bool = False,
) -> BlockProgress:
    """A learner's page reports progress on a block: the play position, the share watched (never decreases),
    that it was opened; or a block type's own app reports it ``complete`` (a type ``completed_by_service`` is done
    only that way). Refused for a block that is not in the run's published course, for a block of a chapter
    not yet released, and for non-learners. Keeps the enrolment's last unit, last study time and completion."""
    if not signed_in(actor) or not selectors.is_enrolled(actor, run):
        raise PermissionDenied(_("请先选课"))
    try:
        key = str(uuid.UUID(content_id))
    except ValueError:
        raise ValidationError({"content_id": [_("内容标识无效")]}) from None
    block = selectors.find_block(selectors.published_outline(course=run.course), key)
    if block is None:
        raise ValidationError({"content_id": [_("本课程中没有这一内容")]})
    unit_id = progress_gate(actor=actor, run=run, content_id=key)
    progress, _created = BlockProgress.objects.select_for_update().get_or_create(user=actor, content_id=key)
    progress.run = run
    if position is not None:
        progress.position_seconds = max(0, int(position))
    if watched is not None:
        share = Decimal(str(min(1.0, max(0.0, float(watched))))).quantize(Decimal("0.001"))
        progress.watched = max(progress.watched, share)
    progress.opened = progress.opened or opened
    block_type = get_type(block["type"])
    if block_type is None:
        done = False
    elif block_type.completed_by_service:
        done = complete
    else:
        done = complete or block_type.is_complete(block["data"], progress.state())
    newly_completed = progress.completed_at is None and done
    if newly_completed:
        progress.completed_at = timezone.now()
    progress.save()
    enrolment_progressed(actor=actor, run=run, unit_id=unit_id, newly_completed=newly_completed)
    return progress
