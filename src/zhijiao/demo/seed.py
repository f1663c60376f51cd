"""Demo data: a deterministic, realistic slice of the platform's world, written in bulk.

The loader writes rows directly, the way fixtures do, so ``small`` loads in seconds and ``large`` (for
benchmarks) in minutes. It keeps every invariant the services keep: ID numbers carry their GB 11643 check digit
and a birthplace code valid in the birth year, credit codes their GB 32100 check character, phone numbers are
real mainland mobile numbers, unique columns stay unique, and each membership's role fits its organisation.
Everything derives from ``random.Random(seed)``: two loads give the same people, codes and articles.
"""

import csv
import json
import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric

from zhijiao.accounts.models import Guardianship, Identity, User
from zhijiao.core.crypto import blind_index
from zhijiao.core.identifiers import uscc_check_character
from zhijiao.core.masking import mask_id_number
from zhijiao.core.platforms import Platform
from zhijiao.courses import services as course_services
from zhijiao.courses.models import Course, Run
from zhijiao.orgs.models import Membership, Organization, Region, Role
from zhijiao.portal.models import Article, Topic, TopicItem

from . import vocab
from .abroad import seed_abroad
from .cases import seed_case_views, seed_cases
from .courses import seed_courses
from .covers import topic_cover_png
from .credentials import seed_credentials
from .discussion import seed_discussions
from .employment import seed_employment
from .exams import seed_exams
from .k12 import seed_k12
from .pageviews import seed_pageviews
from .people import chen_siyuan, school_year
from .reviews import seed_reviews

SEED_VERSION = 1
DEFAULT_SEED = 2026
DEMO_PASSWORD = "zhijiao2026"  # noqa: S105 - the published password of the demo logins
DATA_DIR = Path(__file__).resolve().parent
# The blind index context the accounts services use for ID numbers (accounts.services.identity_verify).
ID_NUMBER_INDEX_CONTEXT = "id_number"
# Birth dates are drawn against a fixed year so that a load tomorrow gives the same people as today.
REFERENCE_YEAR = 2026

Progress = Callable[[int, int], None]
"""Called with (units done, units in total) as the load advances."""


@dataclass(frozen=True)
class Scale:
    name: str
    schools_per_district: int
    k12_teachers: int
    k12_students: int
    parent_share: float
    vocational_teachers: int
    vocational_students: int
    university_faculty: int
    university_students: int
    employers: int
    generated_articles: int
    batch_users: int = 5000


SCALES = {
    "small": Scale("small", 3, 4, 10, 0.6, 4, 12, 5, 15, 60, 240),
    "large": Scale("large", 44, 15, 50, 0.6, 40, 400, 60, 800, 3000, 50000, batch_users=20000),
}


@dataclass(frozen=True)
class DemoLogin:
    """One published demo account per role."""

    role: Role
    phone: str
    name: str
    organization: str
    title: str
    is_staff: bool = False


DEMO_SCHOOL = "北京市海淀区实验小学"
DEMO_LOGINS = [
    DemoLogin(Role.STUDENT, "13800000001", "李明轩", DEMO_SCHOOL, "四年级（2）班"),
    DemoLogin(Role.PARENT, "13800000002", "李建国", DEMO_SCHOOL, "四年级（2）班家长"),
    DemoLogin(Role.TEACHER, "13800000003", "王芳", DEMO_SCHOOL, "数学教师"),
    DemoLogin(Role.SCHOOL_ADMIN, "13800000004", "张伟", DEMO_SCHOOL, "教务主任"),
    DemoLogin(Role.DISTRICT_STAFF, "13800000005", "刘洋", "北京市海淀区教育委员会", "基础教育科"),
    DemoLogin(Role.VOCATIONAL_STAFF, "13800000006", "陈静", "北京电子科技职业学院", "教务处"),
    DemoLogin(Role.UNIVERSITY_FACULTY, "13800000007", "杨帆", "北京师范大学", "副教授"),
    DemoLogin(Role.EMPLOYMENT_STAFF, "13800000008", "赵磊", "清华大学", "学生职业发展指导中心"),
    DemoLogin(Role.RECRUITER, "13800000009", "黄婷", "", "人力资源部招聘专员"),
    DemoLogin(Role.EXPERT, "13800000010", "周建华", "北京大学", "教授、评审专家"),
    DemoLogin(Role.HALL_OFFICER, "13800000011", "吴敏", vocab.HALL_AGENCY, "学历认证处"),
    DemoLogin(Role.STUDENT, "13800000013", "陈思远", "清华大学", "本科毕业生、留学回国人员（就业服务）"),
    DemoLogin(Role.PLATFORM_ADMIN, "13800000012", "徐涛", vocab.PLATFORM_OPERATOR[1], "平台运营", is_staff=True),
]


