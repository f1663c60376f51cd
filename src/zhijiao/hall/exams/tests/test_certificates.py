"""E-certificates of passed scores: downloaded only with the short-lived token of a successful lookup (or by the
signed-in holder), as a Chinese PDF and a verifiable-credential JSON."""

from typing import Any

import pytest
from django.core import signing

from zhijiao.accounts.models import Identity
from zhijiao.core.crypto import blind_index
from zhijiao.core.masking import mask_id_number
from zhijiao.hall.exams.models import ExamSitting, ExamType, ScoreRecord
from zhijiao.hall.exams.services import TOKEN_SALT, score_token

from .conftest import CHEN_ID
from .factories import make_score, make_sitting

pytestmark = pytest.mark.django_db


def _token(client: Any, sitting: ExamSitting) -> str:
    response = client.post(
        "/api/v1/hall/scores/lookup",
        {"sitting_id": sitting.pk, "ticket_number": "110120261000013", "name": "陈思远"},
        content_type="application/json",
    )
    assert response.status_code == 200
    return str(response.json()["certificate_token"])


def test_download_pdf_and_json_with_the_lookup_token(client: Any, sitting: ExamSitting, score: ScoreRecord) -> None:
    token = _token(client, sitting)
    pdf = client.get("/hall/scores/certificate.pdf", {"t": token})
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    again = client.get("/hall/scores/certificate.json", {"t": token})
    assert again.status_code == 200
    body = again.json()
    assert body["jwt"].count(".") == 2
    assert "陈思远" in again.content.decode()
    assert CHEN_ID not in again.content.decode()


FORGED: dict[str, Any] = {
    "empty": lambda: "",
    "number": lambda: "1",
    "unsigned": lambda: "abc:def",
    "other_salt": lambda: signing.TimestampSigner(salt="other").sign("1"),
    "other_shape": lambda: signing.dumps({"score": 1}),
}


# The tokens are made inside the test: signed ones carry a timestamp, and parallel workers must collect the same ids.
@pytest.mark.parametrize("kind", list(FORGED))
def test_no_or_forged_token_gets_nothing(client: Any, score: ScoreRecord, kind: str) -> None:
    token = FORGED[kind]()
    assert client.get("/hall/scores/certificate.pdf", {"t": token}).status_code == 404
    assert client.get("/hall/scores/certificate.json", {"t": token}).status_code == 404


def test_guessable_ids_are_not_accepted(client: Any, score: ScoreRecord) -> None:
    assert client.get("/hall/scores/certificate.pdf", {"t": str(score.pk)}).status_code == 404
    assert client.get(f"/hall/scores/certificate.pdf?id={score.pk}").status_code == 404


def test_expired_token_is_refused(client: Any, settings: Any, score: ScoreRecord) -> None:
    settings.HALL_SCORES_TOKEN_SECONDS = -1
    token = signing.TimestampSigner(salt=TOKEN_SALT).sign(str(score.pk))
    assert client.get("/hall/scores/certificate.pdf", {"t": token}).status_code == 404


def test_failed_score_has_no_certificate(client: Any, sitting: ExamSitting) -> None:
    low = make_score(sitting, ticket="110120261000020", name="王五", number="110108200403150027", total=380)
    assert not low.passed
    response = client.get("/hall/scores/certificate.pdf", {"t": score_token(score_id=low.pk)})
    assert response.status_code == 409


def test_signed_in_holder_sees_own_scores(client: Any, student: Any, score: ScoreRecord) -> None:
    Identity.objects.create(
        user=student,
        real_name="陈思远",
        id_number=CHEN_ID,
        id_number_index=blind_index(CHEN_ID, context="id_number"),
        id_number_masked=mask_id_number(CHEN_ID),
        birth_date="2003-04-12",
        gender="M",
    )
    pending = make_sitting(ExamType.PUTONGHUA, released=False)
    make_score(pending, ticket="PTH000000000001", name="陈思远", number=CHEN_ID)
    client.force_login(student)
    page = client.get("/hall/scores/mine/")
    html = page.content.decode()
    assert "全国大学英语四级考试" in html and "普通话" not in html
    link = html.split('href="/hall/scores/certificate.pdf?t=')[1].split('"')[0]
    pdf = client.get("/hall/scores/certificate.pdf", {"t": link.replace("&amp;", "&")})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    from zhijiao.credentials.selectors import credential_by_source

    credential = credential_by_source(source_key=f"exams.score:{score.pk}")
    assert credential is not None and credential.holder_user_id == student.pk


def test_someone_else_sees_no_scores(client: Any, teacher: Any, score: ScoreRecord) -> None:
    client.force_login(teacher)
    assert "陈思远" not in client.get("/hall/scores/mine/").content.decode()
