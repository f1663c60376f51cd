"""Test data for the credentials app: valid ID numbers, people with a real-name identity, registrars, records."""

import itertools
from datetime import date
from typing import Any

from stdnum.cn import ric

from zhijiao.accounts.services import identity_verify
from zhijiao.accounts.tests.factories import make_user
from zhijiao.core.crypto import blind_index
from zhijiao.core.masking import mask_id_number
from zhijiao.credentials import services
from zhijiao.credentials.models import AcademicRecord, Credential
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


def make_record(university: Organization, *, name: str, id_number: str, **fields: Any) -> AcademicRecord:
    values: dict[str, Any] = {
        "programme": "计算机科学与技术",
        "level": "bachelor",
        "record_type": "qualification",
        "entry_date": date(2020, 9, 1),
        "end_date": date(2024, 6, 30),
        "status": "graduated",
        "certificate_number": f"10003120240{next(_seq):05d}",
    }
    values.update(fields)
    return AcademicRecord.objects.create(
        holder_name=name,
        id_number=id_number,
        id_number_index=blind_index(id_number, context="id_number"),
        id_number_masked=mask_id_number(id_number),
        university=university,
        **values,
    )


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
