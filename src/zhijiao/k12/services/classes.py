"""Writes of classes: teachers open them, students join, teachers assign resources; learners' progress on them."""

import re
import secrets
from collections.abc import Sequence
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijiao.core.actors import Actor, signed_in
from zhijiao.core.audit import audit_actions
from zhijiao.core.errors import DomainError
from zhijiao.core.services import audit_record
from zhijiao.orgs.models import Organization, Role
from zhijiao.orgs.selectors import has_role

from .. import selectors
from ..models import (
    CODE_ALPHABET,
    Assignment,
    AssignmentItem,
    ClassMember,
    Collection,
    Lesson,
    Progress,
    Resource,
    SchoolClass,
)

# What the audit log calls the actions recorded here.
AUDIT_ACTIONS = audit_actions(
    {
        "k12.class.create": gettext_lazy("创建班级"),
        "k12.class.add_student": gettext_lazy("添加班级学生"),
        "k12.class.remove_student": gettext_lazy("移出班级学生"),
        "k12.assignment.create": gettext_lazy("布置学习任务"),
    }
)


JOIN_CODE_LENGTH = 8


@transaction.atomic
def class_create(*, actor: Actor, school: Organization, name: str, grade: int | None = None) -> SchoolClass:
    """A teacher opens a class in their school; students join it with its class code."""
    if not selectors.can_create_class(actor, school):
        raise PermissionDenied(_("只有本校教师可以创建班级"))
    for _attempt in range(5):
        klass = SchoolClass(
            school=school,
            name=name.strip(),
            grade=grade,
            teacher=actor,
            join_code="".join(secrets.choice(CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH)),
        )
        klass.full_clean(validate_unique=False)
        try:
            with transaction.atomic():
                klass.save()
        except IntegrityError:
            continue
        audit_record(action="k12.class.create", actor=actor, obj=klass)
        return klass
    raise DomainError("join_code_busy", _("班级码生成失败，请重试"), status=503)


def _add_member(klass: SchoolClass, student: Actor) -> ClassMember:
    if not signed_in(student) or not has_role(student, Role.STUDENT, organization=klass.school):
        raise DomainError("not_a_student_here", _("只有本校学生可以加入这个班级"), status=403)
    member, _created = ClassMember.objects.get_or_create(klass=klass, student=student)
    return member


@transaction.atomic
def class_join(*, student: Actor, join_code: str) -> SchoolClass:
    """A student joins a class with the code their teacher gave them."""
    value = (join_code or "").strip().upper()
    klass = SchoolClass.objects.select_related("school").filter(join_code=value, is_active=True).first()
    if klass is None:
        raise ValidationError({"join_code": [_("班级码不正确，请向老师确认")]})
    _add_member(klass, student)
    return klass


