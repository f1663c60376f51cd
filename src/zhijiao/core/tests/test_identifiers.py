"""Chinese identifiers against the standards' own vectors, through the validators and the forms/API that use them."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from stdnum.cn import ric

from zhijiao.core.identifiers import (
    birth_date_of,
    looks_like_phone,
    normalize_id_number,
    normalize_phone,
    normalize_uscc,
    uscc_check_character,
    validate_id_number,
    validate_phone,
    validate_uscc,
)


def with_check_digit(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17 + "0")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("11010519491231002X", "11010519491231002X"),
        ("11010519491231002x", "11010519491231002X"),
        (" 110105 19491231 002X ", "11010519491231002X"),
        ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"),
        ("110108199003070016", "110108199003070016"),
    ],
)
def test_valid_id_numbers(raw, expected):
    assert normalize_id_number(raw) == expected
    validate_id_number(raw)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("110105194912310021", "id_number_checksum"),  # wrong check digit
        ("110105194912310020", "id_number_checksum"),
        (with_check_digit("11010519491331002"), "id_number_format"),  # month 13
        (with_check_digit("11010519490230002"), "id_number_format"),  # 30 February
        ("1101051949123100", "id_number_length"),  # 16 characters
        ("11010519491231002X1", "id_number_length"),  # 19 characters
        ("", "id_number_length"),
        ("11010519491231002Y", "id_number_checksum"),  # Y is no check character
    ],
)
def test_invalid_id_numbers(raw, code):
    with pytest.raises(ValidationError) as caught:
        normalize_id_number(raw)
    assert caught.value.code == code
    assert caught.value.messages[0]


def test_future_birth_date_is_invalid():
    tomorrow = timezone.localdate() + timedelta(days=1)
    number = with_check_digit(f"110105{tomorrow:%Y%m%d}001")
    with pytest.raises(ValidationError) as caught:
        normalize_id_number(number)
    assert caught.value.code in {"id_number_future", "id_number_format"}


def test_birth_date_of():
    assert str(birth_date_of("11010519491231002X")) == "1949-12-31"


@pytest.mark.parametrize("raw", ["91110000600037341L", "91110000600037341l", " 9111 0000 6000 3734 1L "])
def test_valid_uscc(raw):
    assert normalize_uscc(raw) == "91110000600037341L"
    validate_uscc(raw)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("91110000600037341A", "uscc_checksum"),
        ("91110000600037341M", "uscc_checksum"),
        ("9111000060003734", "uscc_length"),
        ("", "uscc_length"),
    ],
)
def test_invalid_uscc(raw, code):
    with pytest.raises(ValidationError) as caught:
        normalize_uscc(raw)
    assert caught.value.code == code


def test_uscc_check_character_matches_the_vector():
    assert uscc_check_character("91110000600037341") == "L"


@pytest.mark.parametrize(
    "raw", ["13812341234", "+86 138 1234 1234", "+8613812341234", "138-1234-1234", "１３８１２３４１２３４"]
)
def test_valid_phones_normalise(raw):
    assert normalize_phone(raw) == "13812341234"
    validate_phone(raw)


@pytest.mark.parametrize(
    "raw", ["12012341234", "1381234123", "138123412345", "+1 650 253 0000", "abc", "", "01012345678"]
)
def test_invalid_phones(raw):
    with pytest.raises(ValidationError) as caught:
        normalize_phone(raw)
    assert caught.value.code == "phone_invalid"


def test_looks_like_phone():
    assert looks_like_phone("+86 138 1234 1234")
    assert not looks_like_phone("someone@example.cn")