@dataclass
class SeedReport:
    scale: str
    created: bool
    counts: dict[str, int] = field(default_factory=dict)


def is_seeded() -> bool:
    """Demo data is in the database when the demo platform admin exists (the last row the loader writes)."""
    return User.objects.filter(phone=DEMO_LOGINS[-1].phone).exists()


# --- Identifiers ------------------------------------------------------------------------------------------

_PHONE_PREFIXES = [
    *(f"13{d}" for d in range(10)), "150", "151", "152", "153", "155", "156", "157", "158", "159",
    "166", "173", "175", "176", "177", "178", *(f"18{d}" for d in range(10)), "191", "198", "199",
]  # fmt: skip
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def organization_code_check(body: str) -> str:
    """The GB 11714 check character of an 8-character organisation code (positions 9–17 of a USCC)."""
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body, _ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def make_uscc(rng: random.Random, region_code: str) -> str:
    """An enterprise code: 9 (market regulator) 1 (enterprise), the county, an organisation code, the check."""
    if rng.random() < 0.7:  # codes issued since 2015 begin MA
        body = "MA" + "".join(rng.choice(_USCC_ALPHABET) for _ in range(6))
    else:
        body = f"{rng.randrange(10_000_000, 99_999_999)}"
    first17 = "91" + region_code + body + organization_code_check(body)
    return first17 + uscc_check_character(first17)


@cache
def _birthplace_valid(code: str, year: int) -> bool:
    body = f"{code}{year}0101001"
    return ric.is_valid(body + ric.calc_check_digit(body + "0"))


class People:
    """Names, phone numbers and ID numbers, unique across one load."""

    def __init__(self, rng: random.Random, district_codes: list[str]) -> None:
        self.rng = rng
        self.district_codes = district_codes
        surnames, weights = zip(*vocab.SURNAMES, strict=True)
        self._surnames, self._weights = list(surnames), list(weights)
        self.phones: set[str] = {login.phone for login in DEMO_LOGINS}
        self.id_numbers: set[str] = set()

    def surname(self) -> str:
        return self.rng.choices(self._surnames, self._weights)[0]

    def given(self, gender: str) -> str:
        pool = vocab.GIVEN_MALE if gender == "M" else vocab.GIVEN_FEMALE
        if self.rng.random() < 0.25:
            return self.rng.choice(pool)
        return self.rng.choice(vocab.GIVEN_EITHER + pool) + self.rng.choice(pool)

    def phone(self) -> str:
        while True:
            number = self.rng.choice(_PHONE_PREFIXES) + f"{self.rng.randrange(100_000_000):08d}"[-8:]
            if number not in self.phones and not number.startswith("1380000"):
                self.phones.add(number)
                return number

    def birthplace(self, home: str, year: int) -> str:
        """The home county if it existed in the birth year, else the oldest fitting county of its city."""
        if _birthplace_valid(home, year):
            return home
        for code in self.district_codes:
            if code[:4] == home[:4] and _birthplace_valid(code, year):
                return code
        return home[:4] + "00"

    def id_number(self, home: str, birth: date, gender: str) -> str:
        place = self.birthplace(home, birth.year)
        sequence = self.rng.randrange(0, 500) * 2 + (1 if gender == "M" else 0)
        while True:
            body = f"{place}{birth:%Y%m%d}{sequence % 1000:03d}"
            number = body + ric.calc_check_digit(body + "0")
            if number not in self.id_numbers:
                self.id_numbers.add(number)
                return number
            sequence += 2

    def birth_date(self, year: int) -> date:
        return date(year, 1, 1) + timedelta(days=self.rng.randrange(365))


