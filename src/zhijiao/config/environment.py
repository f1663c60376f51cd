"""Reading settings from the environment, each value checked when the process starts.

A wrong value stops the start with :class:`ConfigurationError`: one line that names the variable, says what is
wrong and what is expected (``zhijiao`` prints it without a traceback and exits with status 2). Checking here,
not where a value is first used, is what keeps a malformed ``DATA_ENCRYPTION_KEY`` from starting fine and failing
at the first ID-number lookup. Plain functions, no Django: ``settings.py`` calls them while Django is not set up.
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
import re
import zoneinfo
from collections.abc import Iterable
from urllib.parse import SplitResult, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off"}
# The rates core.ratelimit.parse_rate reads: "60/min", "5/10m", "10/h", "30/d".
RATE = re.compile(r"^\d+/\d*(s|sec|m|min|h|hour|d|day)$")
DATABASE_SCHEMES = {"sqlite", "postgres", "postgresql", "pgsql"}
REDIS_SCHEMES = {"redis", "rediss", "unix"}


class ConfigurationError(ImproperlyConfigured):
    """A setting from the environment is wrong; the message is one line naming the variable (never quoting a URL
    or key, which may hold a password)."""

    def __init__(self, name: str, problem: str) -> None:
        self.name = name
        super().__init__(f"{name}: {problem}")


def raw(name: str, default: str = "") -> str:
    value = os.environ.get(name)
    return default if value is None or value.strip() == "" else value.strip()


def env_bool(name: str, default: bool) -> bool:
    value = raw(name).lower()
    if not value:
        return default
    if value in TRUE | FALSE:
        return value in TRUE
    raise ConfigurationError(name, f"{value!r} is not on or off (use 1/0, true/false, yes/no or on/off)")


def env_int(name: str, default: int, *, minimum: int | None = 0) -> int:
    value = raw(name, str(default))
    try:
        number = int(value)
    except ValueError:
        raise ConfigurationError(name, f"{value!r} is not a whole number") from None
    if minimum is not None and number < minimum:
        raise ConfigurationError(name, f"{number} is below the smallest allowed value, {minimum}")
    return number


def env_float(name: str, default: float, *, minimum: float = 0.0) -> float:
    value = raw(name, str(default))
    try:
        number = float(value)
    except ValueError:
        raise ConfigurationError(name, f"{value!r} is not a number") from None
    if number != number or number in (float("inf"), float("-inf")) or number < minimum:  # NaN, infinities
        raise ConfigurationError(name, f"{value!r} must be a finite number of at least {minimum:g}")
    return number


def env_rate(name: str, default: str) -> str:
    value = raw(name, default)
    if not RATE.match(value) or value.startswith("0/"):
        raise ConfigurationError(name, f"{value!r} is not a rate such as 60/min, 10/h, 30/d or 5/10m")
    return value


def env_choice(name: str, default: str, choices: Iterable[str]) -> str:
    value = raw(name, default)
    allowed = list(choices)
    if value not in allowed:
        raise ConfigurationError(name, f"{value!r} is not one of {', '.join(allowed)}")
    return value


def check_key(name: str, value: str, *, size: int = 32) -> str:
    """A key of ``size`` random bytes in URL-safe base64 (padding optional), as ``var/`` generates them."""
    try:
        decoded = base64.urlsafe_b64decode(value.encode() + b"=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        decoded = b""
    if len(decoded) < size or not re.fullmatch(r"[A-Za-z0-9_-]+=*", value):
        raise ConfigurationError(
            name,
            f"must be {size} random bytes in URL-safe base64, e.g. python -c "
            f'"import base64, os; print(base64.urlsafe_b64encode(os.urandom({size})).decode())"',
        )
    return value


def _check_port(name: str, parts: SplitResult) -> None:
    try:
        _ = parts.port
    except ValueError:
        raise ConfigurationError(name, "has a port that is not a number") from None


def check_database_url(name: str, value: str) -> str:
    scheme = urlsplit(value).scheme
    if scheme not in DATABASE_SCHEMES:
        raise ConfigurationError(
            name, f"unsupported database {scheme or value!r} (use sqlite:///path or postgres://user:pass@host:5432/db)"
        )
    parts = urlsplit(value)
    if scheme != "sqlite" and not (parts.hostname or parts.path.strip("/")):
        raise ConfigurationError(name, "names no PostgreSQL database (postgres://user:pass@host:5432/db)")
    _check_port(name, parts)
    return value


def check_redis_url(name: str, value: str) -> str:
    if not value:
        return value
    parts = urlsplit(value)
    if parts.scheme not in REDIS_SCHEMES or (parts.scheme != "unix" and not parts.hostname):
        raise ConfigurationError(name, "is not a Redis address (redis://host:6379/0, rediss://… or unix://…)")
    _check_port(name, parts)
    return value


def check_origin(name: str, value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.path not in {"", "/"}:
        raise ConfigurationError(name, f"{value!r} is not an origin such as https://edu.example.gov.cn")
    return value


def check_origins(name: str, values: list[str]) -> list[str]:
    """Each entry a scheme and host (``https://edu.example.gov.cn``, ``https://*.example.gov.cn``)."""
    for value in values:
        if not value.startswith(("http://", "https://")) or not urlsplit(value).netloc:
            raise ConfigurationError(name, f"{value!r} is not an origin such as https://edu.example.gov.cn")
    return values


def check_email_url(name: str, value: str) -> str:
    if not (value.startswith("file://") or value.startswith("smtp://")):
        raise ConfigurationError(name, "is neither smtp://user:password@host:587 nor file://")
    if value.startswith("smtp://"):
        parts = urlsplit(value)
        if not parts.hostname:
            raise ConfigurationError(name, "names no mail server (smtp://user:password@host:587)")
        try:
            _ = parts.port
        except ValueError:
            raise ConfigurationError(name, "has a port that is not a number") from None
    return value


def check_time_zone(name: str, value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ConfigurationError(name, f"{value!r} is not a time zone such as Asia/Shanghai") from None
    return value


def check_log_level(name: str, value: str) -> str:
    if not isinstance(logging.getLevelName(value.upper()), int):
        raise ConfigurationError(name, f"{value!r} is not one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
    return value.upper()
