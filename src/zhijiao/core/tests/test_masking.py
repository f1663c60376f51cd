"""Masked formats: what every page, list and API answer shows instead of personal data."""

import pytest

from zhijiao.core.masking import mask_email, mask_id_number, mask_name, mask_phone, mask_uscc


@pytest.mark.parametrize(
    ("func", "raw", "masked"),
    [
        (mask_id_number, "11010519491231002X", "110105********002X"),
        (mask_id_number, "", ""),
        (mask_phone, "13812341234", "138****1234"),
        (mask_phone, "", ""),
        (mask_phone, "12345", "*****"),
        (mask_email, "zhangsan@example.cn", "z***@example.cn"),
        (mask_email, "not-an-email", ""),
        (mask_name, "张三丰", "张**"),
        (mask_name, "欧阳", "欧*"),
        (mask_name, "", ""),
        (mask_uscc, "91110000600037341L", "91110000******341L"),
    ],
)
def test_mask_formats(func, raw, masked):
    assert func(raw) == masked


def test_masked_id_keeps_no_birth_date():
    assert "19491231" not in mask_id_number("11010519491231002X")