# --- Regions and organisations ----------------------------------------------------------------------------


def load_region_rows() -> list[dict[str, str]]:
    with (DATA_DIR / "regions.csv").open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines))


def all_regions() -> list[Region]:
    """Every region of the bundled GB/T 2260 table (provinces, cities, counties), unsaved, parents first."""
    return [
        Region(code=row["code"], name=row["name"], level=int(row["level"]), parent_id=row["parent"] or None)
        for row in load_region_rows()
    ]


def _district_label(district: Region) -> str:
    """北京市海淀区, 杭州市西湖区: how schools and bureaus of a district are named."""
    return vocab.CITY_PREFIX[district.code[:4] + "00"] + district.name


def _school_name_parts(rng: random.Random, count: int) -> Iterator[tuple[str, str]]:
    """(distinctive part, stage) for the schools of one district; the first is always its 实验小学."""
    yield "实验", Organization.Stage.PRIMARY
    names = vocab.SCHOOL_NAMES[1:]
    rng.shuffle(names)
    stages, weights = zip(*vocab.STAGE_WEIGHTS, strict=True)
    used: set[tuple[str, str]] = {("实验", Organization.Stage.PRIMARY)}
    numbered = 1
    while len(used) < count:
        stage = rng.choices(stages, weights)[0]
        if names:
            part = names.pop()
        else:
            part = f"第{vocab.chinese_number(numbered)}"
            numbered += 1
        if (part, stage) not in used:
            used.add((part, stage))
            yield part, stage


def _organizations(rng: random.Random, scale: Scale, regions: list[Region]) -> list[Organization]:
    by_code = {region.code: region for region in regions}
    districts = [region for region in regions if region.level == Region.Level.COUNTY]
    orgs: list[Organization] = []

    def add(kind: str, name: str, region_code: str, **fields: Any) -> None:
        orgs.append(Organization(kind=kind, name=name, region=by_code[region_code], is_verified=True, **fields))

    add(Organization.Kind.AGENCY, vocab.PLATFORM_OPERATOR[1], vocab.PLATFORM_OPERATOR[0], short_name="智教平台")
    for code, name in vocab.AGENCIES:
        add(Organization.Kind.AGENCY, name, code)
    for district in districts:
        label = _district_label(district)
        suffix = vocab.DISTRICT_AGENCY_SUFFIX.get(district.code[:4] + "00", "教育局")
        add(Organization.Kind.AGENCY, label + suffix, district.code)
    for code, name, short, website in vocab.UNIVERSITIES:
        add(Organization.Kind.UNIVERSITY, name, code, short_name=short, website=website)
    for code, name, short in vocab.VOCATIONAL_COLLEGES:
        add(Organization.Kind.VOCATIONAL, name, code, short_name=short)
    for district in districts:
        label = _district_label(district)
        for part, stage in _school_name_parts(rng, scale.schools_per_district):
            add(Organization.Kind.SCHOOL, f"{label}{part}{vocab.STAGE_SUFFIX[stage]}", district.code, stage=stage)
    seen: set[str] = set()
    codes: set[str] = set()
    while len(seen) < scale.employers:
        district = districts[len(seen) % len(districts)] if len(seen) < len(districts) else rng.choice(districts)
        city = vocab.CITY_PREFIX[district.code[:4] + "00"].removesuffix("市")
        word, _sector = rng.choice(vocab.COMPANY_INDUSTRIES)
        brand = rng.choice(vocab.COMPANY_BRANDS)
        if len(seen) >= len(vocab.COMPANY_BRANDS) * 4:
            brand += rng.choice(vocab.COMPANY_BRANDS)[0]
        if word.endswith("事务所"):
            name = f"{city}{brand}{word}（特殊普通合伙）"
        else:
            name = f"{city}{brand}{word}{'股份' if rng.random() < 0.2 else ''}有限公司"
        if name in seen:
            continue
        uscc = make_uscc(rng, district.code)
        if uscc in codes:
            continue
        seen.add(name)
        codes.add(uscc)
        add(Organization.Kind.EMPLOYER, name, district.code, uscc=uscc, short_name=f"{brand}{word}"[:30])
    return orgs


