"""Verifiable credentials: W3C VC Data Model 2.0 documents secured as VC-JWT (JOSE compact JWS, EdDSA/Ed25519).

The platform signs with one Ed25519 key (``settings.CREDENTIAL_SIGNING_KEY``, 32 raw bytes in URL-safe base64).
The issuer is a ``did:web`` identifier derived from ``settings.PUBLIC_ORIGIN`` (``http://localhost:8000`` →
``did:web:localhost%3A8000``); its public key is published twice, at ``/.well-known/jwks.json`` (a JWK Set) and
at ``/.well-known/did.json`` (a DID document whose verification method is a ``JsonWebKey``), both with the key id
``<did>#key-1`` that every token names in its ``kid`` header.

A token is ``base64url(header) . base64url(payload) . base64url(signature)`` with the header
``{"alg": "EdDSA", "typ": "vc+jwt", "kid": "<did>#key-1"}`` and the credential itself as the payload.

How a third party verifies a downloaded credential offline
-----------------------------------------------------------
They need the JSON file the holder downloaded (``{"jwt": "...", "credential": {...}}``) and the platform's
published key set, fetched once and kept. With nothing but the ``cryptography`` package::

    import base64, json
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    def b64(text):
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))

    token = json.load(open("credential.json"))["jwt"]
    jwks = json.load(open("jwks.json"))                       # saved from https://<platform>/.well-known/jwks.json
    header_b64, payload_b64, signature_b64 = token.split(".")
    header = json.loads(b64(header_b64))
    assert header["alg"] == "EdDSA" and header["typ"] == "vc+jwt"
    jwk = next(k for k in jwks["keys"] if k["kid"] == header["kid"])
    key = Ed25519PublicKey.from_public_bytes(b64(jwk["x"]))
    key.verify(b64(signature_b64), f"{header_b64}.{payload_b64}".encode())   # raises InvalidSignature if forged
    credential = json.loads(b64(payload_b64))
    print(credential["credentialSubject"], credential.get("validUntil"))

``verify_vc_jwt`` below does the same (and checks the validity period). A signature proves the platform issued
exactly this content; whether it was revoked since is answered online at the ``id`` address (``/verify/<code>``).
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from functools import lru_cache
from typing import Any
from urllib.parse import quote, urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings

ALG = "EdDSA"
TYP = "vc+jwt"
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"


class InvalidCredential(Exception):
    """The token is malformed, signed by another key, altered, or outside its validity period."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise InvalidCredential("not base64url") from exc


def _canonical(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=False).encode()


# --- The platform's key and identifier -------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _private_key(encoded: str) -> Ed25519PrivateKey:
    raw = b64url_decode(encoded.strip())
    if len(raw) != 32:
        raise ValueError("CREDENTIAL_SIGNING_KEY must be 32 raw bytes in URL-safe base64")
    return Ed25519PrivateKey.from_private_bytes(raw)


def signing_key() -> Ed25519PrivateKey:
    return _private_key(settings.CREDENTIAL_SIGNING_KEY)


def public_key_bytes(key: Ed25519PrivateKey | None = None) -> bytes:
    return (key or signing_key()).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def issuer_did(origin: str | None = None) -> str:
    """``did:web`` of the platform: the host (its port's colon percent-encoded), then any path segments."""
    parts = urlsplit(origin or settings.PUBLIC_ORIGIN)
    did = "did:web:" + quote(parts.netloc, safe="")
    segments = [quote(segment, safe="") for segment in parts.path.split("/") if segment]
    return ":".join([did, *segments])


def key_id() -> str:
    return f"{issuer_did()}#key-1"


def public_jwk(key: Ed25519PrivateKey | None = None) -> dict[str, str]:
    """The public key as an OKP/Ed25519 JWK (RFC 8037) with its key id."""
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": b64url(public_key_bytes(key)),
        "kid": key_id(),
        "use": "sig",
        "alg": ALG,
    }


def jwks() -> dict[str, Any]:
    return {"keys": [public_jwk()]}


def did_document() -> dict[str, Any]:
    """The DID document served at /.well-known/did.json (did:web method)."""
    did = issuer_did()
    jwk = {k: v for k, v in public_jwk().items() if k in ("kty", "crv", "x")}
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/jwk/v1"],
        "id": did,
        "verificationMethod": [{"id": key_id(), "type": "JsonWebKey", "controller": did, "publicKeyJwk": jwk}],
        "assertionMethod": [key_id()],
        "authentication": [key_id()],
    }


# --- Signing and verifying -------------------------------------------------------------------------------------


def sign_vc(credential: dict[str, Any], *, key: Ed25519PrivateKey | None = None, kid: str | None = None) -> str:
    """The credential as a compact JWS (VC-JWT) signed with the platform key."""
    header = {"alg": ALG, "typ": TYP, "kid": kid or key_id()}
    signing_input = f"{b64url(_canonical(header))}.{b64url(_canonical(credential))}"
    signature = (key or signing_key()).sign(signing_input.encode("ascii"))
    return f"{signing_input}.{b64url(signature)}"


def decode_unverified(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(header, payload) of a token without checking the signature: only for display of a known-good token."""
    parts = (token or "").split(".")
    if len(parts) != 3:
        raise InvalidCredential("not a compact JWS")
    try:
        header = json.loads(b64url_decode(parts[0]))
        payload = json.loads(b64url_decode(parts[1]))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidCredential("header or payload is not JSON") from exc
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise InvalidCredential("header or payload is not a JSON object")
    return header, payload


def _pick_key(header: dict[str, Any], keys: dict[str, Any]) -> dict[str, Any]:
    candidates = keys.get("keys") if "keys" in keys else [keys]
    if not isinstance(candidates, list):
        raise InvalidCredential("no keys")
    kid = header.get("kid")
    for jwk in candidates:
        if isinstance(jwk, dict) and (kid is None or jwk.get("kid") in (None, kid)):
            return jwk
    raise InvalidCredential("no key with this kid")


def verify_vc_jwt(token: str, keys: dict[str, Any], *, at: datetime | None = None) -> dict[str, Any]:
    """Check a VC-JWT offline against a JWK or a JWK Set; answer the credential, or raise InvalidCredential.

    ``at`` (an aware datetime, default: now) is checked against ``validFrom``/``validUntil``.
    """
    header, payload = decode_unverified(token)
    if header.get("alg") != ALG or header.get("typ") != TYP:
        raise InvalidCredential("unexpected alg or typ")
    jwk = _pick_key(header, keys)
    if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519" or not isinstance(jwk.get("x"), str):
        raise InvalidCredential("not an Ed25519 key")
    raw = b64url_decode(jwk["x"])
    if len(raw) != 32:
        raise InvalidCredential("bad key length")
    signing_input, _, signature = token.rpartition(".")
    try:
        Ed25519PublicKey.from_public_bytes(raw).verify(b64url_decode(signature), signing_input.encode("ascii"))
    except (InvalidSignature, UnicodeEncodeError) as exc:
        raise InvalidCredential("signature does not match") from exc
    if VC_CONTEXT not in (payload.get("@context") or []) or "VerifiableCredential" not in (payload.get("type") or []):
        raise InvalidCredential("not a W3C verifiable credential")
    now = at or datetime.now().astimezone()
    for name, too_early in (("validFrom", True), ("validUntil", False)):
        value = payload.get(name)
        if not value:
            continue
        try:
            moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError as exc:
            raise InvalidCredential(f"bad {name}") from exc
        if (too_early and now < moment) or (not too_early and now > moment):
            raise InvalidCredential("outside the validity period")
    return payload
