"""Course certificates: when a run ends, learners who met its completion rule get a certificate, signed through the
credentials kernel once they have a real-name identity (else it waits, and completing identity issues it); the
pass runs in batches, twice without harm; learners list and download their own certificates and nobody else's;
the code verifies at /verify/<code> in one query and the VC-JWT verifies offline."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from zhijiao.accounts.models import Identity, User
from zhijiao.accounts.services import identity_verify
from zhijiao.accounts.tests.factories import make_user
from zhijiao.core.errors import DomainError
from zhijiao.courses import services
from zhijiao.courses.models import Certificate, Course, Enrolment, Run
from zhijiao.courses.pdf import certificate_statement
from zhijiao.courses.services import certificates as certificate_services
from zhijiao.credentials import vc
from zhijiao.credentials.models import Credential
from zhijiao.credentials.tests.factories import make_holder, make_id_number
from zhijiao.notifications.models import Notification
from zhijiao.orgs.models import Organization

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    from django.core.cache import cache

    cache.clear()


def make_run(course: Course, *, ended: bool = True, rule: str = "0.800") -> Run:
    now = timezone.now()
    end = now - timedelta(days=1) if ended else now + timedelta(days=30)
    return Run.objects.create(
        course=course,
        title="2026 春季学期",
        enrol_opens_at=now - timedelta(days=120),
        enrol_closes_at=now - timedelta(days=60),
        starts_at=now - timedelta(days=100),
        ends_at=end,
        certificate_completion=Decimal(rule),
    )


def enrol(run: Run, user: User, completion: str) -> Enrolment:
    return Enrolment.objects.create(run=run, user=user, completion=Decimal(completion))


@pytest.fixture
def university_course(course: Course, orgs: dict[str, Organization]) -> Course:
    course.university = orgs["university"]
    course.credit_hours = 32
    course.credits = Decimal("2.0")
    course.save()
    return course


@pytest.fixture
def ended(university_course: Course) -> Run:
    return make_run(university_course)


@pytest.fixture
def learner() -> User:
    return make_holder("林晓雨")[0]


def test_an_ended_run_certifies_learners_who_met_its_rule(
    ended: Run, learner: User, django_capture_on_commit_callbacks: Any
) -> None:
    anonymous_name = make_user(display_name="小明")
    below = make_holder("赵六")[0]
    enrol(ended, learner, "0.925")
    enrol(ended, anonymous_name, "0.800")
    enrol(ended, below, "0.799")

    with django_capture_on_commit_callbacks(execute=True):
        result = services.certificates_grant_due()

    assert (result.runs, result.created, result.issued, result.awaiting) == (1, 2, 1, 1)
    issued = Certificate.objects.get(run=ended, user=learner)
    assert issued.status == Certificate.Status.ISSUED
    credential = issued.credential
    assert credential is not None and credential.kind == Credential.Kind.COURSE
    assert credential.holder_name == "林晓雨" and credential.holder_user == learner
    # The course's university together with the platform (settings.ISSUING_AUTHORITIES["courses.certificate"]).
    assert credential.issuer_name == "北京师范大学 · 国家高等教育智慧教育平台"
    assert credential.issuer_organization == ended.course.university
    claims = dict(credential.claim_items)
    assert claims["课程名称"] == "数据结构" and claims["开课学校"] == "北京师范大学"
    assert claims["开课学期"] == "2026 春季学期" and claims["完成比例"] == "92.5%"
    assert claims["证书要求"] == "完成比例不低于80%" and claims["学时"] == "32" and claims["学分"] == "2"
    assert "至" in claims["学习时间"]
    waiting = Certificate.objects.get(run=ended, user=anonymous_name)
    assert waiting.status == Certificate.Status.AWAITING_IDENTITY and waiting.credential is None
    assert not Certificate.objects.filter(user=below).exists()
    ended.refresh_from_db()
    assert ended.certificates_issued_at is not None
    # Learners hear about it: the issued one gets their certificate, the other how to complete identity.
    assert Notification.objects.filter(user=learner, title__contains="证书已发放").exists()
    assert Notification.objects.filter(user=anonymous_name, body__contains="实名认证").exists()


def test_the_pass_is_safe_to_run_twice_and_in_small_batches(
    ended: Run, monkeypatch: Any, django_assert_max_num_queries: Any
) -> None:
    monkeypatch.setattr(certificate_services, "BATCH", 2)
    learners = [make_holder(f"学员{i}")[0] for i in range(5)]
    for person in learners:
        enrol(ended, person, "1")
    first = services.run_certificates_grant(run=ended)
    assert (first.created, first.issued) == (5, 5)
    second = services.run_certificates_grant(run=ended)
    assert (second.created, second.issued, second.awaiting) == (0, 0, 0)
    assert Credential.objects.filter(kind=Credential.Kind.COURSE).count() == 5
    # The periodic pass leaves a processed run alone.
    with django_assert_max_num_queries(2):
        assert services.certificates_grant_due().runs == 0


def test_a_run_held_by_another_worker_is_left_to_it(ended: Run, learner: User, monkeypatch: Any) -> None:
    enrol(ended, learner, "1")
    monkeypatch.setattr(certificate_services.selectors, "run_for_grant", lambda *, run_id: None)
    result = services.run_certificates_grant(run=ended)
    assert result.created == 0
    ended.refresh_from_db()
    assert ended.certificates_issued_at is None  # the worker holding it records the run when it is done


def test_completing_identity_issues_the_waiting_certificate(
    ended: Run, django_capture_on_commit_callbacks: Any
) -> None:
    learner = make_user(display_name="小明")
    enrol(ended, learner, "0.9")
    services.certificates_grant_due()
    assert Certificate.objects.get(user=learner).status == Certificate.Status.AWAITING_IDENTITY
    with django_capture_on_commit_callbacks(execute=True):
        identity_verify(user=learner, real_name="王小明", id_number=make_id_number())
    certificate = Certificate.objects.get(user=learner)
    assert certificate.status == Certificate.Status.ISSUED
    assert certificate.credential is not None and certificate.credential.holder_name == "王小明"


def test_the_periodic_pass_issues_for_identity_given_by_other_paths(ended: Run) -> None:
    learner = make_user(display_name="小红")
    enrol(ended, learner, "0.9")
    services.certificates_grant_due()
    number = make_id_number()
    identity_verify(user=learner, real_name="李小红", id_number=number)  # its on_commit never runs in this test
    assert Identity.objects.filter(user=learner).exists()
    assert Certificate.objects.get(user=learner).status == Certificate.Status.AWAITING_IDENTITY
    assert services.certificates_grant_due().issued == 1
    assert Certificate.objects.get(user=learner).status == Certificate.Status.ISSUED


def test_a_run_that_has_not_ended_gives_no_certificates(university_course: Course, learner: User) -> None:
    running = make_run(university_course, ended=False)
    enrol(running, learner, "1")
    assert services.certificates_grant_due().runs == 0
    with pytest.raises(DomainError) as refused:
        services.run_certificates_grant(run=running)
    assert refused.value.code == "run_not_ended"
    assert not Certificate.objects.exists()


def test_staff_grant_a_run_now_from_the_admin(client: Any, ended: Run, learner: User) -> None:
    enrol(ended, learner, "1")
    running = make_run(ended.course, ended=False)
    client.force_login(make_user(is_staff=True, is_superuser=True))
    response = client.post(
        "/admin/courses/run/",
        {"action": "grant_certificates", "_selected_action": [ended.pk, running.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "发放 1 张" in page and "开课尚未结束" in page
    assert Certificate.objects.get(user=learner).status == Certificate.Status.ISSUED
    assert client.get("/admin/courses/certificate/").status_code == 200


def issued_certificate(run: Run, user: User) -> Certificate:
    enrol(run, user, "1")
    services.run_certificates_grant(run=run)
    return Certificate.objects.select_related("credential").get(run=run, user=user)


def test_a_learner_lists_downloads_and_the_code_verifies(
    client: Any, ended: Run, learner: User, django_assert_num_queries: Any
) -> None:
    certificate = issued_certificate(ended, learner)
    credential = certificate.credential
    assert credential is not None
    client.force_login(learner)
    page = client.get("/courses/certificates/").content.decode()
    assert "数据结构" in page and credential.code_display in page and f"/verify/{credential.code}" in page
    pdf = client.get(f"/courses/certificates/{certificate.pk}/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "no-store" in pdf["Cache-Control"]
    assert b"/Count 1" in pdf.content and b"/MediaBox [ 0 0 841.8898 595.2756 ]" in pdf.content  # one landscape A4
    assert certificate_statement(credential).startswith("兹证明 林晓雨 于")
    assert "修读在北京师范大学开设的《数据结构》（2026 春季学期），完成比例 100%" in certificate_statement(credential)
    signed = client.get(f"/courses/certificates/{certificate.pk}/vc.json").json()
    # Offline: the VC-JWT verifies with the platform's published key alone.
    document = vc.verify_vc_jwt(signed["jwt"], vc.jwks())
    assert document["credentialSubject"]["name"] == "林晓雨"
    assert ["课程名称", "数据结构"] in [[c["name"], c["value"]] for c in document["credentialSubject"]["claims"]]
    client.logout()
    # +1: the address's verification limit, counted in the database without Redis (core.counters)
    with django_assert_num_queries(2):
        verified = client.get(f"/verify/{credential.code}")
    assert verified.status_code == 200
    html = verified.content.decode()
    assert "数据结构" in html and "林*雨" in html and "北京师范大学 · 国家高等教育智慧教育平台" in html


def test_a_learner_waiting_for_identity_is_told_how_to_complete_it(client: Any, ended: Run) -> None:
    learner = make_user(display_name="小明")
    enrol(ended, learner, "0.9")
    services.certificates_grant_due()
    client.force_login(learner)
    page = client.get("/courses/certificates/").content.decode()
    assert 'id="identity-needed"' in page and "/accounts/me/identity/?next=/courses/certificates/" in page
    certificate = Certificate.objects.get(user=learner)
    assert client.get(f"/courses/certificates/{certificate.pk}/pdf").status_code == 404


def test_another_learner_cannot_download_someones_certificate(client: Any, ended: Run, learner: User) -> None:
    certificate = issued_certificate(ended, learner)
    other = make_holder("周七")[0]
    client.force_login(other)
    assert client.get(f"/courses/certificates/{certificate.pk}/pdf").status_code == 404
    assert client.get(f"/courses/certificates/{certificate.pk}/vc.json").status_code == 404
    assert "数据结构" not in client.get("/courses/certificates/").content.decode()


def test_visitors_are_sent_to_sign_in(client: Any, ended: Run, learner: User) -> None:
    certificate = issued_certificate(ended, learner)
    for url in ("/courses/certificates/", f"/courses/certificates/{certificate.pk}/pdf"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db(transaction=True)
def test_two_workers_on_one_run_issue_each_certificate_once(university_course: Course, monkeypatch: Any) -> None:
    """Two workers on one run at once (PostgreSQL: real row locks; SQLite serialises writers anyway)."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need a server database")
    monkeypatch.setattr(certificate_services, "BATCH", 3)
    run = make_run(university_course)
    for i in range(12):
        enrol(run, make_holder(f"并发{i}")[0], "1")
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            services.run_certificates_grant(run=Run.objects.get(pk=run.pk))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    services.certificates_grant_due()  # whatever a skipped worker left, the next pass finishes
    assert Certificate.objects.filter(run=run, status=Certificate.Status.ISSUED).count() == 12
    assert Credential.objects.filter(kind=Credential.Kind.COURSE).count() == 12
    run.refresh_from_db()
    assert run.certificates_issued_at is not None