# --- People -----------------------------------------------------------------------------------------------


@dataclass
class _Person:
    user: User
    identity: Identity


class _Batch:
    """Users with their identities, memberships and family links, written together."""

    def __init__(self, password_hash: str) -> None:
        self.password_hash = password_hash
        self.people: list[_Person] = []
        self.memberships: list[Membership] = []
        self.guardianships: list[Guardianship] = []

    def __len__(self) -> int:
        return len(self.people)

    def flush(self) -> dict[str, int]:
        User.objects.bulk_create([person.user for person in self.people])
        Identity.objects.bulk_create([person.identity for person in self.people])
        Membership.objects.bulk_create(self.memberships)
        Guardianship.objects.bulk_create(self.guardianships)
        counts = {
            "users": len(self.people),
            "memberships": len(self.memberships),
            "guardianships": len(self.guardianships),
        }
        self.people, self.memberships, self.guardianships = [], [], []
        return counts


class _PeopleWriter:
    def __init__(self, rng: random.Random, people: People, password_hash: str, now: Any) -> None:
        self.rng = rng
        self.people = people
        self.batch = _Batch(password_hash)
        self.now = now
        # People are drawn against REFERENCE_YEAR (the same people on any day); cohorts (2025级) are named from the
        # school year of the load, so none is named after a September still to come.
        self.years_on = school_year(timezone.localdate(now)) - REFERENCE_YEAR

    def person(
        self,
        *,
        home: str,
        birth_year: int,
        gender: str | None = None,
        surname: str | None = None,
        name: str | None = None,
        phone: str | None = None,
        is_staff: bool = False,
    ) -> User:
        gender = gender or self.rng.choice("MF")
        real_name = name or (surname or self.people.surname()) + self.people.given(gender)
        birth = self.people.birth_date(birth_year)
        number = self.people.id_number(home, birth, gender)
        user = User(
            phone=phone or self.people.phone(),
            display_name=real_name,
            password=self.batch.password_hash,
            is_staff=is_staff,
            is_superuser=is_staff,
            date_joined=self.now - timedelta(days=self.rng.randrange(720), minutes=self.rng.randrange(1440)),
        )
        identity = Identity(
            user=user,
            real_name=real_name,
            id_number=number,
            id_number_index=blind_index(number, context=ID_NUMBER_INDEX_CONTEXT),
            id_number_masked=mask_id_number(number),
            birth_date=birth,
            gender=gender,
        )
        self.batch.people.append(_Person(user, identity))
        return user

    def member(self, user: User, organization: Organization, role: Role, title: str = "") -> None:
        self.batch.memberships.append(Membership(user=user, organization=organization, role=role, title=title))

    def guardian(self, parent: User, child: User, relation: str) -> None:
        self.batch.guardianships.append(Guardianship(parent=parent, child=child, relation=relation))


_GRADES = {
    Organization.Stage.PRIMARY: range(1, 7),
    Organization.Stage.JUNIOR: range(7, 10),
    Organization.Stage.SENIOR: range(10, 13),
    Organization.Stage.NINE_YEAR: range(1, 10),
    Organization.Stage.COMPLETE: range(7, 13),
}
_STAGE_SUBJECTS: dict[str, list[str]] = {
    Organization.Stage.PRIMARY: [
        "语文",
        "数学",
        "英语",
        "科学",
        "道德与法治",
        "音乐",
        "美术",
        "体育与健康",
        "信息科技",
    ],
}


def _grade_label(grade: int, klass: int) -> str:
    if grade <= 9:
        return f"{vocab.chinese_number(grade)}年级（{klass}）班"
    return f"高{vocab.chinese_number(grade - 9)}（{klass}）班"


