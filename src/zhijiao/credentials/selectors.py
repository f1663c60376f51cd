"""Reads of the credentials kernel and its permission questions, each answered in one place."""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from zhijiao.accounts.selectors import real_name_of
from zhijiao.core.actors import Actor, signed_in
from zhijiao.core.errors import NotFound
from zhijiao.core.ratelimit import parse_rate
from zhijiao.orgs.models import Role
from zhijiao.orgs.selectors import has_role, is_platform_admin, organizations_where

# Who issues each document type: read by the products through this module.
from .authorities import Authority as Authority
from .authorities import authority as authority
from .codes import normalize_code
from .models import Credential, CredentialRevocation
from .verification import Verification, resolvers

ID_NUMBER_CONTEXT = "id_number"  # the blind-index context accounts.Identity uses


def verify_url(code: str) -> str:
    """The public address where anyone checks a code."""
    return f"{settings.PUBLIC_ORIGIN}/verify/{code}"


def verify_rate() -> tuple[int, int]:
    """(requests, seconds) one address may verify codes in, on the page and in the API alike: public verification
    is cheap to answer but must not be a free oracle (``settings.VERIFY_RATE_LIMIT``)."""
    return parse_rate(settings.VERIFY_RATE_LIMIT)


def mask_holder_name(name: str) -> str:
    """``陈思远`` → ``陈*远``, ``李娜`` → ``李*``: enough to match a person in front of you, not to find one."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def credential_by_source(*, source_key: str) -> Credential | None:
    return Credential.objects.filter(source_key=source_key).select_related("revocation").first()


def credentials_of(user: Actor) -> QuerySet[Credential]:
    """The user's own credentials: issued to the account, or to their verified real name and ID number."""
    if not signed_in(user):
        return Credential.objects.none()
    match = Q(holder_user=user)
    holder = real_name_of(user)
    if holder is not None:
        match |= Q(holder_user__isnull=True, holder_id_index=holder.id_number_index, holder_name=holder.name)
    return Credential.objects.filter(match).select_related("revocation").order_by("-issued_on", "-id")


def access_credential(*, actor: Actor, credential_id: int) -> Credential:
    """A credential for its holder; anybody else gets "not found"."""
    credential = credentials_of(actor).filter(pk=credential_id).first()
    if credential is None:
        raise NotFound
    return credential


def credential_pdf(credential: Credential) -> bytes:
    """What a holder downloads: the credential as a one-page Chinese PDF with its code and a QR code of the
    verification page (drawn by ``pdf``; reportlab is loaded on the first download, not with every import)."""
    from .pdf import credential_pdf as draw

    return draw(credential)


def credential_json(credential: Credential) -> dict[str, Any]:
    """The same credential as a W3C Verifiable Credential: ``{"jwt", "header", "credential", "jwks"}``."""
    from .pdf import credential_json as as_json

    return as_json(credential)


def credential_for_update(*, credential_id: int) -> Credential:
    """A credential with its row locked until the caller's transaction ends (and its revocation, if any), for an
    issuer's service that changes it (``hall.records`` extending or withdrawing a report); the caller has checked
    who may."""
    credential = (
        Credential.objects.select_for_update(of=("self",)).select_related("revocation").filter(pk=credential_id).first()
    )
    if credential is None:
        raise NotFound
    return credential


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
    return _credential_lookup(normalize_code(code))[1]


def _credential_lookup(code: str) -> tuple[bool, Verification | None]:
    """(whether a credential has this normalised code, its verification when it is valid today)."""
    with connection.cursor() as cursor:
        cursor.execute(_verification_sql(), [code])
        row = cursor.fetchone()
    if row is None:
        return False, None
    found_code, kind, title, holder_name, masked, claims, issuer_name, issued_on, valid_until, revoked = row
    valid_until = _as_date(valid_until)
    if revoked is not None or (valid_until is not None and valid_until < timezone.localdate()):
        return True, None
    return True, Verification(
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


def verification_of(*, code: str) -> Verification | None:
    """What ``/verify/<code>`` shows: the kernel's credential behind the code, else a registered product's document
    (``verification.register_verifier``); None for unknown, expired and revoked codes alike.

    The kernel's lookup goes first and answers alone when the code is one of its credentials (one query, found or
    not, with no product registering a resolver); resolvers run only for codes no credential has."""
    normalized = normalize_code(code)
    if not normalized:
        return None
    found, verification = _credential_lookup(normalized)
    if found:
        return verification
    for resolve in resolvers():
        verification = resolve(normalized)
        if verification is not None:
            return verification
    return None


def access_verification(*, code: str) -> Verification:
    """The same as :func:`verification_of`, for the API: "not found" when there is nothing valid to show."""
    verification = verification_of(code=code)
    if verification is None:
        raise NotFound
    return verification


def can_revoke_credential(actor: Actor, credential: Credential) -> bool:
    """The issuer revokes: hall officers and platform admins, or the registrar of the issuing university."""
    if not signed_in(actor):
        return False
    if is_platform_admin(actor) or has_role(actor, Role.HALL_OFFICER):
        return True
    return credential.issuer_organization_id is not None and has_role(
        actor, Role.REGISTRAR, organization=credential.issuer_organization
    )


def issued_by(actor: Actor) -> QuerySet[Credential]:
    """Credentials the actor may revoke (for the issuer's list page)."""
    if not signed_in(actor):
        return Credential.objects.none()
    qs = Credential.objects.select_related("revocation", "issuer_organization")
    if is_platform_admin(actor) or has_role(actor, Role.HALL_OFFICER):
        return qs
    return qs.filter(issuer_organization__in=organizations_where(actor, Role.REGISTRAR))