@transaction.atomic
def class_add_student(*, actor: Actor, klass: SchoolClass, phone: str) -> ClassMember:
    """The teacher adds a student of the school by mobile number."""
    if not selectors.can_manage_class(actor, klass):
        raise PermissionDenied(_("您不能管理这个班级"))
    from zhijiao.core.identifiers import normalize_phone

    try:
        number = normalize_phone(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from exc
    from zhijiao.accounts.models import User

    student = User.objects.filter(phone=number, is_active=True).first()
    if student is None or not has_role(student, Role.STUDENT, organization=klass.school):
        raise ValidationError({"phone": [_("本校没有使用这个手机号码的学生")]})
    member = _add_member(klass, student)
    audit_record(action="k12.class.add_student", actor=actor, obj=klass, detail={"student_id": student.pk})
    return member


@transaction.atomic
def class_remove_student(*, actor: Actor, klass: SchoolClass, student_id: int) -> None:
    if not selectors.can_manage_class(actor, klass):
        raise PermissionDenied(_("您不能管理这个班级"))
    ClassMember.objects.filter(klass=klass, student_id=student_id).delete()
    audit_record(action="k12.class.remove_student", actor=actor, obj=klass, detail={"student_id": student_id})


@transaction.atomic
def assignment_create(
    *,
    actor: Actor,
    klass: SchoolClass,
    purpose: str,
    due_date: date,
    title: str = "",
    note: str = "",
    lesson: Lesson | None = None,
    collection: Collection | None = None,
    resources: Sequence[Resource] = (),
) -> Assignment:
    """The teacher gives the class a lesson, a collection or some resources to preview or review by a date."""
    if not selectors.can_manage_class(actor, klass):
        raise PermissionDenied(_("您不能给这个班级布置任务"))
    chosen: list[Resource] = list(resources)
    if lesson is not None:
        chosen += selectors.lesson_resources(lesson=lesson)
    if collection is not None:
        if not (collection.is_published or selectors.can_manage_collection(actor, collection)):
            raise PermissionDenied(_("您不能使用这个合集"))
        chosen += [item.resource for item in selectors.collection_items(collection=collection)]
    unique = [item for item in dict.fromkeys(chosen) if item.is_published]
    if not unique:
        raise ValidationError({"lesson": [_("请选择至少一个已发布的资源、课时或合集")]})
    if due_date < timezone.localdate():
        raise ValidationError({"due_date": [_("截止日期不能早于今天")]})
    if not title:
        subject = lesson.title if lesson else collection.title if collection else unique[0].title
        title = f"{Assignment.Purpose(purpose).label}：{subject}"
    assignment = Assignment(
        klass=klass,
        purpose=purpose,
        due_date=due_date,
        title=title.strip()[:120],
        note=note.strip(),
        lesson=lesson,
        collection=collection,
        created_by=actor,
    )
    assignment.full_clean()
    assignment.save()
    AssignmentItem.objects.bulk_create(
        [AssignmentItem(assignment=assignment, resource=item, position=index) for index, item in enumerate(unique, 1)]
    )
    audit_record(action="k12.assignment.create", actor=actor, obj=assignment, detail={"resources": len(unique)})
    return assignment


MAX_ELAPSED_PER_REPORT = 60
COMPLETE_SHARE = 0.9
SESSION = re.compile(r"^[A-Za-z0-9_-]{8,40}$")


@transaction.atomic
def progress_record(
    *,
    student: Actor,
    resource: Resource,
    position: int = 0,
    elapsed: int = 0,
    duration: int = 0,
    completed: bool = False,
    session: str = "",
    played: int | None = None,
) -> Progress:
    """Where a learner is in a video or audio (resumable on any device), time spent, and whether it's done.

    The player reports when playback starts and then every few seconds with ``session`` (random per page) and
    ``played``, the seconds it has played in that session so far; the time credited is what the total grew by
    since the last report, so a report sent twice counts once and a lost one is made up by the next. (A client
    without a session sends ``elapsed``, the seconds since its last report.) Whatever a client claims, time is
    credited on the server's clock: never more than passed since the last credit, and at most a minute per report,
    so a tab left open or a forged request cannot inflate the figures; the first report starts the clock. Watching
    90 % of a video or audio completes it.
    """
    if not signed_in(student):
        raise PermissionDenied(_("请先登录"))
    if not resource.is_published:
        raise DomainError("not_found", _("找不到您要的内容"), status=404)
    if position < 0 or elapsed < 0 or duration < 0 or (played is not None and played < 0):
        raise ValidationError({"position": [_("不能小于 0")]})
    if session and not SESSION.match(session):
        raise ValidationError({"session": [_("播放会话标识无效")]})
    length = resource.duration_seconds or duration
    if length:
        position = min(position, length)
    Progress.objects.get_or_create(student=student, resource=resource)
    row = Progress.objects.select_for_update().get(student=student, resource=resource)
    now = timezone.now()
    if session and played is not None:
        if row.session != session:
            row.session, row.session_seconds = session, 0
        claimed = played - row.session_seconds
    else:
        claimed = elapsed
    if row.clock_at is None:
        credited = 0
        row.clock_at = now
    else:
        allowance = min(MAX_ELAPSED_PER_REPORT, int((now - row.clock_at).total_seconds()))
        credited = max(0, min(claimed, allowance))
        # The clock advances by what was credited; idle time banks at most a minute.
        row.clock_at = max(row.clock_at + timedelta(seconds=credited), now - timedelta(seconds=MAX_ELAPSED_PER_REPORT))
    row.seconds_spent += credited
    if session and played is not None:
        row.session_seconds += credited
    row.position_seconds = position
    row.furthest_seconds = max(row.furthest_seconds, position)
    if row.completed_at is None and (completed or (length and row.furthest_seconds >= COMPLETE_SHARE * length)):
        row.completed_at = now
    row.save()
    return row


@transaction.atomic
def progress_complete(*, student: Actor, resource: Resource) -> Progress:
    """The learner says they have read (or watched) it: the button that works without JavaScript."""
    return progress_record(student=student, resource=resource, completed=True)
