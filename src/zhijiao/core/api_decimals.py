"""How the OpenAPI description states a decimal the API reads: the numbers and the strings the server accepts.

pydantic describes a ``Decimal`` field as "a number, or any string": a client reading the description would send
``""`` or ``"abc"`` and get a 422. Here the string form is a pattern with the field's real limits (whole digits and
decimal places from ``max_digits``/``decimal_places``, no sign when the field cannot be negative, not zero when it
must be positive, at most its upper bound), and the number form gets ``multipleOf`` for its decimal places.
Installed into ninja's schema builder once, by :mod:`zhijiao.core.api`; every API's description uses it.
"""

from decimal import Decimal
from typing import Any

import ninja.openapi.schema
from ninja.schema import NinjaGenerateJsonSchema
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

DEFAULT_PLACES = 2
"""Decimal places stated for a field that declares none (every decimal the platform stores has two)."""


def decimal_text_pattern(*, whole: int, places: int, signed: bool, positive: bool, upper: Decimal | None) -> str:
    """A regular expression for a decimal written as text: at most ``whole`` digits before the point and
    ``places`` after it; a leading ``-`` only when ``signed``; never zero when ``positive``; the whole part kept
    below ``upper``, and ``upper`` itself (an integer) allowed too."""
    if upper is not None:
        whole = min(whole, len(str(int(upper))) - 1)
    fraction = rf"(?:\.[0-9]{{1,{places}}})?" if places else ""
    if positive:
        alternatives = [rf"[1-9][0-9]{{0,{whole - 1}}}{fraction}"] if whole >= 1 else []
        # 0.x with a fraction that is not all zeros: its first non-zero digit after k zeros.
        nonzero = "|".join(rf"0{{{k}}}[1-9][0-9]{{0,{places - k - 1}}}" for k in range(places))
        if places:
            alternatives.append(rf"0?\.(?:{nonzero})")
    else:
        alternatives = [(rf"[0-9]{{1,{whole}}}" if whole >= 1 else "0") + fraction]
    if upper is not None and upper == upper.to_integral_value() and upper > 0:
        alternatives.append(str(int(upper)) + (rf"(?:\.0{{1,{places}}})?" if places else ""))
    sign = "-?" if signed else ""
    return rf"^{sign}(?:{'|'.join(alternatives)})$"


class ZhijiaoJsonSchema(NinjaGenerateJsonSchema):
    """ninja's JSON Schema generator, stating what a decimal field really accepts (see the module)."""

    def decimal_schema(self, schema: core_schema.DecimalSchema) -> JsonSchemaValue:
        if self.mode != "validation":
            return super().decimal_schema(schema)  # answers: the string pydantic writes
        places = schema.get("decimal_places")
        places = DEFAULT_PLACES if places is None else places
        max_digits = schema.get("max_digits")
        whole = 12 if max_digits is None else max(0, max_digits - places)
        lower = _bound(schema, "ge", "gt")
        upper = _bound(schema, "le", "lt")
        positive = schema.get("gt") is not None and lower == 0
        signed = lower is None or lower < 0
        number: dict[str, Any] = {"type": "number", "multipleOf": float(Decimal(1).scaleb(-places))}
        for key, name in (("ge", "minimum"), ("gt", "exclusiveMinimum"), ("le", "maximum"), ("lt", "exclusiveMaximum")):
            if schema.get(key) is not None:
                number[name] = float(schema[key])  # type: ignore[literal-required]
        if max_digits is not None:
            # The largest value with that many whole digits, when the field states no smaller bound.
            largest = float(Decimal(10) ** whole - Decimal(1).scaleb(-places))
            number["maximum"] = min(number.get("maximum", largest), largest)
            if signed:
                number["minimum"] = max(number.get("minimum", -largest), -largest)
        text = {
            "type": "string",
            "pattern": decimal_text_pattern(whole=whole, places=places, signed=signed, positive=positive, upper=upper),
        }
        return {"anyOf": [number, text]}


def _bound(schema: core_schema.DecimalSchema, inclusive: str, exclusive: str) -> Decimal | None:
    value = schema.get(inclusive)
    if value is None:
        value = schema.get(exclusive)
    return None if value is None else Decimal(str(value))


def install() -> None:
    """Make ninja build every API description with :class:`ZhijiaoJsonSchema` (ninja names its generator class
    at each call, with no setting to choose another)."""
    ninja.openapi.schema.NinjaGenerateJsonSchema = ZhijiaoJsonSchema  # type: ignore[misc]