def test_staff_grant_from_the_command_line(ended: Run, learner: User) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    enrol(ended, learner, "1")
    out = StringIO()
    call_command("grant_certificates", "--run", str(ended.pk), stdout=out)
    assert "issued 1" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("grant_certificates", "--run", "999999", stdout=out)
    call_command("grant_certificates", stdout=out)
    assert "runs 0" in out.getvalue()


def test_the_certificates_page_reads_in_english(client: Any, ended: Run, learner: User) -> None:
    from django.conf import settings

    from zhijiao.portal.tests.languages import interface_chinese

    issued_certificate(ended, learner)
    waiting_run = make_run(ended.course)
    enrol(waiting_run, learner, "1")
    Certificate.objects.create(run=waiting_run, user=learner, completion=Decimal("1"))
    client.force_login(learner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/courses/certificates/").content.decode()
    assert "My course certificates" in page and "Download PDF" in page
    assert interface_chinese(page, "数据结构", "北京师范大学", "2026 春季学期", "林晓雨") == []


def test_the_certificates_page_costs_the_same_for_one_or_many(
    client: Any, university_course: Course, learner: User, django_assert_max_num_queries: Any
) -> None:
    for _ in range(5):
        issued_certificate(make_run(university_course), learner)
    client.force_login(learner)
    # The certificates with their run, course, university, credential and revocation are one query, the identity
    # one more; the rest is the signed-in layout's (session, user, unread notifications, memberships …).
    with django_assert_max_num_queries(9):
        page = client.get("/courses/certificates/")
    assert page.content.decode().count("/pdf") == 5


def test_the_worker_scheduler_runs_the_certificate_pass(ended: Run, learner: User) -> None:
    from zhijiao.core.schedule import claim_and_enqueue, registered

    enrol(ended, learner, "1")
    entry = next(entry for entry in registered() if entry.name == "courses.certificates")
    assert claim_and_enqueue(entry)  # the immediate backend runs it at once
    assert not claim_and_enqueue(entry)  # once per slot, whichever worker's scheduler comes first
    assert Certificate.objects.get(user=learner).status == Certificate.Status.ISSUED


def test_a_failing_run_does_not_hold_back_the_others(
    university_course: Course, learner: User, monkeypatch: Any
) -> None:
    broken, fine = make_run(university_course), make_run(university_course)
    Run.objects.filter(pk=broken.pk).update(ends_at=broken.ends_at - timedelta(days=1))  # the first in line
    enrol(fine, learner, "1")
    real = certificate_services.run_certificates_grant

    def grant(*, run: Run) -> Any:
        if run.pk == broken.pk:
            raise RuntimeError("disk full")
        return real(run=run)

    monkeypatch.setattr(certificate_services, "run_certificates_grant", grant)
    assert services.certificates_grant_due().issued == 1
    assert Run.objects.get(pk=broken.pk).certificates_issued_at is None


def test_a_graded_run_also_needs_the_pass_line_and_prints_the_level(
    client: Any, ended: Run, learner: User, django_capture_on_commit_callbacks: Any
) -> None:
    """Once a run graded anything, completion alone is not enough: the kept grade must reach 合格, and the
    certificate says 合格 or 优秀."""
    import uuid

    from zhijiao.courses.grading import default_policy

    ended.grading_policy = default_policy().as_json()
    ended.save()
    passing, failing = make_holder("钱七")[0], make_holder("孙八")[0]
    exam = uuid.uuid4()
    for user, completion, earned in ((learner, "0.950", "92"), (passing, "0.900", "70"), (failing, "1", "40")):
        enrol(ended, user, completion)
        services.score_record(
            run=ended, user=user, content_id=exam, category="exam", earned=earned, possible="100", source="exam"
        )
    with django_capture_on_commit_callbacks(execute=True):
        result = services.run_certificates_grant(run=ended)
    assert (result.created, result.issued) == (2, 2)
    assert not Certificate.objects.filter(user=failing).exists()  # completed everything, but 40 < 60
    best = Certificate.objects.get(run=ended, user=learner)
    assert (best.level, best.percent) == ("excellent", Decimal("92.00"))
    assert best.credential is not None
    claims = dict(best.credential.claim_items)
    assert claims["成绩等级"] == "优秀" and claims["总评成绩"] == "92.00"
    assert claims["证书要求"] == "完成比例不低于80%，且总评成绩达到合格线"
    assert "完成比例 95%，成绩优秀，达到课程证书要求" in certificate_statement(best.credential)
    second = Certificate.objects.get(run=ended, user=passing)
    assert second.credential is not None and dict(second.credential.claim_items)["成绩等级"] == "合格"
    client.force_login(learner)
    page = client.get("/courses/certificates/").content.decode()
    assert 'data-level="excellent"' in page and "优秀" in page
    pdf = client.get(f"/courses/certificates/{best.pk}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
