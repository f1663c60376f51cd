"""Service hall demo data for the credentials app (filled in with the app)."""

from __future__ import annotations

import random


def seed_credentials(*, rng: random.Random) -> dict[str, int]:
    return {}
