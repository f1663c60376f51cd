"""The OpenAPI description of a decimal says what the server accepts: every text the pattern allows is a valid
value of the field, and the texts a client would try that the field refuses do not match."""

import re
from decimal import Decimal
from typing import Annotated, Any

import pytest
from pydantic import BaseModel, Field, ValidationError

from zhijiao.config.api import api
from zhijiao.core.api_decimals import decimal_text_pattern
from zhijiao.core.params import Percent, Score


class Fields(BaseModel):
    credits: Annotated[Decimal, Field(ge=0, max_digits=3, decimal_places=1)] = Decimal(0)
    share: Annotated[Decimal, Field(ge=0, le=1, max_digits=4, decimal_places=3)] = Decimal(0)
    points: Annotated[Decimal, Field(gt=0, le=1000, max_digits=6, decimal_places=2)] = Decimal(1)
    percent: Percent = Decimal(0)
    score: Score = Decimal(0)


def described(name: str) -> dict[str, Any]:
    from ninja.openapi.schema import NinjaGenerateJsonSchema  # the generator api_decimals installed

    schema = Fields.model_json_schema(schema_generator=NinjaGenerateJsonSchema)
    number, text = schema["properties"][name]["anyOf"]
    return {"number": number, "pattern": re.compile(text["pattern"])}


def accepted(name: str, value: Any) -> bool:
    try:
        Fields(**{name: value})
    except ValidationError:
        return False
    return True


TRIES = [
    "",
    "0",
    "0.0",
    "0.05",
    "0.5",
    "1",
    "1.0",
    "1.5",
    "9.99",
    "10",
    "60",
    "99.9",
    "100",
    "100.01",
    "999.99",
    "1000",
    "1000.00",
    "1000.5",
    "99999.99",
    "100000",
    "-1",
    "-0.5",
    "1e3",
    "abc",
    "1.",
    ".5",
    "1.234",
]


@pytest.mark.parametrize("name", ["credits", "share", "points", "percent", "score"])
def test_every_text_the_description_allows_is_accepted(name):
    pattern = described(name)["pattern"]
    allowed = [value for value in TRIES if pattern.match(value)]
    assert allowed, name
    assert [value for value in allowed if not accepted(name, value)] == []


@pytest.mark.parametrize(
    ("name", "refused"),
    [
        ("credits", ["", "-1", "100", "0.05", "abc"]),
        ("share", ["1.5", "-0.5", "10"]),
        ("points", ["0", "0.0", "1000.5", "-1"]),
        ("percent", ["100.01", "-1", "1.234"]),
        ("score", ["100000", "-0.5"]),
    ],
)
def test_what_the_field_refuses_the_description_refuses(name, refused):
    pattern = described(name)["pattern"]
    assert [value for value in refused if pattern.match(value)] == []
    assert not any(accepted(name, value) for value in refused)


def test_the_number_form_states_the_decimal_places_and_the_bounds():
    points = described("points")["number"]
    assert points["multipleOf"] == 0.01
    assert points["exclusiveMinimum"] == 0 and points["maximum"] == 1000
    assert described("credits")["number"]["maximum"] == 99.9


def test_a_signed_field_may_start_with_a_minus():
    pattern = re.compile(decimal_text_pattern(whole=3, places=2, signed=True, positive=False, upper=None))
    assert pattern.match("-12.5") and pattern.match("12") and not pattern.match("1234")


def test_the_api_description_uses_it():
    from django.urls import reverse

    import zhijiao.config.urls  # noqa: F401 - builds the API's URLs

    document = api.get_openapi_schema(path_prefix=reverse(f"{api.urls_namespace}:api-root"))
    points = document["components"]["schemas"]["QuestionIn"]["properties"]["points"]["anyOf"]
    assert points[1]["pattern"].startswith("^(?:[1-9]")
