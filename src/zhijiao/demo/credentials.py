"""Service hall demo data for the credentials app: student-status, qualification and degree records (学籍/学历/学位)
for students and graduates of several demo universities, written in bulk the way a registrar's import would.

The demo graduate 13800000013 (陈思远, 清华大学, see ``people.py``) has all three records of his bachelor's and one
active online verification report whose code is drawn from the seed's generator (so it is the same on every load);
the demo employment staff 13800000008 is also 清华大学's registrar (学籍学历管理人员) and can import records.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from django.utils import timezone

from zhijiao.accounts.models import Identity, User
from zhijiao.credentials.codes import new_code
from zhijiao.hall.records import services
from zhijiao.hall.records.models import AcademicRecord, Level, RecordStatus, RecordType
from zhijiao.orgs.models import Membership, Organization, Role

from .people import chen_siyuan, school_year

REGISTRAR_PHONE = "13800000008"
UNIVERSITIES = 6
PROGRAMMES = [
    "计算机科学与技术",
    "软件工程",
    "生物技术",
    "药学",
    "金融学",
    "会计学",
    "汉语言文学",
    "临床医学",
    "土木工程",
    "数学与应用数学",
    "法学",
    "教育学",
]
# University codes (学校标识码) used in certificate numbers, by demo university name.
SCHOOL_CODES = {"清华大学": "10003", "北京大学": "10001", "北京师范大学": "10027", "中国人民大学": "10002"}


DURATIONS: dict[str, int] = {Level.BACHELOR: 4, Level.MASTER: 3, Level.DOCTOR: 4, Level.ASSOCIATE: 3}


def _certificate(kind: str, school: str, year: int, serial: int, level: str) -> str:
    """学历证书编号 (school + 1 + year + level + serial) or 学位证书编号 (school + level + year + serial)."""
    level_digit: dict[str, str] = {Level.ASSOCIATE: "5", Level.BACHELOR: "1", Level.MASTER: "2", Level.DOCTOR: "3"}
    digit = level_digit[level]
    if kind == RecordType.QUALIFICATION:
        return f"{school}1{year}{digit}{serial:06d}"
    return f"{school}{digit}{year}{serial:06d}"


def _records_for(
    identity: Identity,
    number: str,
    university: Organization,
    *,
    graduated: bool,
    entry_year: int,
    level: str,
    programme: str,
    serial: int,
) -> list[AcademicRecord]:
    school = SCHOOL_CODES.get(university.name, f"1{university.pk % 10000:04d}")
    entry = date(entry_year, 9, 1)
    end = date(entry_year + DURATIONS[level], 6, 30) if graduated else None
    common: dict[str, Any] = {
        "holder_name": identity.real_name,
        "id_number": number,
        "id_number_index": identity.id_number_index,
        "id_number_masked": identity.id_number_masked,
        "university": university,
        "programme": programme,
        "level": level,
        "entry_date": entry,
    }
    records = [
        AcademicRecord(
            **common,
            record_type=RecordType.STUDENT_STATUS,
            end_date=end,
            status=RecordStatus.GRADUATED if graduated else RecordStatus.ENROLLED,
            certificate_number="",
        )
    ]
    if graduated and end is not None:
        records.append(
            AcademicRecord(
                **common,
                record_type=RecordType.QUALIFICATION,
                end_date=end,
                status=RecordStatus.GRADUATED,
                certificate_number=_certificate(RecordType.QUALIFICATION, school, end.year, serial, level),
            )
        )
        if level != Level.ASSOCIATE:
            records.append(
                AcademicRecord(
                    **common,
                    record_type=RecordType.DEGREE,
                    end_date=end,
                    status=RecordStatus.AWARDED,
                    certificate_number=_certificate(RecordType.DEGREE, school, end.year, serial, level),
                )
            )
    return records


def seed_credentials(*, rng: random.Random) -> dict[str, int]:
    universities = list(Organization.objects.filter(kind=Organization.Kind.UNIVERSITY).order_by("id")[:UNIVERSITIES])
    if not universities:
        return {}
    persona = chen_siyuan(timezone.localdate())
    graduate = User.objects.filter(phone=persona.phone).select_related("identity").first()
    # Entry years relative to the current school year: nobody enrols in the future or is still "enrolled" after
    # their programme's length, whatever day the demo is loaded.
    current = school_year(timezone.localdate())
    records: list[AcademicRecord] = []
    serial = 0
    for university in universities:
        identities = (
            Identity.objects.filter(user__memberships__organization=university, user__memberships__role=Role.STUDENT)
            .exclude(user__phone=persona.phone)
            .order_by("id")
            .distinct()
        )
        for identity in identities:
            serial += 1
            level = rng.choice((Level.BACHELOR,) * 6 + (Level.MASTER, Level.MASTER, Level.DOCTOR))
            graduated = rng.random() < 0.5
            if graduated:
                entry_year = current - DURATIONS[level] - rng.randrange(1, 5)
            else:
                entry_year = current - rng.randrange(0, DURATIONS[level])
            records += _records_for(
                identity,
                identity.id_number,
                university,
                graduated=graduated,
                entry_year=entry_year,
                level=level,
                programme=rng.choice(PROGRAMMES),
                serial=serial,
            )
    home = (
        next((u for u in universities if u.name == persona.university), None)
        or Organization.objects.filter(kind=Organization.Kind.UNIVERSITY, name=persona.university).first()
    )
    own: list[AcademicRecord] = []
    own_identity: Identity | None = getattr(graduate, "identity", None) if graduate is not None else None
    if home is not None and own_identity is not None:
        serial += 1
        own = _records_for(
            own_identity,
            own_identity.id_number,
            home,
            graduated=True,
            entry_year=persona.bachelor_start.year,
            level=Level.BACHELOR,
            programme=persona.major,
            serial=serial,
        )
        records += own
    AcademicRecord.objects.bulk_create(records, batch_size=2000)
    counts = {"academic_records": len(records), "verification_reports": 0, "registrars": 0}
    if graduate is not None and own:
        qualification = next(r for r in own if r.record_type == RecordType.QUALIFICATION)
        services.report_create(actor=graduate, record_id=qualification.pk, days=180, code=new_code(rng))
        counts["verification_reports"] = 1
    registrar = User.objects.filter(phone=REGISTRAR_PHONE).first()
    if registrar is not None and home is not None:
        Membership.objects.get_or_create(
            user=registrar, organization=home, role=Role.REGISTRAR, defaults={"title": "学籍学历管理"}
        )
        counts["registrars"] = 1
    return counts
