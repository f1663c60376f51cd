"""The demo data: the graduate's CET-4 pass can be looked up by his real name and ticket number."""

import random
import time
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from zhijiao.accounts.models import Identity
from zhijiao.accounts.tests.factories import make_user
from zhijiao.core.crypto import blind_index
from zhijiao.core.masking import mask_id_number
from zhijiao.demo.exams import seed_exams
from zhijiao.demo.people import chen_siyuan, demo_ticket
from zhijiao.hall.exams.models import ExamSitting
from zhijiao.orgs.models import Organization, Region, Role
from zhijiao.orgs.tests.factories import add_member, make_organization, make_region

from .factories import id_number

pytestmark = pytest.mark.django_db


def test_seed_exams_fast_and_usable(client: Any) -> None:
    make_region()
    Region.objects.get_or_create(code="310000", defaults={"name": "上海市", "level": 1})
    officer = make_user(phone="13800000011")
    add_member(officer, make_organization(Organization.Kind.AGENCY), Role.HALL_OFFICER)
    graduate = make_user(phone="13800000013")
    number = id_number(13, birth="20030412")
    Identity.objects.create(
        user=graduate,
        real_name="陈思远",
        id_number=number,
        id_number_index=blind_index(number, context="id_number"),
        id_number_masked=mask_id_number(number),
        birth_date="2003-04-12",
        gender="M",
    )
    started = time.perf_counter()
    counts = seed_exams(rng=random.Random(2033))
    elapsed = time.perf_counter() - started
    assert elapsed < 10  # well under 3 s outside the test harness
    assert counts["hall_scores"] > 3000
    assert counts["hall_special_lists"] == 2
    assert counts["hall_sittings"] == 6
    assert counts["hall_notice_attachments"] > counts["hall_notices"] > 10
    cache.clear()
    year = chen_siyuan(timezone.localdate()).cet4_year
    cet4 = ExamSitting.objects.get(exam_type="cet4", session=f"{year}年6月", release_at__lte=timezone.now())
    response = client.post(
        "/api/v1/hall/scores/lookup",
        {"sitting_id": cet4.pk, "ticket_number": demo_ticket(timezone.localdate()), "name": "陈思远"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["passed"] is True
    assert client.get("/api/v1/hall/special-lists").json()[0]["program"] in ("strong_base", "sports")
    notices = client.get("/api/v1/hall/notices").json()
    assert notices["count"] > 10
