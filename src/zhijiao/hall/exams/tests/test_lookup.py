"""The score lookup: only a full match answers; every wrong combination answers the same; nothing before the
release time; rate limits, a proof-of-work captcha after misses (replays refused), an audit entry per lookup."""

import math
from typing import Any

import pytest
from django.utils import timezone

from zhijiao.core.models import AuditLog
from zhijiao.hall.exams import audit, captcha
from zhijiao.hall.exams.models import ExamSitting, ExamType, ScoreRecord

from .conftest import CHEN_ID
from .factories import make_score, make_sitting

pytestmark = pytest.mark.django_db
URL = "/api/v1/hall/scores/lookup"


def lookup(client: Any, **data: Any) -> Any:
    return client.post(URL, data, content_type="application/json")


def test_match_by_ticket_number(client: Any, sitting: ExamSitting, score: ScoreRecord) -> None:
    response = lookup(client, sitting_id=sitting.pk, ticket_number="110120261000013", name="陈思远")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["name"] == "陈思远"
    assert body["scores"]["总分"] == "568"
    assert body["passed"] is True
    assert body["id_number_masked"] == score.id_number_masked
    assert CHEN_ID not in response.content.decode()
    assert body["certificate_pdf"].startswith("/hall/scores/certificate.pdf?t=")


def test_match_by_id_number(client: Any, sitting: ExamSitting, score: ScoreRecord) -> None:
    response = lookup(client, sitting_id=sitting.pk, id_number=CHEN_ID.lower(), name=" 陈思远 ")
    assert response.status_code == 200
    assert response.json()["ticket_number"] == "110120261000013"


def test_every_wrong_combination_answers_the_same(
    client: Any, settings: Any, sitting: ExamSitting, score: ScoreRecord
) -> None:
    settings.HALL_SCORES_MISSES_BEFORE_CAPTCHA = 100
    other = make_sitting(ExamType.CET6, session="2026年6月")
    make_score(other, ticket="110120261000099", name="李四", number="11010820040315999X"[:-1] + "1", total=430)
    wrong = [
        {"sitting_id": sitting.pk, "ticket_number": "110120261000013", "name": "陈思"},  # wrong name
        {"sitting_id": sitting.pk, "ticket_number": "110120261000014", "name": "陈思远"},  # wrong ticket
        {"sitting_id": other.pk, "ticket_number": "110120261000013", "name": "陈思远"},  # wrong sitting
        {"sitting_id": sitting.pk, "id_number": CHEN_ID[:-1] + "0", "name": "陈思远"},  # wrong ID number
        {"sitting_id": sitting.pk, "ticket_number": "X", "name": "陈思远"},  # malformed ticket
    ]
    answers = set()
    for data in wrong:
        response = lookup(client, **data)
        answers.add((response.status_code, response.content))
    assert len(answers) == 1
    status, content = answers.pop()
    assert status == 404
    assert b'"no_match"' in content


def test_before_release_says_when_and_looks_nothing_up(
    client: Any, score: ScoreRecord, django_assert_max_num_queries: Any
) -> None:
    pending = make_sitting(ExamType.CET6, released=False)
    make_score(pending, ticket="110120261000777", name="陈思远", number=CHEN_ID)
    lookup(client, sitting_id=score.sitting_id, ticket_number="0", name="x")  # warm the sitting cache
    # Only the address's limit, counted in the database without Redis (core.counters): one count, one read of its
    # misses. With Redis both are one round trip there and the database sees nothing.
    with django_assert_max_num_queries(2):
        response = lookup(client, sitting_id=pending.pk, ticket_number="110120261000777", name="陈思远")
    assert response.status_code == 409
    assert response.json()["code"] == "not_released"
    assert "发布" in response.json()["message"]
    release = timezone.localtime(pending.release_at)
    assert f"{release.year}年{release.month}月{release.day}日" in response.json()["message"]
    english = client.post(
        URL,
        {"sitting_id": pending.pk, "ticket_number": "110120261000777", "name": "陈思远"},
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )
    assert "will be released on" in english.json()["message"] and "年" not in english.json()["message"]
    page = client.post("/hall/scores/", {"sitting": pending.pk, "ticket_number": "110120261000777", "name": "陈思远"})
    assert page.status_code == 409
    assert "届时方可查询" in page.content.decode()
    assert "568" not in page.content.decode()


def test_a_hit_is_one_indexed_query(
    client: Any, sitting: ExamSitting, score: ScoreRecord, django_assert_max_num_queries: Any
) -> None:
    lookup(client, sitting_id=sitting.pk, ticket_number="0", name="x")  # warm the sitting cache
    # The row, plus the audit entry written at once in tests; plus, without Redis, the address's and the candidate's
    # limits and the misses read in the database's shared counters (core.counters; one Redis round trip with Redis).
    with django_assert_max_num_queries(5):
        assert lookup(client, sitting_id=sitting.pk, ticket_number="110120261000013", name="陈思远").status_code == 200


