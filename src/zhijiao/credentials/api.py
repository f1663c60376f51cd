"""The credentials kernel's API at /api/v1/credentials/: public verification by code (whatever the kernel or a
registered product finds behind it), the holder's credentials, issuers' revocations. The academic records mount
their operations under the same prefix (``zhijiao.hall.records.api``). Thin: every operation calls one selector or
service."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from zhijiao.core.actors import Origin
from zhijiao.core.api_auth import session_or_token
from zhijiao.core.api_errors import ErrorOut
from zhijiao.core.params import Id
from zhijiao.core.ratelimit import rate_limit

from . import selectors, services
from .models import Credential
from .schemas import CredentialJsonOut, CredentialOut, CredentialRevokeIn, CredentialVerificationOut

router = Router(tags=["credentials"], auth=session_or_token)
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}


def _credential_out(credential: Credential) -> dict[str, Any]:
    return {
        "id": credential.pk,
        "kind": credential.kind,
        "title": credential.title,
        "code": credential.code_display,
        "verify_url": selectors.verify_url(credential.code),
        "issuer_name": credential.issuer_name,
        "issued_on": credential.issued_on,
        "valid_until": credential.valid_until,
        "revoked": credential.is_revoked,
    }


@router.get(
    "/verify/{code}",
    response={200: CredentialVerificationOut, **ERRORS},
    auth=None,
    operation_id="credentials_verify",
    summary="按验证码验证（公开；无效、过期与撤销的验证码同样答复“找不到”）",
)
def verify(request: HttpRequest, code: str) -> Any:
    limit, window = selectors.verify_rate()
    rate_limit(request, "credentials.verify", limit, window)
    verification = selectors.access_verification(code=code)
    return {
        "code": verification.code_display,
        "kind": verification.kind,
        "title": verification.title,
        "holder_name": selectors.mask_holder_name(verification.holder_name),
        "holder_id_masked": verification.holder_id_masked,
        "claims": [{"name": name, "value": value} for name, value in verification.claim_items],
        "issuer_name": verification.issuer_name,
        "issued_on": verification.issued_on,
        "valid_until": verification.valid_until,
    }


@router.get(
    "/credentials",
    response={200: list[CredentialOut], **ERRORS},
    operation_id="credentials_mine",
    summary="我的电子证书",
)
def credentials_mine(request: HttpRequest) -> Any:
    return [_credential_out(credential) for credential in selectors.credentials_of(request.user)[:200]]


@router.get(
    "/credentials/{credential_id}/json",
    response={200: CredentialJsonOut, **ERRORS},
    operation_id="credentials_credential_json",
    summary="下载可验证凭证（VC-JWT 及其解码内容）",
)
def credential_download(request: HttpRequest, credential_id: Id) -> Any:
    return selectors.credential_json(selectors.access_credential(actor=request.user, credential_id=credential_id))


@router.post(
    "/credentials/{credential_id}/revoke",
    response={200: CredentialOut, **ERRORS},
    operation_id="credentials_credential_revoke",
    summary="颁发方撤销证书（须填写原因）",
)
def credential_revoke(request: HttpRequest, credential_id: Id, data: CredentialRevokeIn) -> Any:
    credential = services.credential_revoke(
        actor=request.user, credential_id=credential_id, reason=data.reason, origin=Origin.of(request)
    )
    return _credential_out(credential)
