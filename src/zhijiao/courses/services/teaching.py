"""Writes of run management (开课管理): a run's settings, its chapter release schedule, its staff, the SPOC roster
and announcements to its learners.

Every function asks :func:`selectors.may_teach_run` first — the one permission question of this module — and
refuses teaching assistants and everyone else with ``PermissionDenied``. Bad input is a field error named after the
field the person typed (``phone``, ``ends_at``, a chapter's content id), never a 500.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from itertools import batched
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijiao.accounts.models import User
from zhijiao.accounts.selectors import user_by_phone
from zhijiao.core.actors import Actor, signed_in
from zhijiao.core.audit import audit_actions
from zhijiao.core.identifiers import normalize_phone
from zhijiao.core.services import audit_record
from zhijiao.core.tables import RowError, TableError, cell_text, read_table, take
from zhijiao.notifications.services import Message, notification_kinds, notify_many
from zhijiao.orgs.models import Organization

from .. import selectors
from ..models import Announcement, Enrolment, RosterEntry, Run, RunRelease, RunStaff, TeamRole
from .runs import JOIN_CODE

# What the audit log and the message centre call what is recorded and sent here.
AUDIT_ACTIONS = audit_actions(
    {
        "courses.run.update": gettext_lazy("修改开课设置"),
        "courses.run.schedule": gettext_lazy("修改章节发布时间"),
        "courses.run.staff_add": gettext_lazy("添加开课教学团队成员"),
        "courses.run.staff_remove": gettext_lazy("移除开课教学团队成员"),
        "courses.run.roster_import": gettext_lazy("导入选课名单"),
        "courses.run.roster_remove": gettext_lazy("移出选课名单"),
        "courses.run.announce": gettext_lazy("发布课程公告"),
    }
)
NOTIFICATION_KINDS = notification_kinds({"course_announcement": gettext_lazy("课程公告")})

UNSET: Any = object()


def _require_teacher(actor: Actor, run: Run) -> User:
    if not signed_in(actor) or not selectors.may_teach_run(actor, run):
        raise PermissionDenied(_("只有本开课的主讲教师可以这样做"))
    return actor


def run_errors(
    *,
    kind: str,
    university: Organization | None,
    enrol_opens_at: datetime,
    enrol_closes_at: datetime,
    starts_at: datetime,
    ends_at: datetime,
) -> dict[str, list[str]]:
    """A run's field errors (the same for opening a run and changing it)."""
    errors: dict[str, list[str]] = {}
    if kind == Run.Kind.SPOC and (university is None or university.kind != Organization.Kind.UNIVERSITY):
        errors["university_id"] = [_("校内课须指定一所高校")]
    if enrol_closes_at <= enrol_opens_at:
        errors["enrol_closes_at"] = [_("选课截止须晚于选课开始")]
    if ends_at <= starts_at:
        errors["ends_at"] = [_("结课时间须晚于开课时间")]
    if enrol_opens_at >= ends_at:
        errors.setdefault("enrol_opens_at", []).append(_("选课开始须早于结课时间"))
    return errors


@transaction.atomic
def run_update(
    *,
    actor: Actor,
    run: Run,
    title: str = UNSET,
    kind: str = UNSET,
    university: Organization | None = UNSET,
    join_code: str = UNSET,
    enrol_opens_at: datetime = UNSET,
    enrol_closes_at: datetime = UNSET,
    starts_at: datetime = UNSET,
    ends_at: datetime = UNSET,
    certificate_completion: Decimal = UNSET,
) -> Run:
    """The run's teachers change its settings: open or SPOC, the enrolment window, its dates, the share of the
    course a learner completes for a certificate, the join code. Fields not given stay as they are."""
    _require_teacher(actor, run)
    given = {
        name: value
        for name, value in {
            "title": title,
            "kind": kind,
            "university": university,
            "join_code": join_code,
            "enrol_opens_at": enrol_opens_at,
            "enrol_closes_at": enrol_closes_at,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "certificate_completion": certificate_completion,
        }.items()
        if value is not UNSET
    }
    for name, value in given.items():
        setattr(run, name, value.strip() if isinstance(value, str) else value)
    if run.kind != Run.Kind.SPOC:
        run.university, run.join_code = None, ""
    errors = run_errors(
        kind=run.kind,
        university=run.university,
        enrol_opens_at=run.enrol_opens_at,
        enrol_closes_at=run.enrol_closes_at,
        starts_at=run.starts_at,
        ends_at=run.ends_at,
    )
    share = run.certificate_completion
    if share is None or not Decimal("0") <= Decimal(share) <= Decimal("1"):
        errors["certificate_completion"] = [_("获得证书所需完成比例须在 0 到 100% 之间")]
    if run.join_code and not JOIN_CODE.fullmatch(run.join_code):
        errors["join_code"] = [_("选课码应为 4–16 位字母或数字")]
    if errors:
        raise ValidationError(errors)
    run.certificate_completion = Decimal(share).quantize(Decimal("0.001"))
    run.full_clean()
    run.save()
    audit_record(action="courses.run.update", actor=actor, obj=run, detail={"fields": sorted(given)})
    return run


