"""The study-abroad demo data: every service in every state, the demo applicant's returnee registration in the demo
officer's queue, and a certificate for his authenticated master's."""

import random
import time
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from zhijiao.accounts.models import Identity, User
from zhijiao.core.identifiers import normalize_id_number
from zhijiao.credentials.models import Credential
from zhijiao.hall.abroad import selectors
from zhijiao.hall.abroad.models import Application, Service, Status
from zhijiao.hall.abroad.workflow import SERVICES

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings.MEDIA_ROOT


def test_demo_covers_every_service_and_state(media: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from zhijiao.demo import abroad as demo_abroad
    from zhijiao.demo import seed

    # Only the data this app builds on (people, organisations, employment); the other hall apps seed on their own.
    for name in ("seed_credentials", "seed_exams", "seed_abroad"):
        monkeypatch.setattr(seed, name, lambda *, rng: {})
    seed.seed_demo(scale="small")
    started = time.perf_counter()
    counts = demo_abroad.seed_abroad(rng=random.Random(8))
    print(f"seed_abroad: {time.perf_counter() - started:.2f} s, {counts}")

    assert counts["abroad_applications"] == Application.objects.count()
    assert counts["abroad_certificates"] >= 2
    seen = set(Application.objects.values_list("service", "status"))
    for service, spec in SERVICES.items():
        reachable = {status for status in spec.transitions} | {
            target for moves in spec.transitions.values() for target in moves.values()
        }
        assert {(service, status) for status in reachable} <= seen, service

    applicant = User.objects.get(phone="13800000013")
    officer = User.objects.get(phone="13800000011")
    mine = {(a.service, a.status) for a in selectors.applications_of(applicant)}
    assert mine == {(Service.DEGREE, Status.AUTHENTICATED), (Service.RETURNEE, Status.SUBMITTED)}
    waiting = selectors.officer_queue(actor=officer, filters=selectors.QueueFilter(q="陈思远"))
    assert waiting.filter(applicant=applicant, service=Service.RETURNEE, status=Status.SUBMITTED).exists()
    authenticated = Application.objects.get(applicant=applicant, status=Status.AUTHENTICATED)
    assert selectors.credential_of(authenticated) is not None

    # Every document names a verified person with a valid ID number; one demo login shows the way to identity.

    assert not Application.objects.filter(applicant__identity__isnull=True).exists()
    for credential in Credential.objects.filter(kind=Credential.Kind.FOREIGN_DEGREE):
        identity = Identity.objects.get(user=credential.holder_user)
        assert credential.holder_name == identity.real_name and credential.issuer_name == "教育部留学服务中心"
        assert normalize_id_number(credential.holder_id_number) == identity.id_number
    unverified = User.objects.get(phone="13800000020")
    assert not Identity.objects.filter(user=unverified).exists()
    client = Client()
    client.force_login(unverified)
    assert 'id="identity-needed"' in client.get("/hall/abroad/start/returnee/").content.decode()
