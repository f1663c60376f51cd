"""Graduates: registration with their university, the university's list of graduates, confirmation by its
employment office."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import batched
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijiao.accounts.models import User
from zhijiao.core.actors import Origin
from zhijiao.core.audit import audit_actions
from zhijiao.core.errors import DomainError
from zhijiao.core.services import audit_record
from zhijiao.notifications.services import notify
from zhijiao.orgs.models import Organization

from .. import selectors
from ..models import Graduate, RosterEntry
from .push import push_profile_of

# What the audit log calls the actions recorded here.
AUDIT_ACTIONS = audit_actions(
    {
        "employment.graduate.confirm": gettext_lazy("确认毕业生身份"),
        "employment.graduate.reject": gettext_lazy("驳回毕业生身份"),
        "employment.roster.import": gettext_lazy("导入毕业生名单"),
    }
)


@transaction.atomic
def graduate_register(
    *,
    user: User,
    university: Organization,
    graduation_year: int,
    real_name: str,
    major: str,
    discipline: str,
    education: int,
    student_number: str = "",
) -> Graduate:
    """A graduate registers with their university and year; its employment office confirms them."""
    if university.kind != Organization.Kind.UNIVERSITY:
        raise ValidationError({"university": [_("请选择一所高校")]})
    graduate = Graduate.objects.filter(user=user).first() or Graduate(user=user)
    if graduate.pk and graduate.status == Graduate.Status.CONFIRMED:
        raise DomainError("already_confirmed", _("学校已确认您的信息，如需修改请联系学校就业部门"))
    graduate.university = university
    graduate.graduation_year = graduation_year
    graduate.real_name = real_name.strip()
    graduate.major = major.strip()
    graduate.discipline = discipline
    graduate.education = education
    graduate.student_number = student_number.strip()
    graduate.status = Graduate.Status.PENDING
    entry = _roster_match(graduate)
    if entry is not None:  # on the university's own list: confirmed at once, with the list's details
        _take_roster_details(graduate, entry)
        graduate.status = Graduate.Status.CONFIRMED
        graduate.confirmed_at = timezone.now()
        graduate.confirmed_by = entry.imported_by
    graduate.push_profile = push_profile_of(graduate) if graduate.pk else ""
    graduate.full_clean()
    graduate.save()
    return graduate


def _roster_match(graduate: Graduate) -> RosterEntry | None:
    if not graduate.student_number:
        return None
    entry = RosterEntry.objects.filter(
        university_id=graduate.university_id, student_number=graduate.student_number
    ).first()
    return entry if entry and entry.real_name == graduate.real_name else None


def _take_roster_details(graduate: Graduate, entry: RosterEntry) -> None:
    graduate.graduation_year = entry.graduation_year
    graduate.major = entry.major
    graduate.discipline = entry.discipline
    graduate.education = entry.education


ROSTER_MAX_BYTES = 10 * 1024 * 1024


@dataclass
class RosterReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    confirmed: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)


@transaction.atomic
def graduate_roster_import(
    *, actor: User, university: Organization, data: bytes, filename: str, origin: Origin | None = None
) -> RosterReport:
    """A university's employment office imports its list of graduates (CSV/Excel: 学号, 姓名, 毕业年份, 专业,
    学科门类, 学历). Good rows are added or updated, each bad one is reported with its line; graduates already
    registered with a matching student number and name are confirmed (and told), and later registrations that
    match are confirmed at once."""
    from ..imports import FeedError, RowError, parse_roster, validate_roster_row

    if not selectors.can_import_roster(actor, university):
        raise PermissionDenied(_("只有本校就业工作人员可以导入毕业生名单"))
    if len(data) > ROSTER_MAX_BYTES:
        raise ValidationError({"file": [_("文件不能超过 %(mb)d MB") % {"mb": ROSTER_MAX_BYTES // 1024 // 1024}]})
    try:
        raw_rows = parse_roster(data, filename=filename)
    except FeedError as exc:
        raise ValidationError({"file": [str(exc)]}) from exc
    report = RosterReport(rows=len(raw_rows))
    this_year = timezone.localdate().year
    good: dict[str, Any] = {}
    for line, raw in raw_rows:
        row = validate_roster_row(line, raw, this_year=this_year)
        if isinstance(row, RowError):
            report.errors.append(row.as_dict())
        elif row.student_number in good:
            report.errors.append(
                {"line": line, "messages": [_("学号与第 %(line)d 行重复") % {"line": good[row.student_number].line}]}
            )
        else:
            good[row.student_number] = row
    existing = {
        entry.student_number: entry
        for chunk in batched(list(good), 500)
        for entry in RosterEntry.objects.filter(university=university, student_number__in=list(chunk))
    }
    new, changed = [], []
    fields_ = ("real_name", "graduation_year", "major", "discipline", "education")
    for number, row in good.items():
        entry = existing.get(number)
        if entry is None:
            new.append(RosterEntry(university=university, student_number=number, imported_by=actor))
            entry = new[-1]
        else:
            changed.append(entry)
        for name in fields_:
            setattr(entry, name, getattr(row, name))
        entry.imported_by = actor
    RosterEntry.objects.bulk_create(new, batch_size=2000)
    RosterEntry.objects.bulk_update(changed, [*fields_, "imported_by", "updated_at"], batch_size=2000)
    report.created, report.updated = len(new), len(changed)
    pending = Graduate.objects.filter(
        university=university, status=Graduate.Status.PENDING, student_number__in=list(good)
    ).select_related("user")
    confirmed = []
    now = timezone.now()
    for graduate in pending:
        row = good[graduate.student_number]
        if row.real_name != graduate.real_name:
            continue
        _take_roster_details(
            graduate, existing.get(row.student_number) or RosterEntry(**{n: getattr(row, n) for n in fields_})
        )
        graduate.status, graduate.confirmed_by, graduate.confirmed_at = Graduate.Status.CONFIRMED, actor, now
        graduate.push_profile = push_profile_of(graduate)
        confirmed.append(graduate)
    Graduate.objects.bulk_update(
        confirmed,
        [
            "graduation_year",
            "major",
            "discipline",
            "education",
            "status",
            "confirmed_by",
            "confirmed_at",
            "push_profile",
        ],
        batch_size=1000,
    )
    report.confirmed = len(confirmed)
    for graduate in confirmed:
        notify(
            user=graduate.user,
            title=_("学校已确认您的毕业生信息"),
            body=_("%(university)s %(year)s 届") % {"university": university.name, "year": graduate.graduation_year},
            url=reverse("employment:graduate_home"),
            kind="graduate",
        )
    audit_record(
        action="employment.roster.import",
        actor=actor,
        obj=university,
        detail={
            "rows": report.rows,
            "created": report.created,
            "updated": report.updated,
            "confirmed": report.confirmed,
            "errors": len(report.errors),
        },
        origin=origin,
    )
    return report


@transaction.atomic
def graduate_confirm(
    *, actor: User, graduate: Graduate, approve: bool = True, origin: Origin | None = None
) -> Graduate:
    """The university's employment office confirms (or turns down) a graduate's registration."""
    if not selectors.is_staff_of(actor, graduate.university_id):
        raise PermissionDenied(_("只有本校就业工作人员可以确认毕业生"))
    graduate.status = Graduate.Status.CONFIRMED if approve else Graduate.Status.REJECTED
    graduate.confirmed_by = actor
    graduate.confirmed_at = timezone.now()
    graduate.save(update_fields=["status", "confirmed_by", "confirmed_at", "updated_at"])
    audit_record(
        action="employment.graduate.confirm" if approve else "employment.graduate.reject",
        actor=actor,
        obj=graduate,
        origin=origin,
    )
    notify(
        user=graduate.user,
        title=_("学校已确认您的毕业生信息") if approve else _("学校未确认您的毕业生信息"),
        body=_("%(university)s %(year)s 届")
        % {"university": graduate.university.name, "year": graduate.graduation_year},
        url=reverse("employment:graduate_home"),
        kind="graduate",
    )
    return graduate
