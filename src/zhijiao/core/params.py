"""Whole numbers from outside — URL paths, query strings, form fields, API parameters — read in one place.

Every table's key is a 64-bit integer: a number beyond it cannot name a row, and handing it to the database fails
(SQLite: ``OverflowError``). ``str.isdigit()`` is no test either: ``"²"`` passes it and ``int("²")`` raises. So:

- URL paths use the ``<id:name>`` converter (registered by the core app): digits only, at most :data:`MAX_ID`; a
  longer number is simply a path that does not exist (404).
- Query strings go through :func:`query_int` / :func:`parse_int` / :func:`page_number`: a missing, malformed or
  out-of-range value reads as "not given".
- Forms use :class:`IdField` (and Django's ``IntegerField`` with bounds) — a bad value is a field error.
- The API's schemas and parameters use :data:`Id` and :data:`Int` — a bad value is a 422 naming the field.
"""

import re
from decimal import Decimal
from typing import Annotated, Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from pydantic import Field

MAX_ID = 2**63 - 1
"""The largest value a 64-bit signed integer column holds (every primary key here is one)."""

MAX_PAGE = 10_000
"""No listing is paged further than this; a larger page number reads as the last page."""

_DIGITS = re.compile(r"[0-9]{1,19}")
_SIGNED = re.compile(r"-?[0-9]{1,19}")


def parse_int(value: Any, *, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    """``value`` as a whole number in ``[minimum, maximum]`` written in ASCII digits; None for anything else."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and _SIGNED.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        return None
    return number if minimum <= number <= maximum else None


def query_int(request: HttpRequest, name: str, *, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    """The query-string parameter ``name`` as a whole number in range, or None when missing or malformed."""
    return parse_int(request.GET.get(name), minimum=minimum, maximum=maximum)


def parse_ids(values: Any, *, limit: int = 200) -> list[int]:
    """The valid ids among ``values`` (strings or numbers), at most ``limit`` of them, in their order."""
    found = (parse_int(value) for value in values)
    return [value for value in found if value is not None][:limit]


def page_number(value: Any, *, maximum: int = MAX_PAGE) -> int:
    """A page number from a query string: 1 for anything that is not a positive number, at most ``maximum``."""
    if isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        return max(1, min(int(value.strip()), maximum))
    return 1


class IdConverter:
    """``<id:name>`` in a URL: a database id, digits only and at most :data:`MAX_ID`."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError(value)  # the resolver tries the next pattern, then answers 404
        return number

    def to_url(self, value: Any) -> str:
        return str(int(value))


class IdField(forms.IntegerField):
    """A form field for a database id (a positive 64-bit number)."""

    default_error_messages = {"invalid": _("请输入有效的编号")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
"""An API parameter or schema field that names a row: a positive 64-bit number (else a 422 naming the field)."""

Int = Annotated[int, Field(ge=-MAX_ID, le=MAX_ID)]
"""Any other whole number the API reads: within 64 bits, so it can be stored and compared."""


# --- Text ---------------------------------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
"""The same rule as a JSON Schema pattern, for the OpenAPI description of every text the API reads."""

FILLED_TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*[^\s\x00-\x1f\x7f][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
"""Text that is not blank (a character other than a space) and holds no control character: a required name."""

Percent = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]
"""A percentage the API reads (a weight, a pass line): 0–100 with at most two decimal places."""

SCORE_MAX = Decimal("99999.99")

Score = Annotated[Decimal, Field(ge=0, le=SCORE_MAX, max_digits=7, decimal_places=2)]
"""Points given or earned, as stored: 0–99,999.99 with at most two decimal places."""


def has_control_characters(value: str) -> bool:
    """True when ``value`` holds NUL or another control character (tab, line feed and carriage return are text)."""
    return _CONTROL.search(value) is not None


def control_characters_message() -> str:
    return str(_("不能包含控制字符（如 NUL）"))


def refuse_control_characters(value: str) -> str:
    """A validator (Django or pydantic): text with control characters is refused, whatever field it is typed into.

    Django's form fields refuse NUL themselves; the API refuses all of them in every query string, form field and
    request body field (:mod:`zhijiao.core.api_parser`).
    """
    if has_control_characters(value):
        raise ValueError(control_characters_message())
    return value


def one_of(values: Any, *, blank: bool = True) -> Any:
    """A text parameter that must be one of ``values`` (or empty when ``blank``), for an API signature or schema:
    the OpenAPI description lists the choices as a pattern, and anything else is a 422 naming the field."""
    alternatives = "|".join(re.escape(str(value)) for value in values)
    return Annotated[str, Field(pattern=f"^({alternatives}){'?' if blank else ''}$")]
