"""The proof-of-work captcha (ALTCHA, self-hosted: no third-party service sees anything).

A challenge is signed with an HMAC key derived from ``SECRET_KEY``; in ALTCHA's deterministic mode the server
picks the counter, so the browser has to try up to ``HALL_CAPTCHA_MAX_COUNTER`` counters of an iterated SHA-256
and the server checks the answer with one HMAC (the derived key is signed too). A solved challenge is claimed in
the database's shared counters (``core.counters``) until it expires, so one solution is accepted once, by whichever
process or server sees it first, with or without Redis.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from functools import cache
from typing import Any

import altcha
from django.conf import settings

from zhijiao.core import counters

ALGORITHM = "SHA-256"


@cache
def _keys(secret: str) -> tuple[bytes, bytes]:
    base = hmac.new(secret.encode(), b"zhijiao/hall/altcha/v1", hashlib.sha256).digest()
    return (
        hmac.new(base, b"challenge", hashlib.sha256).digest(),
        hmac.new(base, b"derived-key", hashlib.sha256).digest(),
    )


def _secrets() -> tuple[bytes, bytes]:
    return _keys(settings.SECRET_KEY)


def max_counter() -> int:
    return int(getattr(settings, "HALL_CAPTCHA_MAX_COUNTER", 50_000))


def cost() -> int:
    return int(getattr(settings, "HALL_CAPTCHA_COST", 4))


def ttl_seconds() -> int:
    return int(getattr(settings, "HALL_CAPTCHA_TTL_SECONDS", 600))


def challenge_new() -> dict[str, Any]:
    """A fresh signed challenge as the ALTCHA widget expects it (``{"parameters": …, "signature": …}``)."""
    hmac_secret, key_secret = _secrets()
    challenge = altcha.create_challenge(
        ALGORITHM,
        cost(),
        counter=secrets.randbelow(max_counter()),
        key_length=32,
        expires_at=int(time.time()) + ttl_seconds(),
        hmac_secret=hmac_secret,
        hmac_key_secret=key_secret,
    )
    return challenge.to_dict()


def solution_accept(payload: str) -> bool:
    """Whether ``payload`` (the widget's base64 answer) solves a challenge of ours that was not used before."""
    if not payload or len(payload) > 4000:
        return False
    hmac_secret, key_secret = _secrets()
    try:
        result = altcha.verify_solution(payload, hmac_secret, hmac_key_secret=key_secret)
    except (ValueError, TypeError, KeyError, AttributeError):
        return False
    if not result.verified:
        return False
    parsed = altcha.Payload.from_base64(payload)
    expires_at = parsed.challenge.parameters.expires_at or int(time.time()) + ttl_seconds()
    remaining = max(1, int(expires_at - time.time()) + 1)
    # One atomic upsert: of two requests with the same solution only the first claims it.
    return counters.claim_once(f"hall:altcha:used:{parsed.challenge.signature}", remaining)


def solve_for_tests(challenge: dict[str, Any]) -> str:
    """Solve a challenge the way the widget does (tests and the benchmark use it)."""
    parsed = altcha.Challenge.from_dict(challenge)
    solution = altcha.solve_challenge(parsed)
    if solution is None:  # pragma: no cover - only on timeout
        raise RuntimeError("challenge not solved")
    return altcha.Payload(parsed, solution).to_base64()
