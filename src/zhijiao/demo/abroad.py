"""Service hall demo data for the abroad app (filled in with the app)."""

from __future__ import annotations

import random


def seed_abroad(*, rng: random.Random) -> dict[str, int]:
    return {}