# --- The chapter release schedule ---------------------------------------------------------------------------------


@transaction.atomic
def run_releases_set(*, actor: Actor, run: Run, schedule: Mapping[str, datetime | None]) -> list[RunRelease]:
    """The run's teachers set when chapters open to its learners (章节发布计划); None clears a chapter's time, so
    it opens when the run starts. Errors are keyed by the chapter's content id."""
    _require_teacher(actor, run)
    chapters = {chapter["content_id"]: chapter for chapter in selectors.chapters_of(run=run)}
    errors: dict[str, list[str]] = {}
    clean: dict[str, datetime | None] = {}
    for key, opens_at in schedule.items():
        try:
            content_id = str(uuid.UUID(str(key)))
        except ValueError:
            errors[str(key)] = [_("本课程中没有这一章")]
            continue
        if content_id not in chapters:
            errors[str(key)] = [_("本课程中没有这一章")]
        elif opens_at is not None and opens_at >= run.ends_at:
            errors[str(key)] = [_("开放时间须早于结课时间")]
        else:
            clean[content_id] = opens_at
    if errors:
        raise ValidationError(errors)
    cleared = [key for key, value in clean.items() if value is None]
    RunRelease.objects.filter(run=run, content_id__in=cleared).delete()
    existing = {str(row.content_id): row for row in RunRelease.objects.filter(run=run)}
    for content_id, opens_at in clean.items():
        if opens_at is None:
            continue
        row = existing.get(content_id) or RunRelease(run=run, content_id=content_id)
        row.opens_at = opens_at
        row.full_clean()
        row.save()
    audit_record(action="courses.run.schedule", actor=actor, obj=run, detail={"chapters": len(clean)})
    return list(RunRelease.objects.filter(run=run))


# --- Staff ----------------------------------------------------------------------------------------------------------


