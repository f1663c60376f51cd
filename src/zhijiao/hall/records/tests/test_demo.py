"""The credentials demo data: the demo graduate's three records and one active report, the same on every load."""

import random
from typing import Any

import pytest

from zhijiao.accounts.services import identity_verify
from zhijiao.accounts.tests.factories import make_user
from zhijiao.demo.credentials import seed_credentials
from zhijiao.hall.records import selectors
from zhijiao.hall.records.models import AcademicRecord, VerificationReport
from zhijiao.orgs.models import Membership, Organization, Role
from zhijiao.orgs.tests.factories import add_member, make_organization

from .factories import make_id_number

pytestmark = pytest.mark.django_db


def _world() -> tuple[Any, Any, Organization]:
    tsinghua = make_organization(Organization.Kind.UNIVERSITY, "清华大学")
    other = make_organization(Organization.Kind.UNIVERSITY, "北京大学")
    graduate = make_user(phone="13800000013", display_name="陈思远")
    identity_verify(user=graduate, real_name="陈思远", id_number=make_id_number())
    add_member(graduate, tsinghua, Role.STUDENT)
    staff = make_user(phone="13800000008", display_name="赵磊")
    add_member(staff, tsinghua, Role.EMPLOYMENT_STAFF)
    for n, university in enumerate((tsinghua, other, other)):
        student = make_user(display_name=f"学生{n}")
        identity_verify(user=student, real_name=f"王同学{n}", id_number=make_id_number())
        add_member(student, university, Role.STUDENT)
    return graduate, staff, tsinghua


def test_seed_gives_the_demo_graduate_records_and_a_report() -> None:
    graduate, staff, tsinghua = _world()
    counts = seed_credentials(rng=random.Random(2032))
    assert counts["verification_reports"] == 1 and counts["academic_records"] >= 3
    mine = selectors.records_of(graduate)
    assert mine is not None
    assert sorted(r.get_record_type_display() for r in mine) == ["学位", "学历", "学籍"]
    assert {r.university.name for r in mine} == {"清华大学"}
    report = VerificationReport.objects.get()
    assert report.state == "active" and report.holder_user == graduate
    assert Membership.objects.filter(user=staff, organization=tsinghua, role=Role.REGISTRAR).exists()
    assert AcademicRecord.objects.exclude(university=tsinghua).exists()


def test_the_report_code_is_reproducible() -> None:
    _world()
    seed_credentials(rng=random.Random(2032))
    first = VerificationReport.objects.get().code
    VerificationReport.objects.all().delete()
    from zhijiao.credentials.models import Credential

    Credential.objects.all().delete()
    AcademicRecord.objects.all().delete()
    seed_credentials(rng=random.Random(2032))
    assert VerificationReport.objects.get().code == first
