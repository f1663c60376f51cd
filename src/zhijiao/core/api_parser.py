"""How the API reads request data: ninja's parser, refusing text with control characters wherever it comes.

NUL and other control characters are not text anyone types; stored, they break exports and PostgreSQL refuses
them (a 500). Every string the API reads is checked, and a bad one answers 422 naming its field: query strings and
form fields by :class:`CheckedParser` (the parser of every ZhijiaoAPI), JSON bodies by :class:`InSchema`, the base of
every request body schema (``test_every_request_body_schema_refuses_control_characters`` keeps it so).
"""

from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja import Schema
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from pydantic import field_validator

from .params import control_characters_message, has_control_characters


def control_character_errors(fields: list[str]) -> NinjaValidationError:
    """The 422 for text with control characters, one error per field, in the API's error shape."""
    message = control_characters_message()
    return NinjaValidationError(
        [{"loc": (), "type": "control_characters", "field": field, "message": message} for field in fields]
    )


class CheckedParser(Parser):
    """ninja's parser; text with control characters in a query string or a form field is refused."""

    def parse_querydict(self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest) -> Any:
        bad = [
            key
            for key in data
            if has_control_characters(key)
            or any(isinstance(value, str) and has_control_characters(value) for value in data.getlist(key))
        ]
        if bad:
            raise control_character_errors(list(dict.fromkeys(bad)))
        return super().parse_querydict(data, list_fields, request)


def _holds_control_characters(value: Any) -> bool:
    if isinstance(value, str):
        return has_control_characters(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return any(_holds_control_characters(item) for item in value)
    if isinstance(value, dict):
        return any(_holds_control_characters(k) or _holds_control_characters(v) for k, v in value.items())
    return False  # numbers, dates; a nested schema checks its own fields


class InSchema(Schema):
    """The base of every request body schema: no field's text may hold NUL or another control character.

    Declared fields only (a key the schema does not know is ignored anyway); the error names the field.
    """

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        if _holds_control_characters(value):
            raise ValueError(control_characters_message())
        return value
