"""Reads of the academic records and the holders' verification reports, and who may import records."""

from __future__ import annotations

from django.db.models import Case, QuerySet, Value, When

from zhijiao.accounts.selectors import real_name_of
from zhijiao.core.actors import Actor, signed_in
from zhijiao.core.errors import NotFound
from zhijiao.orgs.models import Organization, Role
from zhijiao.orgs.selectors import has_role, is_platform_admin, organizations_where

from .models import AcademicRecord, RecordType, VerificationReport

# --- Academic records --------------------------------------------------------------------------------------


def records_of(user: Actor) -> QuerySet[AcademicRecord] | None:
    """The records whose ID number and name match the user's verified identity; None when they have none."""
    holder = real_name_of(user)
    if holder is None:
        return None
    return (
        AcademicRecord.objects.filter(id_number_index=holder.id_number_index, holder_name=holder.name)
        .select_related("university")
        .annotate(
            type_order=Case(
                When(record_type=RecordType.STUDENT_STATUS, then=Value(0)),
                When(record_type=RecordType.QUALIFICATION, then=Value(1)),
                default=Value(2),
            )
        )
        .order_by("-entry_date", "university_id", "type_order", "id")
    )


def access_record(*, actor: Actor, record_id: int) -> AcademicRecord:
    records = records_of(actor)
    record = records.filter(pk=record_id).first() if records is not None else None
    if record is None:
        raise NotFound
    return record


def may_import_records(user: Actor) -> bool:
    """Whether the records import page is for this person: registrars of some college or university, platform admins."""
    return signed_in(user) and (is_platform_admin(user) or has_role(user, Role.REGISTRAR))


def registrar_universities(user: Actor) -> QuerySet[Organization]:
    """Universities where the user may import records."""
    if not signed_in(user):
        return Organization.objects.none()
    if is_platform_admin(user):
        return Organization.objects.filter(
            kind__in=[Organization.Kind.UNIVERSITY, Organization.Kind.VOCATIONAL], is_active=True
        ).order_by("name")
    return organizations_where(user, Role.REGISTRAR).order_by("name")


def can_import_records(actor: Actor, university: Organization) -> bool:
    """Registrars of that university (and platform admins, through the admin) import its records."""
    if not signed_in(actor):
        return False
    return is_platform_admin(actor) or has_role(actor, Role.REGISTRAR, organization=university)


# --- Verification reports ----------------------------------------------------------------------------------


def reports_of(user: Actor) -> QuerySet[VerificationReport]:
    """The user's verification reports, newest first, with what their list shows."""
    if not signed_in(user):
        return VerificationReport.objects.none()
    return (
        VerificationReport.objects.filter(holder_user=user)
        .select_related("credential__revocation", "record__university")
        .order_by("-created_at", "-id")
    )


def access_report(*, actor: Actor, report_id: int) -> VerificationReport:
    """A report for its holder only; anybody else (and a missing id) gets "not found"."""
    report = reports_of(actor).filter(pk=report_id).first()
    if report is None:
        raise NotFound
    return report
