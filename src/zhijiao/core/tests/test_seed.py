"""The demo data: realistic, valid by every standard the services check, deterministic, and loaded only once."""

import hashlib
import random
from collections import Counter

import pytest
from django.db.models import Model
from stdnum import numdb
from stdnum.cn import ric, uscc

from zhijiao.accounts.models import Guardianship, Identity, User
from zhijiao.core.crypto import blind_index
from zhijiao.core.identifiers import normalize_id_number, normalize_phone, normalize_uscc
from zhijiao.core.platforms import Platform
from zhijiao.demo import vocab
from zhijiao.demo.abroad import UNVERIFIED_PHONE
from zhijiao.demo.seed import (
    DEMO_LOGINS,
    DEMO_PASSWORD,
    ID_NUMBER_INDEX_CONTEXT,
    is_seeded,
    load_region_rows,
    make_uscc,
    organization_code_check,
    seed_demo,
)
from zhijiao.orgs.models import ROLE_ORGANIZATION_KINDS, Membership, Organization, Region, Role
from zhijiao.portal.models import Article, Topic


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings.MEDIA_ROOT


@pytest.fixture
def seeded(db, media):
    return seed_demo(scale="small")


def fingerprint() -> str:
    """A digest of everything a visitor could tell two loads apart by (not timestamps or ciphertexts)."""
    digest = hashlib.sha256()
    identities = Identity.objects.select_related("user")
    rows = [
        *Region.objects.order_by("code").values_list("code", "name", "level", "parent_id"),
        *Organization.objects.order_by("kind", "name").values_list("kind", "name", "uscc", "region_id", "stage"),
        *User.objects.order_by("phone").values_list("phone", "display_name", "is_staff"),
        *sorted((i.user.phone, i.real_name, i.id_number, i.birth_date, i.gender) for i in identities),
        *Membership.objects.order_by("user__phone", "role").values_list(
            "user__phone", "organization__name", "role", "title"
        ),
        *Guardianship.objects.order_by("parent__phone", "child__phone").values_list(
            "parent__phone", "child__phone", "relation"
        ),
        *Article.objects.order_by("title", "body").values_list("platform", "kind", "title", "body"),
        *Topic.objects.order_by("slug").values_list("slug", "title", "description"),
    ]
    for row in rows:
        digest.update(repr(row).encode())
    return digest.hexdigest()


