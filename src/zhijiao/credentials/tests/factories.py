"""Test data for the credentials kernel: valid ID numbers, people with a real-name identity, registrars, credentials."""

import itertools
from datetime import date
from typing import Any

from stdnum.cn import ric

from zhijiao.accounts.services import identity_verify
from zhijiao.accounts.tests.factories import make_user
from zhijiao.credentials import services
from zhijiao.credentials.models import Credential
from zhijiao.orgs.models import Organization, Role
from zhijiao.orgs.tests.factories import add_member

_seq = itertools.count(1)


def make_id_number(birth: date = date(2002, 5, 17)) -> str:
    body = f"110108{birth:%Y%m%d}{next(_seq) % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def make_holder(name: str = "陈思远", id_number: str | None = None) -> tuple[Any, str]:
    """A signed-up user with a verified identity; answers (user, ID number)."""
    number = id_number or make_id_number()
    user = make_user(display_name=name)
    identity_verify(user=user, real_name=name, id_number=number)
    return user, number


def make_registrar(university: Organization) -> Any:
    user = make_user(display_name="学籍科老师")
    add_member(user, university, Role.REGISTRAR)
    return user


def issue_exam_credential(*, holder_user: Any = None, id_number: str | None = None, **overrides: Any) -> Credential:
    values: dict[str, Any] = {
        "kind": Credential.Kind.EXAM_SCORE,
        "source_key": f"exams.score:{next(_seq)}",
        "holder_name": "陈思远",
        "holder_id_number": id_number or make_id_number(),
        "title": "全国大学英语四级考试（CET-4）成绩报告单",
        "claims": {"总分": "568", "听力": "201", "阅读": "210", "写作和翻译": "157", "考试时间": "2026年6月"},
        "issuer_name": "教育部教育考试院",
        "issued_on": date(2026, 8, 20),
        "holder_user": holder_user,
    }
    values.update(overrides)
    return services.credential_issue(**values)
