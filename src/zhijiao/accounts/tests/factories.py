"""Test users. Phone numbers are valid mainland mobile numbers; everyone shares one password."""

import itertools

from zhijiao.accounts.models import User

PASSWORD = "Zhijiao#2026"
_seq = itertools.count(1)


def make_user(*, phone: str | None = None, email: str | None = None, **fields: object) -> User:
    n = next(_seq)
    if phone is None and email is None:
        phone = f"139{n:08d}"
    fields.setdefault("display_name", f"测试用户{n}")
    return User.objects.create_user(phone=phone, password=PASSWORD, email=email, **fields)
