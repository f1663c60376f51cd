"""The review demo data: the demo expert's queue holds reviewed and waiting entries, an assignment to him was
refused for a conflict of interest, and the finished call shows its 公示 list."""

import random
import time
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from zhijiao.accounts.models import User
from zhijiao.core.models import AuditLog
from zhijiao.reviews.models import Appeal, Call, Submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings.MEDIA_ROOT


def test_the_demo_expert_has_reviews_done_and_waiting_and_the_finished_call_is_in_notice(
    media: Path, monkeypatch: pytest.MonkeyPatch, client: Client
) -> None:
    from zhijiao.demo import reviews as demo_reviews
    from zhijiao.demo import seed

    # Only the people and organisations this app builds on.
    for name in (
        "seed_employment",
        "seed_k12",
        "seed_credentials",
        "seed_exams",
        "seed_abroad",
        "seed_courses",
        "seed_discussions",
        "seed_reviews",
        "seed_pageviews",
        "_course_topic_and_certificates",
    ):
        monkeypatch.setattr(seed, name, lambda **kwargs: {})
    seed.seed_demo(scale="small")
    started = time.perf_counter()
    counts = demo_reviews.seed_reviews(rng=random.Random(11))
    print(f"seed_reviews: {time.perf_counter() - started:.2f} s, {counts}")

    expert = User.objects.get(phone="13800000010")
    states = list(expert.review_assignments.values_list("state", flat=True))
    assert states.count("submitted") >= 2 and states.count("assigned") >= 2 and states.count("recused") == 1
    refusal = AuditLog.objects.get(action="reviews.assignment.create", result="failure")
    assert refusal.detail["expert_id"] == expert.pk and refusal.detail["conflict"] == "same_organization"

    client.force_login(expert)
    queue = client.get("/reviews/").content.decode()
    assert "待评审" in queue and "已评审" in queue

    finished = Call.objects.get(title="2025 年度优秀教学案例征集")
    accepted = Submission.objects.filter(call=finished, status="accepted")
    assert accepted.count() >= 3 and all(s.accession_no for s in accepted)
    notice = client.get(f"/reviews/calls/{finished.pk}/notice/").content.decode()
    assert all(str(s.accession_no) in notice for s in accepted)
    assert Appeal.objects.filter(state="pending").exists()
    teacher = User.objects.get(phone="13800000007")
    assert Submission.objects.filter(applicant=teacher).count() == 2