def _school_people(writer: _PeopleWriter, school: Organization, scale: Scale) -> None:
    rng = writer.rng
    home = school.region_id
    writer.member(writer.person(home=home, birth_year=rng.randrange(1970, 1986)), school, Role.SCHOOL_ADMIN, "教务主任")
    subjects = _STAGE_SUBJECTS.get(school.stage, vocab.SUBJECTS)
    for _ in range(scale.k12_teachers):
        teacher = writer.person(home=home, birth_year=rng.randrange(1970, 1999))
        writer.member(teacher, school, Role.TEACHER, f"{rng.choice(subjects)}教师")
    grades = _GRADES[Organization.Stage(school.stage)]
    for _ in range(scale.k12_students):
        grade = rng.choice(grades)
        birth_year = REFERENCE_YEAR - 6 - grade
        surname = writer.people.surname()
        child = writer.person(home=home, birth_year=birth_year, surname=surname)
        label = _grade_label(grade, rng.randrange(1, 7))
        writer.member(child, school, Role.STUDENT, label)
        if rng.random() < scale.parent_share:
            father = rng.random() < 0.55
            parent = writer.person(
                home=home,
                birth_year=birth_year - rng.randrange(24, 40),
                gender="M" if father else "F",
                surname=surname if father else None,
            )
            writer.member(parent, school, Role.PARENT, f"{label}家长")
            relation = Guardianship.Relation.FATHER if father else Guardianship.Relation.MOTHER
            writer.guardian(parent, child, relation)


def _vocational_people(writer: _PeopleWriter, college: Organization, scale: Scale) -> None:
    rng = writer.rng
    home = college.region_id
    for title in ("教务处", "招生就业处"):
        writer.member(
            writer.person(home=home, birth_year=rng.randrange(1972, 1995)), college, Role.VOCATIONAL_STAFF, title
        )
    for _ in range(scale.vocational_teachers):
        teacher = writer.person(home=home, birth_year=rng.randrange(1970, 1996))
        writer.member(teacher, college, Role.TEACHER, f"{rng.choice(vocab.MAJORS)}专业教师")
    for _ in range(scale.vocational_students):
        year = rng.randrange(REFERENCE_YEAR - 3, REFERENCE_YEAR + 1)
        student = writer.person(home=home, birth_year=year - 18)
        writer.member(student, college, Role.STUDENT, f"{rng.choice(vocab.MAJORS)}专业{year + writer.years_on}级")
    expert = writer.person(home=home, birth_year=rng.randrange(1965, 1982))
    writer.member(expert, college, Role.EXPERT, "专业带头人、评审专家")


def _university_people(writer: _PeopleWriter, university: Organization, scale: Scale) -> None:
    rng = writer.rng
    home = university.region_id
    for _ in range(scale.university_faculty):
        faculty = writer.person(home=rng.choice(writer.people.district_codes), birth_year=rng.randrange(1965, 1993))
        title = rng.choice(["教授", "副教授", "讲师"]) + f" · {rng.choice(vocab.COURSES)}"
        writer.member(faculty, university, Role.UNIVERSITY_FACULTY, title)
    for title in ("学生职业发展指导中心", "就业指导中心"):
        staff = writer.person(home=home, birth_year=rng.randrange(1975, 1998))
        writer.member(staff, university, Role.EMPLOYMENT_STAFF, title)
    for _ in range(scale.university_students):
        year = rng.randrange(REFERENCE_YEAR - 4, REFERENCE_YEAR + 1)
        graduate = rng.random() < 0.2
        student = writer.person(
            home=rng.choice(writer.people.district_codes), birth_year=year - (22 if graduate else 18)
        )
        cohort = year + writer.years_on
        writer.member(student, university, Role.STUDENT, f"{cohort}级{'硕士研究生' if graduate else '本科生'}")
    expert = writer.person(home=home, birth_year=rng.randrange(1960, 1980))
    writer.member(expert, university, Role.EXPERT, "教授、评审专家")


def _employer_people(writer: _PeopleWriter, employer: Organization) -> None:
    for _ in range(writer.rng.choice((1, 1, 2))):
        recruiter = writer.person(home=employer.region_id, birth_year=writer.rng.randrange(1978, 2001))
        writer.member(recruiter, employer, Role.RECRUITER, "人力资源部招聘专员")


