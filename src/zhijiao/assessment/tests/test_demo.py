"""The demo's question banks: every discipline group gives 21 questions of every type, valid as teachers' own
(each passes the same checks, exports to Excel and QTI 3.0); the loaded demo has peer review in progress and
essays and homework reports (文件题, real PDFs) waiting for its university teacher."""

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from zhijiao.accounts.models import User
from zhijiao.courses.models import Discipline, Run
from zhijiao.courses.tests.factories import make_course
from zhijiao.demo.assessments import PEER_REVIEWED
from zhijiao.demo.questions import BANKS, GROUPS, demo_question_bank
from zhijiao.demo.seed import seed_demo

from .. import qti, selectors, spreadsheets
from ..models import AttemptFile, AttemptItem, ItemStatus, PeerReview

pytestmark = pytest.mark.django_db


def test_every_group_has_every_type_and_enough_questions() -> None:
    for name, items in BANKS.items():
        kinds = {item[0] for item in items}
        assert kinds == set("SMTFQEU"), name
        assert len(items) >= 20, name
    assert set(GROUPS.values()) == set(BANKS)


@pytest.mark.parametrize("code", ["0812", "0701", "1004", "0305", "0402", "0501", "1202", "0710", "0808", "0801"])
def test_a_demo_course_gets_a_bank_in_its_subject(lead, disciplines, code) -> None:
    course = make_course(lead=lead, title="演示课程", discipline=Discipline.objects.get(code=code))
    assert demo_question_bank(course) == 21
    assert demo_question_bank(course) == 0  # loading twice adds nothing
    questions = list(selectors.questions_of(course=course))
    assert {q.type for q in questions} == {"single", "multiple", "truefalse", "fill", "short", "essay", "file"}
    assert all(q.current_version and q.current_version.number == 1 for q in questions)
    assert qti.package(questions)
    assert spreadsheets.bank_workbook(questions)


@pytest.fixture
def seeded(db: None, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seed_demo(scale="small")


def test_the_demo_has_peer_review_in_progress_and_essays_and_reports_waiting_for_the_teacher(
    seeded: None, client: Any
) -> None:
    # 互评进行中: 陈思远 (the demo learner) has a review to do on his run's 互评 page, others have reviewed already.
    chen = User.objects.get(phone="13800000013")
    run = Run.objects.filter(course__title__in=PEER_REVIEWED, enrolments__user=chen).get()
    peer = PeerReview.objects.filter(item__attempt__run=run)
    assert peer.filter(submitted_at__isnull=False).exclude(comment="").count() >= 3
    assert peer.filter(submitted_at__isnull=True).count() >= 2
    assert AttemptItem.objects.filter(attempt__run=run, status=ItemStatus.PEER).count() >= 3
    mine = peer.filter(reviewer=chen, submitted_at__isnull=True).get()
    assert mine.due_at > timezone.now()
    client.force_login(chen)
    html = client.get(reverse("assessment_review:peer", args=[run.course_id, run.pk])).content.decode()
    assert "第二次作业：小论文（互评）" in html
    assert reverse("assessment_review:review", args=[run.course_id, run.pk, mine.pk]) in html
    html = client.get(reverse("assessment_review:review", args=[run.course_id, run.pk, mine.pk])).content.decode()
    assert str(mine.item.response)[:20] in html
    html = client.get(reverse("attempts:block", args=[mine.item.attempt.content_id])).content.decode()
    assert "互评中" in html and reverse("assessment_review:peer", args=[run.course_id, run.pk]) in html
    # 杨帆 (13800000007) has homework essays waiting in the grading queue of the runs she teaches.
    yang = User.objects.get(phone="13800000007")
    waiting = AttemptItem.objects.filter(
        status=ItemStatus.STAFF, version__type="essay", attempt__run__course__created_by=yang
    ).select_related("attempt__run")
    assert waiting.count() >= 3
    queued = waiting.first()
    assert queued is not None
    client.force_login(yang)
    run = queued.attempt.run
    html = client.get(reverse("assessment_review:queue", args=[run.course_id, run.pk])).content.decode()
    assert reverse("assessment_review:grade", args=[run.course_id, run.pk, queued.pk]) in html
    # Her homework reports (文件题) wait there too: the grade page links the learner's file, a real PDF that downloads.
    reports = AttemptItem.objects.filter(
        status=ItemStatus.STAFF, version__type="file", attempt__run__course__title="教育心理学"
    ).select_related("attempt__run", "attempt__user")
    assert reports.count() >= 3
    report = reports.order_by("attempt__submitted_at", "attempt_id", "position").first()
    assert report is not None
    run = report.attempt.run
    assert isinstance(report.response, int)
    stored = AttemptFile.objects.get(pk=report.response, attempt=report.attempt, position=report.position)
    html = client.get(reverse("assessment_review:queue", args=[run.course_id, run.pk])).content.decode()
    grade = reverse("assessment_review:grade", args=[run.course_id, run.pk, report.pk])
    assert grade in html
    html = client.get(grade).content.decode()
    download = reverse("attempts:file", args=[stored.pk])
    assert download in html and stored.original_name in html
    assert report.attempt.user.display_name in stored.original_name
    response = client.get(download)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith(b"%PDF-") and len(body) == stored.size
    # 陈思远 handed in the homework of the courses he studies with his own report, which he downloads too.
    client.force_login(chen)
    own = AttemptFile.objects.filter(attempt__user=chen).select_related("attempt").first()
    assert own is not None and "陈思远" in own.original_name
    result = client.get(reverse("attempts:result", args=[own.attempt_id])).content.decode()
    assert reverse("attempts:file", args=[own.pk]) in result
    assert client.get(reverse("attempts:file", args=[own.pk])).status_code == 200


@pytest.mark.parametrize(("formats", "kind"), [(["docx", "pdf"], "PDF"), (["jpg", "txt"], "TXT"), (["zip"], "ZIP")])
def test_a_demo_report_passes_the_check_a_learners_upload_passes(formats: list[str], kind: str) -> None:
    import random

    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhijiao.core.uploads import check_upload
    from zhijiao.demo.assessments import _report

    from ..models import QuestionVersion
    from ..question_types import FileAnswer

    data = {"formats": formats, "rubric": [{"criterion": "数据记录完整", "points": "4"}]}
    version = QuestionVersion(type="file", stem="<p>完成实验：用单摆测定当地重力加速度。</p>", data=data)
    made = _report(
        version, course="大学物理", title="第一次作业", learner="李明轩", handed_in=timezone.now(), rng=random.Random(1)
    )
    assert made is not None
    name, fmt, body = made
    upload = SimpleUploadedFile(name, body)
    assert check_upload(upload, allowed=FileAnswer().upload_formats(data), max_bytes=FileAnswer.max_bytes()) == fmt
    assert fmt.label == kind and "李明轩" in name
    assert _report(QuestionVersion(type="file", stem="", data={"formats": ["png"]}), course="", title="作业",
                   learner="李明轩", handed_in=timezone.now(), rng=random.Random(1)) is None  # fmt: skip
