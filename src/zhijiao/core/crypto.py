"""Sealing personal data at rest: AES-256-GCM for the value, a keyed HMAC blind index for exact lookups.

Both keys are derived from ``DATA_ENCRYPTION_KEY`` with HKDF under different labels, so the index reveals
nothing about the ciphertext key. Ciphertexts carry a version byte to allow key rotation later.
"""

import base64
import hashlib
import hmac
import os
from functools import cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_VERSION = b"\x01"


def _derive(label: bytes) -> bytes:
    master = base64.urlsafe_b64decode(settings.DATA_ENCRYPTION_KEY.encode() + b"==")
    if len(master) < 32:
        raise ValueError("DATA_ENCRYPTION_KEY must decode to at least 32 bytes")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=label).derive(master)


@cache
def _aead_key() -> bytes:
    return _derive(b"zhijiao/pii/aes-gcm/v1")


@cache
def _index_key() -> bytes:
    return _derive(b"zhijiao/pii/blind-index/v1")


def seal(plaintext: str, *, context: str) -> str:
    """Encrypt ``plaintext``; ``context`` (e.g. the field name) is bound in as associated data."""
    nonce = os.urandom(12)
    box = AESGCM(_aead_key()).encrypt(nonce, plaintext.encode(), context.encode())
    return base64.urlsafe_b64encode(_VERSION + nonce + box).decode()


def unseal(token: str, *, context: str) -> str:
    raw = base64.urlsafe_b64decode(token.encode())
    if raw[:1] != _VERSION:
        raise ValueError("unknown ciphertext version")
    return AESGCM(_aead_key()).decrypt(raw[1:13], raw[13:], context.encode()).decode()


def blind_index(value: str, *, context: str) -> str:
    """A stable keyed digest of ``value`` for equality lookups without decrypting every row."""
    return hmac.new(_index_key(), f"{context}\x00{value}".encode(), hashlib.sha256).hexdigest()