def wipe() -> None:
    """Empty every table the seed fills, whatever protects what (signed agreements protect their parties)."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    ours = [
        model._meta.db_table
        for model in apps.get_models()
        if model.__module__.startswith("zhijiao.") and model._meta.managed and not model._meta.proxy
    ]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # TRUNCATE refuses while deferred FK checks are pending
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), ours, allow_cascade=True))


def test_every_role_has_people_and_one_demo_login(seeded):
    roles = Counter(Membership.objects.values_list("role", flat=True))
    assert set(roles) == set(Role.values)
    assert roles[Role.STUDENT] > roles[Role.TEACHER] > roles[Role.SCHOOL_ADMIN] > 100
    assert roles[Role.PARENT] > 500
    assert User.objects.count() > 3000
    assert Guardianship.objects.count() >= roles[Role.PARENT]
    for login in DEMO_LOGINS:
        user = User.objects.get(phone=login.phone)
        # One role each, except the employment office's demo login, who also keeps 清华大学's student records.
        assert user.memberships.filter(role=login.role).exists()
        assert set(user.memberships.values_list("role", flat=True)) <= {login.role, Role.REGISTRAR}
        assert user.display_name == login.name
        assert user.check_password(DEMO_PASSWORD)
    admin = User.objects.get(phone=DEMO_LOGINS[-1].phone)
    assert admin.is_staff and admin.is_superuser
    assert User.objects.filter(is_staff=True).count() == 1
    student, parent = (User.objects.get(phone=login.phone) for login in DEMO_LOGINS[:2])
    assert Guardianship.objects.filter(parent=parent, child=student).exists()


def test_memberships_fit_the_kind_of_organisation(seeded):
    pairs = set(Membership.objects.values_list("role", "organization__kind"))
    for role, kind in pairs:
        assert kind in ROLE_ORGANIZATION_KINDS[role], (role, kind)


def test_identifiers_pass_the_validators(seeded):
    employers = Organization.objects.filter(kind=Organization.Kind.EMPLOYER)
    assert employers.count() == 60
    for employer in employers:
        assert employer.uscc and normalize_uscc(employer.uscc) == employer.uscc
        assert uscc.is_valid(employer.uscc)
        assert employer.uscc[2:8] == employer.region_id  # the county the company is registered in
        assert employer.uscc[16] == organization_code_check(employer.uscc[8:16])
    identities = list(Identity.objects.select_related("user"))
    # Everybody has a real-name identity except the one demo login that shows the way to it.
    assert len(identities) == User.objects.exclude(phone=UNVERIFIED_PHONE).count()
    for identity in identities:
        number = identity.id_number
        assert normalize_id_number(number) == number
        assert ric.get_birth_date(number) == identity.birth_date
        assert (int(number[16]) % 2 == 1) == (identity.gender == Identity.Gender.MALE)
        assert identity.id_number_index == blind_index(number, context=ID_NUMBER_INDEX_CONTEXT)
        assert identity.id_number_masked == number[:6] + "********" + number[-4:]
        assert identity.user.phone and normalize_phone(identity.user.phone) == identity.user.phone
    assert len({identity.id_number for identity in identities}) == len(identities)


def test_known_code_vectors():
    assert organization_code_check("60003734") == "1"  # 91110000600037341L, the standard's example
    codes = {make_uscc(random.Random(n), "110108") for n in range(200)}
    assert all(uscc.is_valid(code) and normalize_uscc(code) == code for code in codes)


def test_regions_are_real_gb2260_codes():
    names = numdb.get("cn/loc")
    rows = load_region_rows()
    assert sum(row["level"] == "1" for row in rows) == 34
    assert {row["code"] for row in rows} >= {"110108", "110119", "330106", "510107", "440305", "710000", "810000"}
    for row in rows:
        if row["level"] == "1" and row["code"] in {"710000", "810000", "820000"}:
            continue  # the table spells these in traditional characters
        found = {key: value for _, props in names.info(row["code"]) for key, value in props.items()}
        latest = found["county"].split(",")[-1]  # e.g. "[1990-]锦江区": in use since 1990, still current
        years, _, name = latest[1:].partition("]") if latest.startswith("[") else ("-", "", latest)
        assert name == row["name"] and years.endswith("-"), row


def test_a_sample_passes_full_clean(seeded):
    rng = random.Random(7)
    models: tuple[tuple[type[Model], list[str]], ...] = (
        (User, ["password"]),
        (Identity, ["id_number", "id_number_index", "id_number_masked"]),
        (Membership, []),
        (Guardianship, []),
        (Organization, []),
        (Article, []),
        (Topic, []),
        (Region, []),
    )
    for model, exclude in models:
        objects = list(model._default_manager.all())
        for instance in rng.sample(objects, k=min(40, len(objects))):
            instance.full_clean(exclude=exclude, validate_unique=True)


def test_content_is_real_and_topics_have_items(seeded, media):
    for platform in Platform.values:
        assert Article.objects.filter(platform=platform).count() >= 4, platform
    assert Article.objects.filter(platform=Platform.PORTAL, kind=Article.Kind.POLICY).exists()
    assert Article.objects.filter(title="如何帮助孩子缓解考试焦虑").exists()
    topics = {topic.title: topic for topic in Topic.objects.all()}
    assert set(topics) == {"北京冬奥精神", "心理健康", "抗击疫情", "大思政课"}
    for topic in topics.values():
        assert len(topic.description) > 50
        items = list(topic.items.all())
        assert sum(isinstance(item.content_object, Article) for item in items) >= 4
        assert all(item.content_object is not None for item in items)
        assert (media / topic.cover.name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    body = Article.objects.get(title="如何帮助孩子缓解考试焦虑").body
    assert body.count("\n\n") >= 3 and "lorem" not in body.lower()


def test_demo_school_and_universities_sit_in_their_real_districts(seeded):
    assert Organization.objects.get(name="北京市海淀区实验小学").region.name == "海淀区"
    for code, name, *_ in vocab.UNIVERSITIES:
        assert Organization.objects.get(name=name, kind=Organization.Kind.UNIVERSITY).region_id == code


def test_seed_is_deterministic_and_loaded_once(db, media):
    first = seed_demo(scale="small")
    assert first.created and is_seeded()
    print_one = fingerprint()
    again = seed_demo(scale="small")
    assert not again.created
    assert fingerprint() == print_one
    wipe()
    assert not is_seeded()
    assert seed_demo(scale="small").created
    assert fingerprint() == print_one
    wipe()
    seed_demo(scale="small", seed=7)
    assert fingerprint() != print_one
