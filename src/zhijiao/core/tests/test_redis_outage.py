"""Redis stopped under a running production server: every public page, sign-in, search and the score lookup keep
answering, a signed-in person stays signed in, limits still hold, readiness says "degraded" — and when Redis
comes back the server uses it again by itself."""

import json
import time
from typing import Any

import pytest
from django.utils import timezone

from zhijiao.accounts.tests.factories import PASSWORD
from zhijiao.core.workers import heartbeat_beat
from zhijiao.hall.exams.tests.factories import id_number, make_score, make_sitting

from .processes import Visitor, get, post_json, process_env, running_server, server_user
from .redis import OwnRedis

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

RECOVERY_SECONDS = 10  # "within a few seconds": the breaker tries again every REDIS_RETRY_SECONDS (1 here)
PUBLIC_PAGES = ["/", "/k12/", "/hall/", "/hall/scores/", "/search/?q=%E6%95%B0%E5%AD%A6", "/accounts/login/"]


def readiness(base: str) -> tuple[int, dict[str, Any]]:
    status, body = Visitor().open(f"{base}/readyz")
    return status, json.loads(body)


def signed_in_page(visitor: Visitor, base: str) -> tuple[int, str]:
    return visitor.open(f"{base}/accounts/me/")


def test_the_site_keeps_working_through_a_redis_outage_and_recovers_by_itself(tmp_path, own_redis: OwnRedis) -> None:
    server_user(phone="13800001111", display_name="在线甲")
    server_user(phone="13800002222", display_name="在线乙")
    sitting = make_sitting(session="2026年6月")
    make_score(sitting, ticket="110120261000013", name="陈思远", number=id_number(13, birth="20030412"))
    heartbeat_beat(worker_id="test-worker", started_at=timezone.now())  # a worker answers: readiness is about Redis
    env = process_env(tmp_path, VERIFY_RATE_LIMIT="3/min", REDIS_RETRY_SECONDS="1", TASK_WORKER_LEASE_SECONDS="3600")
    env["REDIS_URL"] = own_redis.url
    lookup = json.dumps({"sitting_id": sitting.pk, "ticket_number": "110120261000013", "name": "陈思远"}).encode()
    with running_server(env) as (_server, base):
        person = Visitor()
        status, _html = person.post_form(f"{base}/accounts/login/", {"login": "13800001111", "password": PASSWORD})
        assert status == 302
        status, html = signed_in_page(person, base)
        assert status == 200 and "在线甲" in html
        assert [get(f"{base}{page}") for page in PUBLIC_PAGES] == [200] * len(PUBLIC_PAGES)  # the page cache fills
        assert readiness(base)[1]["status"] == "ok"

        own_redis.stop()

        # Public pages (their cached copies are gone with Redis), search, the score lookup by API and by page.
        assert [get(f"{base}{page}") for page in PUBLIC_PAGES] == [200] * len(PUBLIC_PAGES)
        assert post_json(f"{base}/api/v1/hall/scores/lookup", lookup) == 200
        assert get(f"{base}/api/v1/search?q=%E6%95%B0%E5%AD%A6") == 200  # the API's throttle counts in the database
        form = {"sitting": str(sitting.pk), "ticket_number": "110120261000013", "name": "陈思远"}
        status, html = Visitor().post_form(f"{base}/hall/scores/", form)
        assert status == 200 and "568" in html
        # The signed-in person is still signed in (the session is in the database too) and a new one signs in.
        status, html = signed_in_page(person, base)
        assert status == 200 and "在线甲" in html
        newcomer = Visitor()
        status, _html = newcomer.post_form(f"{base}/accounts/login/", {"login": "13800002222", "password": PASSWORD})
        assert status == 302
        assert "在线乙" in signed_in_page(newcomer, base)[1]
        # Limits hold, counted in the database: 3 checks a minute per address.
        checks = [get(f"{base}/verify/ABCDEFGHJKMNPQRS2345") for _ in range(5)]
        assert checks == [404, 404, 404, 429, 429]
        status, report = readiness(base)
        assert status == 200 and report["status"] == "degraded"
        assert report["checks"]["redis"]["status"] == "down" and report["checks"]["database"]["status"] == "ok"
        assert get(f"{base}/healthz") == 200  # liveness: the process is fine

        own_redis.start()

        deadline = time.monotonic() + RECOVERY_SECONDS
        while readiness(base)[1]["status"] != "ok":
            assert time.monotonic() < deadline, "readiness did not recover"
            time.sleep(0.1)
        assert [get(f"{base}{page}") for page in PUBLIC_PAGES] == [200] * len(PUBLIC_PAGES)
        status, html = signed_in_page(person, base)
        assert status == 200 and "在线甲" in html
        assert "在线乙" in signed_in_page(newcomer, base)[1]
        assert own_redis.dbsize() > 0  # pages and sessions are cached in Redis again
