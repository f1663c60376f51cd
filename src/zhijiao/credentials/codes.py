"""Public verification codes: 20 characters from a 31-character alphabet without look-alikes (no 0/O, 1/I/L),
drawn with ``secrets``: 20 × log2(31) ≈ 99 bits, so guessing one is hopeless even without the rate limit.

Shown in groups of four (``ABCD-EFGH-JKMN-PQRS-TUVW``); typed with or without dashes, spaces or lower case.
"""

import random
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 20
_ALLOWED = frozenset(ALPHABET)


def new_code(rng: random.Random | None = None) -> str:
    """A fresh code from the system's secure generator (``rng`` only for reproducible demo data)."""
    choice = rng.choice if rng is not None else secrets.choice
    return "".join(choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str) -> str:
    """A typed code in its stored form; anything that cannot be a code becomes "" (and is simply not found)."""
    code = "".join(ch for ch in (text or "")[:64].upper() if ch.isalnum())
    if len(code) != CODE_LENGTH or not set(code) <= _ALLOWED:
        return ""
    return code


def format_code(code: str) -> str:
    """A code in groups of four, as printed and read aloud."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