@transaction.atomic
def run_staff_add(*, actor: Actor, run: Run, phone: str, role: str) -> RunStaff:
    """A run's teacher adds a lead teacher, teacher or teaching assistant by the mobile number they registered with."""
    _require_teacher(actor, run)
    if role not in TeamRole.values:
        raise ValidationError({"role": [_("请选择角色")]})
    try:
        number = normalize_phone(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from None
    user = user_by_phone(phone=number)
    if user is None:
        raise ValidationError({"phone": [_("没有用这个手机号码注册的用户，请对方先注册")]})
    if RunStaff.objects.filter(run=run, user=user).exists():
        raise ValidationError({"phone": [_("%(name)s 已在本开课的教学团队中") % {"name": user}]})
    if role == TeamRole.LEAD and RunStaff.objects.filter(run=run, role=TeamRole.LEAD).exists():
        raise ValidationError({"role": [_("本开课已有主讲负责人，请先移除再添加")]})
    member = RunStaff(run=run, user=user, role=role)
    member.full_clean(validate_unique=False)
    member.save()
    audit_record(action="courses.run.staff_add", actor=actor, obj=run, detail={"user": user.pk, "role": role})
    return member


@transaction.atomic
def run_staff_remove(*, actor: Actor, run: Run, user_id: int) -> None:
    """A run's teacher takes someone off the run's staff (the course team stays as it is)."""
    _require_teacher(actor, run)
    deleted, _rows = RunStaff.objects.filter(run=run, user_id=user_id).delete()
    if not deleted:
        raise ValidationError({"user_id": [_("此人不在本开课的教学团队中")]})
    audit_record(action="courses.run.staff_remove", actor=actor, obj=run, detail={"user": user_id})


# --- The SPOC roster --------------------------------------------------------------------------------------------------

ROSTER_HEADERS = {"学号": "student_number", "姓名": "name", "student number": "student_number"}
ROSTER_MAX_BYTES = 5 * 1024 * 1024
ROSTER_MAX_ROWS = 20_000
STUDENT_NUMBER = re.compile(r"[A-Za-z0-9-]{1,32}")


@dataclass
class RosterReport:
    """What an import did: rows read, lines added and updated, and each refused line with its reasons."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)


def _roster_row(line: int, raw: dict[str, Any]) -> tuple[str, str] | RowError:
    messages = []
    number = cell_text(raw.get("student_number"))
    if not STUDENT_NUMBER.fullmatch(number):
        messages.append(_("学号应为 1–32 位字母、数字或连字符"))
    name = " ".join(cell_text(raw.get("name")).split())
    if not 2 <= len(name) <= 40:
        messages.append(_("姓名应为 2–40 个字"))
    return RowError(line=line, messages=messages) if messages else (number, name)


@transaction.atomic
def roster_import(*, actor: Actor, run: Run, data: bytes, filename: str) -> RosterReport:
    """A SPOC's teachers import its list of students (CSV/Excel: 学号, 姓名). Good lines are added or their names
    updated; each bad line is reported with its line number; students on the list then join without the code."""
    _require_teacher(actor, run)
    if run.kind != Run.Kind.SPOC:
        raise ValidationError({"file": [_("只有校内课（SPOC）需要导入选课名单")]})
    try:
        rows = take(
            read_table(data, filename=filename, headers=ROSTER_HEADERS, lower=True, max_bytes=ROSTER_MAX_BYTES),
            limit=ROSTER_MAX_ROWS,
        )
    except TableError as exc:
        raise ValidationError({"file": [str(exc)]}) from None
    # Column names were lower-cased where not mapped (``Student Number`` → ``student number``): map those too.
    rows = [(line, {ROSTER_HEADERS.get(key, key): value for key, value in raw.items()}) for line, raw in rows]
    if rows and not {"student_number", "name"} <= set(rows[0][1]):
        raise ValidationError({"file": [_("表头须包含“学号”和“姓名”两列，请下载模板")]})
    report = RosterReport(rows=len(rows))
    good: dict[str, tuple[int, str]] = {}
    for line, raw in rows:
        row = _roster_row(line, raw)
        if isinstance(row, RowError):
            report.errors.append(row.as_dict())
        elif row[0] in good:
            report.errors.append(
                {"line": line, "messages": [_("学号与第 %(line)d 行重复") % {"line": good[row[0]][0]}]}
            )
        else:
            good[row[0]] = (line, row[1])
    existing = {
        entry.student_number: entry
        for chunk in batched(list(good), 500)
        for entry in RosterEntry.objects.filter(run=run, student_number__in=list(chunk))
    }
    new, changed = [], []
    for number, (_line, name) in good.items():
        entry = existing.get(number)
        if entry is None:
            new.append(RosterEntry(run=run, student_number=number, name=name))
        elif entry.name != name:
            entry.name = name
            changed.append(entry)
    RosterEntry.objects.bulk_create(new, batch_size=2000)
    RosterEntry.objects.bulk_update(changed, ["name", "updated_at"], batch_size=2000)
    report.created, report.updated = len(new), len(changed)
    audit_record(
        action="courses.run.roster_import",
        actor=actor,
        obj=run,
        detail={
            "rows": report.rows,
            "created": report.created,
            "updated": report.updated,
            "errors": len(report.errors),
        },
    )
    return report


@transaction.atomic
def roster_entry_remove(*, actor: Actor, run: Run, entry_id: int) -> None:
    """Take a student off the roster (one who already joined stays enrolled)."""
    _require_teacher(actor, run)
    deleted, _rows = RosterEntry.objects.filter(run=run, pk=entry_id).delete()
    if not deleted:
        raise ValidationError({"entry_id": [_("名单中没有这一行")]})
    audit_record(action="courses.run.roster_remove", actor=actor, obj=run, detail={"entry": entry_id})


# --- Announcements ----------------------------------------------------------------------------------------------------


@transaction.atomic
def announcement_create(*, actor: Actor, run: Run, title: str, body: str) -> Announcement:
    """The run's teachers post an announcement (课程公告); each learner of the run gets it as a notification that
    links to the course page."""
    author = _require_teacher(actor, run)
    announcement = Announcement(run=run, title=title.strip(), body=body.strip(), author=author)
    announcement.full_clean()
    announcement.save()
    url = run.course.get_absolute_url()
    prefix = f"{run.course.title} · "
    learners = Enrolment.objects.filter(run=run).values_list("user_id", flat=True).iterator(chunk_size=5000)
    sent = notify_many(
        messages=(
            Message(user_id=user_id, title=prefix + announcement.title, body=announcement.body, url=url)
            for user_id in learners
        ),
        kind="course_announcement",
    )
    audit_record(
        action="courses.run.announce", actor=actor, obj=run, detail={"announcement": announcement.pk, "sent": sent}
    )
    return announcement