def _agency_people(writer: _PeopleWriter, agency: Organization) -> None:
    rng = writer.rng
    home = agency.region_id if agency.region.level == Region.Level.COUNTY else rng.choice(writer.people.district_codes)
    if agency.region.level == Region.Level.COUNTY:
        for title in ("基础教育科", "教研室"):
            staff = writer.person(home=home, birth_year=rng.randrange(1970, 1995))
            writer.member(staff, agency, Role.DISTRICT_STAFF, title)
    elif agency.name.startswith("教育部"):
        for title in ("综合服务处", "考试服务处", "认证服务处"):
            officer = writer.person(home=home, birth_year=rng.randrange(1972, 1998))
            writer.member(officer, agency, Role.HALL_OFFICER, title)
    elif agency.name != vocab.PLATFORM_OPERATOR[1]:
        for _ in range(2):
            expert = writer.person(home=home, birth_year=rng.randrange(1962, 1982))
            writer.member(expert, agency, Role.EXPERT, "教育督导专家")


def _demo_logins(writer: _PeopleWriter, by_name: dict[str, Organization], employer: Organization) -> None:
    made: dict[Role, User] = {}
    returnee = chen_siyuan(timezone.localdate(writer.now))
    for login in DEMO_LOGINS:
        organization = by_name[login.organization] if login.organization else employer
        home = organization.region_id if organization.region.level == Region.Level.COUNTY else "110108"
        if login.phone == returnee.phone:
            birth_year, gender = returnee.birth_year, returnee.gender
        elif login.role == Role.STUDENT:
            birth_year, gender = REFERENCE_YEAR - 10, "M"
        elif login.role == Role.PARENT:
            birth_year, gender = 1986, "M"
        else:
            birth_year, gender = writer.rng.randrange(1972, 1992), writer.rng.choice("MF")
        user = writer.person(
            home=home, birth_year=birth_year, gender=gender, name=login.name, phone=login.phone, is_staff=login.is_staff
        )
        writer.member(user, organization, login.role, login.title)
        made.setdefault(login.role, user)  # the first login of a role (the pupil, not the graduate) is the child
    writer.guardian(made[Role.PARENT], made[Role.STUDENT], Guardianship.Relation.FATHER)


# --- Content ----------------------------------------------------------------------------------------------


def _load_json(name: str) -> Any:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def _body(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs)


def _generated_articles(
    rng: random.Random, count: int, now: Any, orgs: list[Organization], regions: list[Region]
) -> Iterator[Article]:
    platforms = list(vocab.GENERATED)
    today = timezone.localdate(now)
    districts = [region for region in regions if region.level == Region.Level.COUNTY]
    schools = [org for org in orgs if org.kind == Organization.Kind.SCHOOL]
    colleges = [org for org in orgs if org.kind == Organization.Kind.VOCATIONAL]
    universities = [org for org in orgs if org.kind == Organization.Kind.UNIVERSITY]
    employers = [org for org in orgs if org.kind == Organization.Kind.EMPLOYER]
    sources = {
        "portal": "智教平台编辑部",
        "k12": "中小学教育资源编辑组",
        "vocational": "职业教育资源编辑组",
        "higher": "高等教育资源编辑组",
        "employment": "就业服务编辑组",
        "hall": "服务大厅",
    }
    for n in range(count):
        platform = platforms[n % len(platforms)]
        titles, pool = vocab.GENERATED[platform]["titles"], vocab.GENERATED[platform]["paragraphs"]
        district = rng.choice(districts)
        city = vocab.CITY_PREFIX[district.code[:4] + "00"]
        slots = {
            "place": city + district.name,
            "city": city,
            "school": rng.choice(schools).name,
            "college": rng.choice(colleges).name,
            "university": rng.choice(universities).name,
            "company": rng.choice(employers).name,
            "subject": rng.choice(vocab.SUBJECTS),
            "theme": rng.choice(vocab.K12_THEMES if platform == "k12" else vocab.PORTAL_THEMES),
            "initiative": rng.choice(vocab.K12_INITIATIVES),
            "festival": rng.choice(vocab.FESTIVALS),
            "major": rng.choice(vocab.MAJORS),
            "course": rng.choice(vocab.COURSES),
            "industry": rng.choice(vocab.INDUSTRY_FAIRS),
            "nth": vocab.chinese_number(rng.randrange(2, 31)),
            "n": rng.randrange(3, 40),
            # This year; for employment the 届 now job-hunting (next summer's, once the school year has begun).
            "year": today.year + (1 if platform == "employment" and today.month >= 9 else 0),
        }
        kind, title = rng.choice(titles)
        paragraphs = [p.format(**slots) for p in rng.sample(pool, k=min(4, len(pool)))]
        yield Article(
            platform=platform,
            kind=kind,
            title=title.format(**slots)[:120],
            summary=paragraphs[0][:120],
            body=_body(paragraphs),
            source=sources[platform],
            published_at=now - timedelta(days=rng.randrange(7, 200), minutes=rng.randrange(1440)),
        )


