"""Writes of the credentials kernel: issuing, re-signing and revoking signed credentials.

Products issue through :func:`credential_issue` (exam scores, foreign-degree authentications, academic verification
reports); an issuer revokes through :func:`credential_revoke`; a product whose holders may withdraw their own
documents (``hall.records``' reports) records that with :func:`revocation_create` after its own check.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijiao.core.actors import Actor, Origin, signed_in
from zhijiao.core.audit import audit_actions
from zhijiao.core.crypto import blind_index
from zhijiao.core.errors import DomainError, NotFound
from zhijiao.core.identifiers import normalize_id_number
from zhijiao.core.masking import mask_id_number
from zhijiao.core.services import audit_record
from zhijiao.orgs.models import Organization

from . import selectors, vc
from .codes import new_code
from .models import Credential, CredentialRevocation

# What the audit log calls the actions recorded here.
AUDIT_ACTIONS = audit_actions(
    {
        "credential.revoke": gettext_lazy("撤销电子证书"),
    }
)


ID_NUMBER_CONTEXT = selectors.ID_NUMBER_CONTEXT
VC_TYPES: dict[str, str] = {
    Credential.Kind.EXAM_SCORE: "ExamScoreCredential",
    Credential.Kind.FOREIGN_DEGREE: "ForeignDegreeAuthenticationCredential",
    Credential.Kind.ACADEMIC: "AcademicRecordVerificationCredential",
}


def _local_moment(day: date, at: time) -> str:
    return timezone.make_aware(datetime.combine(day, at)).isoformat()


def id_number_digest(*, code: str, id_number: str) -> str:
    """What the credential carries instead of the ID number: someone shown the ID card can check it matches."""
    return hashlib.sha256(f"{code}:{id_number}".encode()).hexdigest()


def credential_document(credential: Credential) -> dict[str, Any]:
    """The W3C VC 2.0 document of a credential, as signed into its VC-JWT."""
    document: dict[str, Any] = {
        "@context": [vc.VC_CONTEXT],
        "id": selectors.verify_url(credential.code),
        "type": ["VerifiableCredential", VC_TYPES.get(credential.kind, "ZhijiaoCredential")],
        "issuer": {"id": vc.issuer_did(), "name": credential.issuer_name},
        "name": credential.title,
        "validFrom": _local_moment(credential.issued_on, time.min),
    }
    if credential.valid_until:
        document["validUntil"] = _local_moment(credential.valid_until, time(23, 59, 59))
    document["credentialSubject"] = {
        "name": credential.holder_name,
        "idNumberMasked": credential.holder_id_masked,
        # sha256("<code>:<ID number>"), so a verifier holding the ID card can confirm it is this person's.
        "idNumberDigest": id_number_digest(code=credential.code, id_number=credential.holder_id_number),
        "claims": [{"name": name, "value": value} for name, value in credential.claim_items],
    }
    document["verificationCode"] = credential.code
    return document


def credential_sign(credential: Credential) -> None:
    """Sign a credential (its VC-JWT) without saving it: for issuing and for bulk loads that save many at once."""
    credential.jwt = vc.sign_vc(credential_document(credential))


@transaction.atomic
def credential_issue(
    *,
    kind: str,
    source_key: str,
    holder_name: str,
    holder_id_number: str,
    title: str,
    claims: dict[str, str],
    issuer_name: str,
    issued_on: date,
    holder_user: Actor | None = None,
    valid_until: date | None = None,
    issuer_organization: Organization | None = None,
    code: str | None = None,
) -> Credential:
    """Sign a credential for a holder; issuing again for the same source returns the first one unchanged.

    ``code`` is for issuers whose source key names the code (a report is its own source) and for reproducible demo
    data; everything else gets a fresh code from ``secrets``."""
    existing = selectors.credential_by_source(source_key=source_key)
    if existing is not None:
        return existing
    number = normalize_id_number(holder_id_number)
    name = " ".join((holder_name or "").split())
    if not name:
        raise ValidationError({"holder_name": [_("请填写持有人姓名")]})
    if valid_until is not None and valid_until < issued_on:
        raise ValidationError({"valid_until": [_("有效期不能早于颁发日期")]})
    credential = Credential(
        kind=kind,
        source_key=source_key,
        code=code or new_code(),
        holder_user=holder_user if signed_in(holder_user) else None,
        holder_name=name,
        holder_id_number=number,
        holder_id_index=blind_index(number, context=ID_NUMBER_CONTEXT),
        holder_id_masked=mask_id_number(number),
        title=title,
        claims=[[str(key), str(value)] for key, value in claims.items()],
        issuer_name=issuer_name,
        issuer_organization=issuer_organization,
        issued_on=issued_on,
        valid_until=valid_until,
    )
    credential_sign(credential)
    credential.full_clean()
    try:
        with transaction.atomic():
            credential.save()
    except IntegrityError:
        # Another request issued the same source at the same moment: theirs stands.
        existing = selectors.credential_by_source(source_key=source_key)
        if existing is None:
            raise
        return existing
    return credential


def _clean_reason(reason: str) -> str:
    text = " ".join((reason or "").split())
    if not text:
        raise ValidationError({"reason": [_("请填写撤销原因")]})
    if len(text) > 200:
        raise ValidationError({"reason": [_("撤销原因最多 200 个字")]})
    return text


def credential_set_valid_until(*, credential: Credential, valid_until: date) -> Credential:
    """A new end of validity, signed into the credential again (a holder extends their report).

    ``credential`` comes locked from ``selectors.credential_for_update``; the caller has checked who may."""
    credential.valid_until = valid_until
    credential_sign(credential)
    credential.save(update_fields=["valid_until", "jwt", "updated_at"])
    return credential


def revocation_create(*, credential: Credential, actor: Actor, reason: str) -> CredentialRevocation:
    """The credential stops verifying at once; a credential is revoked at most once (409 the second time).

    The caller has decided that ``actor`` may: :func:`credential_revoke` for issuers, a product's own service for
    holders withdrawing their documents."""
    if credential.is_revoked:
        raise DomainError("already_revoked", _("该证书已撤销"), status=409)
    revocation = CredentialRevocation(
        credential=credential, reason=reason, revoked_by=actor if signed_in(actor) else None
    )
    revocation.full_clean(exclude=["credential"])
    try:
        with transaction.atomic():
            revocation.save()
    except IntegrityError as exc:
        raise DomainError("already_revoked", _("该证书已撤销"), status=409) from exc
    credential.revocation = revocation
    return revocation


@transaction.atomic
def credential_revoke(*, actor: Actor, credential_id: int, reason: str, origin: Origin | None = None) -> Credential:
    """The issuer withdraws a credential with a reason; its code stops verifying at once."""
    credential = (
        Credential.objects.select_for_update(of=("self",))
        .select_related("issuer_organization")
        .filter(pk=credential_id)
        .first()
    )
    if credential is None or not selectors.can_revoke_credential(actor, credential):
        if credential is not None:
            audit_record(action="credential.revoke", actor=actor, obj=credential, result="denied", origin=origin)
        raise NotFound
    text = _clean_reason(reason)
    revocation_create(credential=credential, actor=actor, reason=text)
    audit_record(
        action="credential.revoke",
        actor=actor,
        obj=credential,
        detail={"reason": text, "kind": credential.kind, "source_key": credential.source_key},
        origin=origin,
    )
    holder = credential.holder_user
    if holder is not None:
        title = credential.title

        def notify() -> None:
            from zhijiao.notifications.services import notify as send

            send(user=holder, title=_("您的证书已被撤销：%(title)s") % {"title": title}, body=text, kind="credentials")

        transaction.on_commit(notify)
    return credential
