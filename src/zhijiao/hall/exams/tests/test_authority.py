"""Score e-certificates name the exam's real authority from configuration; the holder's list needs identity."""

from typing import Any

import pytest

from zhijiao.credentials.selectors import credential_by_source
from zhijiao.hall.exams.models import ExamType, ScoreRecord
from zhijiao.hall.exams.services import certificate_issue, score_token

from .conftest import CHEN_ID
from .factories import make_score, make_sitting

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("exam_type", "authority"),
    [
        (ExamType.CET4, "教育部教育考试院"),
        (ExamType.TEACHER, "教育部教育考试院"),
        (ExamType.PUTONGHUA, "国家语言文字工作委员会"),
    ],
)
def test_each_exam_names_its_authority(exam_type: str, authority: str) -> None:
    sitting = make_sitting(exam_type)
    fields: dict[str, dict[str, Any]] = {
        ExamType.PUTONGHUA: {"grade": "2A"},
        ExamType.TEACHER: {"subjects_passed": "综合素质、教育知识与能力"},
    }
    score = make_score(sitting, ticket="110120261000099", name="陈思远", number=CHEN_ID, **fields.get(exam_type, {}))
    assert certificate_issue(score=score).issuer_name == authority


def test_a_province_renames_an_authority_in_settings(client: Any, settings: Any, score: ScoreRecord) -> None:
    settings.ISSUING_AUTHORITIES = {**settings.ISSUING_AUTHORITIES, "exams.cet4": "某省教育考试院"}
    pdf = client.get("/hall/scores/certificate.pdf", {"t": score_token(score_id=score.pk)})
    assert pdf.status_code == 200
    credential = credential_by_source(source_key=f"exams.score:{score.pk}")
    assert credential is not None and credential.issuer_name == "某省教育考试院"


def test_a_certificate_downloaded_in_english_is_worded_in_chinese(client: Any, score: ScoreRecord) -> None:
    client.get("/hall/scores/certificate.json", {"t": score_token(score_id=score.pk)}, HTTP_ACCEPT_LANGUAGE="en")
    credential = credential_by_source(source_key=f"exams.score:{score.pk}")
    assert credential is not None
    assert credential.issuer_name == "教育部教育考试院" and credential.title.endswith("成绩证书")


def test_my_scores_without_identity_links_to_it_and_back(client: Any, student: Any) -> None:
    client.force_login(student)
    html = client.get("/hall/scores/mine/").content.decode()
    assert 'href="/accounts/me/identity/?next=/hall/scores/mine/"' in html


def test_the_lookup_result_names_the_authority_in_the_visitors_language(client: Any, score: ScoreRecord) -> None:
    lookup = {"sitting": score.sitting_id, "ticket_number": "110120261000013", "name": "陈思远"}
    chinese = client.post("/hall/scores/", lookup).content.decode()
    assert 'id="result-issuer">教育部教育考试院<' in chinese
    english = client.post("/hall/scores/", lookup, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="result-issuer">National Education Examinations Authority, Ministry of Education<' in english