def _topics(now: Any, by_name: dict[str, Organization]) -> list[tuple[Topic, list[Article], list[Organization]]]:
    made = []
    for position, spec in enumerate(_load_json("topics.json"), start=1):
        cover = topic_cover_png(spec["title"], tuple(spec["colors"]), subtitle="专题 · 智教平台")
        name = default_storage.save(f"topics/{spec['slug']}.png", ContentFile(cover))
        topic = Topic(
            title=spec["title"], slug=spec["slug"], description=spec["description"], position=position, cover=name
        )
        articles = [
            Article(
                platform=Platform.PORTAL,
                kind=Article.Kind.FEATURE,
                title=item["title"],
                summary=item["summary"],
                body=_body(item["body"]),
                source=item["source"],
                published_at=now - timedelta(days=3 + 9 * index + position, hours=position),
            )
            for index, item in enumerate(spec["articles"])
        ]
        made.append((topic, articles, [by_name[name] for name in spec["organizations"]]))
    return made


# --- The load ---------------------------------------------------------------------------------------------


def _course_topic_and_certificates() -> dict[str, int]:
    """The 大思政课 topic holds the 思政 courses; the runs that ended last term grant their certificates (issued to
    learners with a real-name identity, waiting for the others), as the worker's pass would."""
    topic = Topic.objects.filter(slug="da-si-zheng-ke").first()
    added = 0
    if topic is not None:
        course_type = ContentType.objects.get_for_model(Course)
        start = TopicItem.objects.filter(topic=topic).count()
        sizheng = [
            course
            for course in Course.objects.filter(published_version__isnull=False).order_by("id")
            if "思政" in (course.tags or [])
        ]
        TopicItem.objects.bulk_create(
            [
                TopicItem(
                    topic=topic,
                    content_type=course_type,
                    object_id=course.pk,
                    note="高校思想政治理论课慕课",
                    position=start + index,
                )
                for index, course in enumerate(sizheng, start=1)
            ],
            ignore_conflicts=True,
        )
        added = len(sizheng)
    issued = 0
    for run in Run.objects.filter(ends_at__lt=timezone.now()).select_related("course__university"):
        issued += course_services.run_certificates_grant(run=run).created
    return {"sizheng_topic_courses": added, "course_certificates": issued}


