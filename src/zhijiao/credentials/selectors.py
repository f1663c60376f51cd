"""Reads of the credentials app and its permission questions, each answered in one place."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Case, Q, QuerySet, Value, When
from django.utils import timezone

from zhijiao.accounts.selectors import identity_of
from zhijiao.core.errors import NotFound
from zhijiao.orgs.models import Organization, Role
from zhijiao.orgs.selectors import has_role, is_platform_admin, organizations_where

from .codes import format_code, normalize_code
from .models import AcademicRecord, Credential, CredentialRevocation, RecordType, VerificationReport

ID_NUMBER_CONTEXT = "id_number"  # the blind-index context accounts.Identity uses


def _signed_in(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)


def verify_url(code: str) -> str:
    """The public address where anyone checks a code."""
    return f"{settings.PUBLIC_ORIGIN}/verify/{code}"


def mask_holder_name(name: str) -> str:
    """``陈思远`` → ``陈*远``, ``李娜`` → ``李*``: enough to match a person in front of you, not to find one."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


# --- Credentials -------------------------------------------------------------------------------------------


def credential_by_source(*, source_key: str) -> Credential | None:
    return Credential.objects.filter(source_key=source_key).select_related("revocation").first()


def credentials_of(user: Any) -> QuerySet[Credential]:
    """The user's own credentials: issued to the account, or to their verified real name and ID number."""
    if not _signed_in(user):
        return Credential.objects.none()
    match = Q(holder_user=user)
    identity = identity_of(user)
    if identity is not None:
        match |= Q(holder_user__isnull=True, holder_id_index=identity.id_number_index, holder_name=identity.real_name)
    return Credential.objects.filter(match).select_related("revocation").order_by("-issued_on", "-id")


def access_credential(*, actor: Any, credential_id: int) -> Credential:
    """A credential for its holder; anybody else gets "not found"."""
    credential = credentials_of(actor).filter(pk=credential_id).first()
    if credential is None:
        raise NotFound
    return credential


@dataclass(frozen=True)
class Verification:
    """What the public verification page and API show for a valid code (read on the hot path, no model)."""

    code: str
    kind: str
    title: str
    holder_name: str
    holder_id_masked: str
    claims: list[list[str]]
    issuer_name: str
    issued_on: date
    valid_until: date | None

    @property
    def code_display(self) -> str:
        return format_code(self.code)

    @property
    def claim_items(self) -> list[tuple[str, str]]:
        return [(str(name), str(value)) for name, value in self.claims]

    @property
    def is_report(self) -> bool:
        return self.kind == Credential.Kind.ACADEMIC


@cache
def _verification_sql() -> str:
    credential = Credential._meta.db_table
    revocation = CredentialRevocation._meta.db_table
    columns = ", ".join(
        f"c.{name}"
        for name in (
            "code",
            "kind",
            "title",
            "holder_name",
            "holder_id_masked",
            "claims",
            "issuer_name",
            "issued_on",
            "valid_until",
        )
    )
    # Only table and column names from the models go into the text; the code is a bound parameter.
    return (
        f"SELECT {columns}, r.id FROM {credential} c "  # noqa: S608
        f"LEFT JOIN {revocation} r ON r.credential_id = c.id WHERE c.code = %s"
    )


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def credential_for_verification(*, code: str) -> Verification | None:
    """The credential behind a public code, valid today; missing, expired and revoked all answer None.

    The public hot path: one indexed query (the revocation joined in) on a plain cursor, so no ORM query is
    compiled and no model is built per request; only the columns the page shows are read (the sealed ID number
    stays unread)."""
    with connection.cursor() as cursor:
        cursor.execute(_verification_sql(), [normalize_code(code)])
        row = cursor.fetchone()
    if row is None:
        return None
    found_code, kind, title, holder_name, masked, claims, issuer_name, issued_on, valid_until, revoked = row
    valid_until = _as_date(valid_until)
    if revoked is not None or (valid_until is not None and valid_until < timezone.localdate()):
        return None
    return Verification(
        code=found_code,
        kind=kind,
        title=title,
        holder_name=holder_name,
        holder_id_masked=masked,
        claims=json.loads(claims) if isinstance(claims, str) else list(claims or []),
        issuer_name=issuer_name,
        issued_on=_as_date(issued_on) or timezone.localdate(),
        valid_until=valid_until,
    )


def access_credential_by_code(*, code: str) -> Verification:
    credential = credential_for_verification(code=code)
    if credential is None:
        raise NotFound
    return credential


def can_revoke_credential(actor: Any, credential: Credential) -> bool:
    """The issuer revokes: hall officers and platform admins, or the registrar of the issuing university."""
    if not _signed_in(actor):
        return False
    if is_platform_admin(actor) or has_role(actor, Role.HALL_OFFICER):
        return True
    return credential.issuer_organization_id is not None and has_role(
        actor, Role.REGISTRAR, organization=credential.issuer_organization
    )


def issued_by(actor: Any) -> QuerySet[Credential]:
    """Credentials the actor may revoke (for the issuer's list page)."""
    if not _signed_in(actor):
        return Credential.objects.none()
    qs = Credential.objects.select_related("revocation", "issuer_organization")
    if is_platform_admin(actor) or has_role(actor, Role.HALL_OFFICER):
        return qs
    return qs.filter(issuer_organization__in=organizations_where(actor, Role.REGISTRAR))


# --- Academic records --------------------------------------------------------------------------------------


def records_of(user: Any) -> QuerySet[AcademicRecord] | None:
    """The records whose ID number and name match the user's verified identity; None when they have none."""
    identity = identity_of(user) if _signed_in(user) else None
    if identity is None:
        return None
    return (
        AcademicRecord.objects.filter(id_number_index=identity.id_number_index, holder_name=identity.real_name)
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


def access_record(*, actor: Any, record_id: int) -> AcademicRecord:
    records = records_of(actor)
    record = records.filter(pk=record_id).first() if records is not None else None
    if record is None:
        raise NotFound
    return record


def registrar_universities(user: Any) -> QuerySet[Organization]:
    """Universities where the user may import records."""
    if not _signed_in(user):
        return Organization.objects.none()
    if is_platform_admin(user):
        return Organization.objects.filter(
            kind__in=[Organization.Kind.UNIVERSITY, Organization.Kind.VOCATIONAL], is_active=True
        ).order_by("name")
    return organizations_where(user, Role.REGISTRAR).order_by("name")


def can_import_records(actor: Any, university: Organization) -> bool:
    """Registrars of that university (and platform admins, through the admin) import its records."""
    if not _signed_in(actor):
        return False
    return is_platform_admin(actor) or has_role(actor, Role.REGISTRAR, organization=university)


# --- Verification reports ----------------------------------------------------------------------------------


def reports_of(user: Any) -> QuerySet[VerificationReport]:
    """The user's verification reports, newest first, with what their list shows."""
    if not _signed_in(user):
        return VerificationReport.objects.none()
    return (
        VerificationReport.objects.filter(holder_user=user)
        .select_related("credential__revocation", "record__university")
        .order_by("-created_at", "-id")
    )


def access_report(*, actor: Any, report_id: int) -> VerificationReport:
    """A report for its holder only; anybody else (and a missing id) gets "not found"."""
    report = reports_of(actor).filter(pk=report_id).first()
    if report is None:
        raise NotFound
    return report