def test_page_lookup_shows_the_result(client: Any, sitting: ExamSitting, score: ScoreRecord) -> None:
    response = client.post(
        "/hall/scores/", {"sitting": sitting.pk, "ticket_number": "110120261000013", "name": "陈思远"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="score-result"' in html and "568" in html and "下载电子证书" in html
    miss = client.post("/hall/scores/", {"sitting": sitting.pk, "ticket_number": "110120261000013", "name": "张三"})
    assert miss.status_code == 404
    assert "未查询到匹配的成绩" in miss.content.decode()
    assert 'id="score-result"' not in miss.content.decode()


def test_failed_lookup_does_not_touch_the_session(client: Any, sitting: ExamSitting, score: ScoreRecord) -> None:
    response = lookup(client, sitting_id=sitting.pk, ticket_number="110120261000014", name="陈思远")
    assert response.status_code == 404
    assert "sessionid" not in response.cookies


def test_per_ip_rate_limit(client: Any, settings: Any, sitting: ExamSitting, score: ScoreRecord) -> None:
    settings.HALL_SCORES_IP_RATE = "3/min"
    for _ in range(3):
        assert lookup(client, sitting_id=sitting.pk, ticket_number="110120261000013", name="陈思远").status_code == 200
    response = lookup(client, sitting_id=sitting.pk, ticket_number="110120261000013", name="陈思远")
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"


def test_per_candidate_rate_limit_across_addresses(
    client: Any, settings: Any, sitting: ExamSitting, score: ScoreRecord
) -> None:
    settings.HALL_SCORES_CANDIDATE_RATE = "2/h"
    settings.HALL_SCORES_MISSES_BEFORE_CAPTCHA = 100
    for n in range(2):
        response = client.post(
            URL,
            {"sitting_id": sitting.pk, "ticket_number": "110120261000013", "name": f"猜{n}"},
            content_type="application/json",
            REMOTE_ADDR=f"10.0.0.{n}",
        )
        assert response.status_code == 404
    third = client.post(
        URL,
        {"sitting_id": sitting.pk, "ticket_number": "110120261000013", "name": "陈思远"},
        content_type="application/json",
        REMOTE_ADDR="10.0.0.9",
    )
    assert third.status_code == 429


def test_captcha_after_misses_then_a_solution_is_accepted_once(
    client: Any, sitting: ExamSitting, score: ScoreRecord
) -> None:
    for _ in range(3):
        assert lookup(client, sitting_id=sitting.pk, ticket_number="110120261000014", name="陈思远").status_code == 404
    needed = lookup(client, sitting_id=sitting.pk, ticket_number="110120261000013", name="陈思远")
    assert needed.status_code == 403
    assert needed.json()["code"] == "captcha_required"
    assert "altcha-widget" in client.get("/hall/scores/").content.decode()

    challenge = client.get("/api/v1/hall/scores/challenge").json()
    assert challenge["signature"] and challenge["parameters"]["algorithm"] == "SHA-256"
    solution = captcha.solve_for_tests(challenge)
    ok = lookup(client, sitting_id=sitting.pk, ticket_number="110120261000013", name="陈思远", altcha=solution)
    assert ok.status_code == 200
    replay = lookup(client, sitting_id=sitting.pk, ticket_number="110120261000013", name="陈思远", altcha=solution)
    assert replay.status_code == 403
    assert replay.json()["code"] == "captcha_invalid"


def test_forged_captcha_is_refused(client: Any, settings: Any, sitting: ExamSitting, score: ScoreRecord) -> None:
    settings.HALL_SCORES_MISSES_BEFORE_CAPTCHA = 0
    challenge = client.get("/api/v1/hall/scores/challenge").json()
    challenge["parameters"]["keyPrefix"] = "00"  # tampered: the signature no longer fits
    payload = captcha.solve_for_tests(challenge)
    response = lookup(client, sitting_id=sitting.pk, ticket_number="110120261000013", name="陈思远", altcha=payload)
    assert response.status_code == 403
    assert (
        lookup(
            client, sitting_id=sitting.pk, ticket_number="110120261000013", name="陈思远", altcha="bm9wZQ=="
        ).status_code
        == 403
    )


def test_every_lookup_is_audited_without_the_id_number(client: Any, sitting: ExamSitting, score: ScoreRecord) -> None:
    lookup(client, sitting_id=sitting.pk, id_number=CHEN_ID, name="陈思远")
    lookup(client, sitting_id=sitting.pk, id_number=CHEN_ID, name="陈思")
    entries = list(AuditLog.objects.filter(action="exams.score.lookup").order_by("id"))
    assert [entry.result for entry in entries] == ["success", "failure"]
    assert entries[0].object_id == str(score.pk)
    assert entries[0].ip_hash
    for entry in entries:
        assert CHEN_ID not in str(entry.detail) and CHEN_ID not in entry.object_repr
        assert entry.detail["by"] == "id_number"


def test_an_audit_entry_is_stored_before_the_lookup_answers(sitting: ExamSitting, rf: Any) -> None:
    request = rf.post(URL)
    before = AuditLog.objects.count()
    for _ in range(5):
        audit.record(request=request, action="exams.score.lookup", result="failure", detail={"by": "ticket"})
    assert AuditLog.objects.count() == before + 5
    assert AuditLog.objects.order_by("-id")[0].detail == {"by": "ticket"}


def test_sittings_list(client: Any, sitting: ExamSitting) -> None:
    make_sitting(ExamType.PUTONGHUA, released=False)
    body = client.get("/api/v1/hall/sittings").json()
    assert {item["released"] for item in body} == {True, False}


def test_guessing_a_ticket_number_is_hopeless(settings: Any) -> None:
    """Per address: 3 misses, then a proof-of-work for each try, and at most HALL_SCORES_IP_MISSES misses a day.
    Per candidate: 10 tries an hour from anywhere. The space: a 15-digit CET ticket whose last 5 digits (room
    and seat) are unknown to an attacker who knows the test site, i.e. at least 10^5 candidates per site, and a
    name that must match too. Even with 1,000 addresses an attacker needs weeks for one expected hit."""
    from zhijiao.core.ratelimit import parse_rate
    from zhijiao.hall.exams.services import candidate_rate, ip_rate, miss_budget

    misses_per_day, window = miss_budget()
    assert window == 86_400
    per_ip_rate, per_ip_window = ip_rate()
    per_candidate, candidate_window = candidate_rate()
    tries_per_ip_day = min(misses_per_day, per_ip_rate * 86_400 // per_ip_window)
    space = 10**5  # room × seat within one known site
    expected_tries = space / 2
    addresses = 1_000
    days = expected_tries / (tries_per_ip_day * addresses)
    assert tries_per_ip_day <= 30
    assert days >= 1.5
    # Against one known candidate (ticket known, name unknown): at most 240 name guesses a day from anywhere.
    assert per_candidate * 86_400 // candidate_window <= 240
    # The captcha costs each further try up to HALL_CAPTCHA_MAX_COUNTER hashes in the browser.
    assert parse_rate("30/d") == (30, 86_400)
    assert math.log2(10**15) > 49  # the full 15-digit ticket space


def test_plain_and_coerced_bodies_answer_alike(client: Any, sitting: ExamSitting, score: ScoreRecord) -> None:
    """A plainly typed body takes the lookup's hot path; one ninja has to coerce ("sitting_id" as a string) takes
    ninja's full path. The answers are the same document, field for field and byte for byte."""
    plain = lookup(client, sitting_id=sitting.pk, ticket_number="110120261000013", name="陈思远")
    coerced = lookup(client, sitting_id=str(sitting.pk), ticket_number="110120261000013", name="陈思远")
    assert plain.status_code == coerced.status_code == 200
    assert plain["Content-Type"] == coerced["Content-Type"]
    first, second = plain.json(), coerced.json()
    assert list(first) == list(second)
    for body in (first, second):
        token = body.pop("certificate_token")
        assert body.pop("certificate_pdf").endswith(f"?t={token}") and body.pop("certificate_json").endswith(token)
    assert first == second
    miss = lookup(client, sitting_id=sitting.pk, ticket_number="110120261000014", name="陈思远")
    coerced_miss = lookup(client, sitting_id=str(sitting.pk), ticket_number="110120261000014", name="陈思远")
    assert (miss.status_code, miss.content) == (coerced_miss.status_code, coerced_miss.content) == (404, miss.content)


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        (b'{"sitting_id": "x", "ticket_number": "1", "name": "a"}', "invalid", "sitting_id"),
        (('{"sitting_id": 1, "ticket_number": "1", "name": "' + "名" * 51 + '"}').encode(), "invalid", "name"),
        (b'{"sitting_id": 1, "ticket_number": null, "name": "a"}', "invalid", "ticket_number"),
        (b'{"sitting_id": true, "ticket_number": "1", "name": "a"}', "", ""),
        (b"[1, 2]", "invalid", ""),
        (b"not json", "invalid_json", ""),
    ],
)
def test_odd_bodies_get_the_api_answers(client: Any, sitting: ExamSitting, body: bytes, code: str, field: str) -> None:
    response = client.post(URL, body, content_type="application/json")
    assert response.status_code != 500
    if code:
        assert response.status_code == (400 if code == "invalid_json" else 422)
        assert response.json()["code"] == code
    if field:
        assert field in response.json()["fields"]