def seed_demo(*, scale: str = "small", seed: int = DEFAULT_SEED, progress: Progress | None = None) -> SeedReport:
    """Load the demo data once; a database that already has it is left as it is."""
    plan = SCALES[scale]
    if is_seeded():
        return SeedReport(scale=scale, created=False)
    rng = random.Random(seed)
    now = timezone.now().replace(second=0, microsecond=0)
    report = SeedReport(scale=scale, created=True)
    counts = report.counts
    with transaction.atomic():
        regions = all_regions()
        Region.objects.bulk_create(regions, ignore_conflicts=True)
        counts["regions"] = len(regions)
        orgs = _organizations(rng, plan, regions)
        Organization.objects.bulk_create(orgs)
        counts["organizations"] = len(orgs)
        by_name = {org.name: org for org in orgs}
        people_orgs = [org for org in orgs if org.kind != Organization.Kind.AGENCY] + [
            org for org in orgs if org.kind == Organization.Kind.AGENCY
        ]
        article_batches = math.ceil(plan.generated_articles / 2000) + 1
        total = 2 + len(people_orgs) + article_batches + 1
        done = 2
        if progress:
            progress(done, total)

        districts = [region.code for region in regions if region.level == Region.Level.COUNTY]
        writer = _PeopleWriter(rng, People(rng, districts), make_password(DEMO_PASSWORD), now)

        def flush() -> None:
            for key, value in writer.batch.flush().items():
                counts[key] = counts.get(key, 0) + value

        # The demo recruiter's company hires 陈思远 (生物技术) for 生物制药 R&D: a 生物医药 company, in 北京 if any.
        employers = [org for org in orgs if org.kind == Organization.Kind.EMPLOYER]
        pharma = [org for org in employers if "生物医药" in org.name]
        first_employer = next((org for org in pharma if org.region_id.startswith("11")), (pharma or employers)[0])
        for org in people_orgs:
            if org.kind == Organization.Kind.SCHOOL:
                _school_people(writer, org, plan)
            elif org.kind == Organization.Kind.VOCATIONAL:
                _vocational_people(writer, org, plan)
            elif org.kind == Organization.Kind.UNIVERSITY:
                _university_people(writer, org, plan)
            elif org.kind == Organization.Kind.EMPLOYER:
                _employer_people(writer, org)
            else:
                _agency_people(writer, org)
            if len(writer.batch) >= plan.batch_users:
                flush()
            done += 1
            if progress:
                progress(done, total)

        handwritten = [
            Article(
                platform=item["platform"],
                kind=item["kind"],
                title=item["title"],
                summary=item["summary"],
                body=_body(item["body"]),
                source=item["source"],
                published_at=now - timedelta(days=index // 2, hours=2 + index * 3),
            )
            for index, item in enumerate(_load_json("articles.json"))
        ]
        Article.objects.bulk_create(handwritten)
        counts["articles"] = len(handwritten)
        done += 1
        generated = _generated_articles(rng, plan.generated_articles, now, orgs, regions)
        while chunk := [article for _, article in zip(range(2000), generated, strict=False)]:
            Article.objects.bulk_create(chunk)
            counts["articles"] += len(chunk)
            done += 1
            if progress:
                progress(done, total)

        topics = _topics(now, by_name)
        Topic.objects.bulk_create([topic for topic, _, _ in topics])
        article_type = ContentType.objects.get_for_model(Article)
        organization_type = ContentType.objects.get_for_model(Organization)
        items: list[TopicItem] = []
        for topic, articles, organizations in topics:
            Article.objects.bulk_create(articles)
            counts["articles"] += len(articles)
            items += [
                TopicItem(topic=topic, content_type=article_type, object_id=article.pk, position=index)
                for index, article in enumerate(articles, start=1)
            ]
            items += [
                TopicItem(
                    topic=topic,
                    content_type=organization_type,
                    object_id=organization.pk,
                    position=len(articles) + index,
                    note=organization.name,
                )
                for index, organization in enumerate(organizations, start=1)
            ]
        TopicItem.objects.bulk_create(items)
        counts["topics"] = len(topics)
        counts["topic_items"] = len(items)

        # The demo logins go last: the platform admin's row is the "already loaded" marker.
        _demo_logins(writer, by_name, first_employer)
        flush()
        counts.update(seed_employment(rng=random.Random(seed + 5), jobs=2000 if scale == "small" else 30000))
        counts.update(seed_k12(seed=seed))
        counts.update(seed_credentials(rng=random.Random(seed + 6)))
        counts.update(seed_exams(rng=random.Random(seed + 7)))
        counts.update(seed_abroad(rng=random.Random(seed + 8)))
        counts.update(seed_courses(rng=random.Random(seed + 9)))
        counts.update(seed_discussions(rng=random.Random(seed + 10)))
        counts.update(seed_cases(rng=random.Random(seed + 11)))
        counts.update(seed_reviews(rng=random.Random(seed + 12)))
        counts.update(_course_topic_and_certificates())
        # After the courses, so they have views too (the hot lists rank courses beside articles and topics).
        counts.update(seed_pageviews(seed=seed, end=timezone.localdate(now) - timedelta(days=1)))
        counts.update(seed_case_views(rng=random.Random(seed + 12), end=timezone.localdate(now) - timedelta(days=1)))
        if progress:
            progress(total, total)
    return report
