"""Chinese identifiers, checked the way the standards say: resident ID numbers (GB 11643, check digit and
birth date), unified social credit codes (GB 32100, check character), mobile numbers (numbering plan).

Each ``normalize_*`` returns the canonical form or raises ``ValidationError`` with a translated message;
the ``validate_*`` wrappers are Django field validators.
"""

from datetime import date

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as _Bad

_FULLWIDTH = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)} | {"Ｘ": "X", "ｘ": "X", "＋": "+"})


ID_NUMBER_PATTERN = r"^[1-9][0-9]{5}(18|19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx]$"
"""The shape of an ID number as an API description can state it (region, birth date, sequence, check character);
the check character's value and a real, past birth date only :func:`normalize_id_number` can tell."""


def _clean(value: str) -> str:
    return str(value).translate(_FULLWIDTH).strip().replace(" ", "").replace("-", "").upper()


def normalize_id_number(value: str) -> str:
    """A resident identity card number (居民身份证号码), 18 characters with a valid check digit."""
    number = _clean(value)
    try:
        number = ric.validate(number)
    except InvalidLength as exc:
        raise ValidationError(_("身份证号码应为 18 位"), code="id_number_length") from exc
    except InvalidChecksum as exc:
        raise ValidationError(_("身份证号码校验位不正确"), code="id_number_checksum") from exc
    except (InvalidComponent, InvalidFormat) as exc:
        raise ValidationError(_("身份证号码中的出生日期或格式不正确"), code="id_number_format") from exc
    except _Bad as exc:
        raise ValidationError(_("身份证号码不正确"), code="id_number_invalid") from exc
    if birth_date_of(number) > timezone.localdate():
        raise ValidationError(_("身份证号码中的出生日期不能晚于今天"), code="id_number_future")
    return number


def birth_date_of(id_number: str) -> date:
    return ric.get_birth_date(id_number)


def normalize_uscc(value: str) -> str:
    """A unified social credit code (统一社会信用代码), 18 characters with a valid check character."""
    code = _clean(value)
    try:
        return uscc.validate(code)
    except InvalidLength as exc:
        raise ValidationError(_("统一社会信用代码应为 18 位"), code="uscc_length") from exc
    except InvalidChecksum as exc:
        raise ValidationError(_("统一社会信用代码校验码不正确"), code="uscc_checksum") from exc
    except _Bad as exc:
        raise ValidationError(_("统一社会信用代码格式不正确"), code="uscc_format") from exc


def uscc_check_character(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters of a code."""
    return uscc.calc_check_digit(first17)


def normalize_phone(value: str) -> str:
    """A mainland China mobile number as 11 digits (``13812341234``); +86 and spaces are accepted."""
    raw = _clean(value)
    try:
        parsed = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("请输入正确的手机号码"), code="phone_invalid") from exc
    if (
        parsed.country_code != 86
        or not phonenumbers.is_valid_number(parsed)
        or phonenumbers.number_type(parsed)
        not in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
    ):
        raise ValidationError(_("请输入正确的中国大陆手机号码"), code="phone_invalid")
    return str(parsed.national_number)


def looks_like_phone(value: str) -> bool:
    digits = _clean(value).removeprefix("+86")
    return digits.isdigit() and len(digits) == 11


def validate_id_number(value: str) -> None:
    normalize_id_number(value)


def validate_uscc(value: str) -> None:
    normalize_uscc(value)


def validate_phone(value: str) -> None:
    normalize_phone(value)
