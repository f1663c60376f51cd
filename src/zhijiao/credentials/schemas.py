"""Shapes of the credentials kernel's API (verification, the holder's credentials, revocation)."""

from __future__ import annotations

from datetime import date
from typing import Any

from ninja import Schema
from pydantic import Field

from zhijiao.core.api_parser import InSchema


class CredentialClaimOut(Schema):
    name: str
    value: str


class CredentialVerificationOut(Schema):
    """What the public sees for a valid code: the masked holder, the title, the claims and the validity."""

    code: str
    kind: str
    title: str
    holder_name: str = Field(description="姓名（部分隐藏，如 陈*远）")
    holder_id_masked: str
    claims: list[CredentialClaimOut]
    issuer_name: str
    issued_on: date
    valid_until: date | None


class CredentialRevokeIn(InSchema):
    reason: str = Field(default="", max_length=200)


class CredentialOut(Schema):
    id: int
    kind: str
    title: str
    code: str
    verify_url: str
    issuer_name: str
    issued_on: date
    valid_until: date | None
    revoked: bool


class CredentialJsonOut(Schema):
    jwt: str
    header: dict[str, Any]
    credential: dict[str, Any]
    jwks: str
