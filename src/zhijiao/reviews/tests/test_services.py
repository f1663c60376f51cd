"""The review engine through its services: the life of a submission, conflicts of interest, scores, aggregation,
decisions with 入库编号, appeals and reminders."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhijiao.core.errors import DomainError, NotFound
from zhijiao.core.models import AuditLog
from zhijiao.notifications.models import Notification
from zhijiao.orgs.models import Organization, Role
from zhijiao.orgs.tests.factories import add_member, make_organization
from zhijiao.reviews import kinds, services
from zhijiao.reviews.models import Appeal, Assignment, DeclaredConflict, Submission
from zhijiao.reviews.workflow import Status

from .factories import make_applicant, make_call, make_expert, make_submission, pdf_upload

pytestmark = pytest.mark.django_db


def _scores(call: Any, *values: Any) -> dict[str, Any]:
    return {str(c.pk): v for c, v in zip(call.criteria.all(), values, strict=True)}


def _review_all(submission: Submission, values: list[tuple[Any, ...]]) -> None:
    for assignment, scores in zip(submission.assignments.filter(state="assigned").order_by("id"), values, strict=True):
        services.review_submit(
            expert=assignment.expert,
            assignment=assignment,
            scores=_scores(submission.call, *scores),
            comment="选题有价值，论证较充分，建议补充数据。",
        )


def test_a_submission_goes_from_draft_to_accepted_with_an_accession_number(
    call: Any, applicant: Any, experts: list[Any], staff: Any, django_capture_on_commit_callbacks: Any
) -> None:
    submission = make_submission(call, applicant, status="draft")
    with pytest.raises(ValidationError) as missing:
        services.submission_submit(applicant=applicant, submission=submission)
    assert "attachments" in missing.value.message_dict
    services.attachment_add(applicant=applicant, submission=submission, role="full_text", upload=pdf_upload())
    services.submission_submit(applicant=applicant, submission=submission)
    services.submission_check(actor=staff, submission=submission, passed=True)
    result = services.assignments_auto(actor=staff, call=call)
    assert result.assigned == 2 and not result.short
    submission.refresh_from_db()
    assert submission.status == Status.UNDER_REVIEW
    _review_all(submission, [(8, 8, 4), (9, 7, 4)])
    submission.refresh_from_db()
    assert submission.status == Status.REVIEWED
    assert submission.score == Decimal("80.00")  # (64+16)... 80 and 80: the mean of two equal totals
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_decide(actor=staff, submission=submission, decision="accept")
    submission.refresh_from_db()
    year = timezone.localdate().year
    assert submission.status == Status.ACCEPTED
    assert submission.accession_no == f"PS-{year}-0001"
    assert Notification.objects.filter(user=applicant, body__contains=submission.accession_no).exists()
    actions = set(AuditLog.objects.filter(object_id=str(submission.pk)).values_list("action", flat=True))
    assert {
        "reviews.submission.submit",
        "reviews.submission.check",
        "reviews.review.submit",
        "reviews.submission.aggregate",
        "reviews.submission.decide",
    } <= actions


def test_accession_numbers_count_up_per_prefix_and_year(call: Any, experts: list[Any], staff: Any) -> None:
    numbers = []
    for _ in range(2):
        submission = make_submission(call, make_applicant(), status="checked")
        services.assignments_auto(actor=staff, call=call)
        submission.refresh_from_db()
        _review_all(submission, [(8, 8, 4), (8, 8, 4)])
        submission.refresh_from_db()
        numbers.append(services.submission_decide(actor=staff, submission=submission, decision="accept").accession_no)
    year = timezone.localdate().year
    assert numbers == [f"PS-{year}-0001", f"PS-{year}-0002"]


def test_a_kind_registered_by_another_app_numbers_and_publishes_on_accept(
    applicant: Any, experts: list[Any], staff: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kinds, "_kinds", dict(kinds._kinds))  # the test's kind leaves with the test
    published: list[tuple[int, str, list[str], list[str]]] = []

    def on_accept(*, submission: Any, accession_no: str) -> None:
        # As a kind reads them: the related sets as ordered iterables.
        authors = [author.name for author in submission.authors or ()]
        roles = [attachment.role for attachment in submission.attachments or ()]
        published.append((submission.pk, accession_no, authors, roles))

    kinds.register(
        kinds.ReviewKind(
            code="test_intake", label="测试入库", accession_prefix="TST", metadata_form=None, on_accept=on_accept
        )
    )
    call = make_call(kind="test_intake")
    submission = make_submission(
        call, applicant, status="checked", metadata={}, authors=[{"name": str(applicant)}, {"name": "李合作"}]
    )
    services.assignments_auto(actor=staff, call=call)
    _review_all(submission, [(8, 8, 4), (8, 8, 4)])
    services.submission_decide(actor=staff, submission=submission, decision="accept")
    year = timezone.localdate().year
    assert published == [(submission.pk, f"TST-{year}-0001", [str(applicant), "李合作"], ["full_text"])]


def test_metadata_is_checked_by_the_kinds_form_on_submit(call: Any, applicant: Any) -> None:
    submission = make_submission(call, applicant, status="draft", metadata={})
    services.attachment_add(applicant=applicant, submission=submission, role="full_text", upload=pdf_upload())
    with pytest.raises(ValidationError) as error:
        services.submission_submit(applicant=applicant, submission=submission)
    assert "keywords" in error.value.message_dict
    assert Submission.objects.get(pk=submission.pk).status == Status.DRAFT


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("全文.pdf", b"", "empty"),
        ("全文.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "wrong_type"),
        ("全文.exe", b"MZ\x90\x00" + b"0" * 100, "wrong_type"),
    ],
)
def test_wrong_uploads_are_refused_and_nothing_is_stored(
    call: Any, applicant: Any, name: str, content: bytes, code: str
) -> None:
    submission = make_submission(call, applicant, status="draft")
    with pytest.raises(ValidationError) as error:
        services.attachment_add(
            applicant=applicant, submission=submission, role="full_text", upload=SimpleUploadedFile(name, content)
        )
    assert error.value.error_dict["file"][0].code == code
    assert not submission.attachments.exists()


def test_an_oversized_upload_is_refused(call: Any, applicant: Any, settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 100
    submission = make_submission(call, applicant, status="draft")
    with pytest.raises(ValidationError) as error:
        services.attachment_add(
            applicant=applicant,
            submission=submission,
            role="full_text",
            upload=pdf_upload() if False else SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * 200),
        )
    assert error.value.error_dict["file"][0].code == "too_big"
    assert not submission.attachments.exists()


def test_a_member_of_an_ineligible_organisation_cannot_apply(call: Any, teacher: Any) -> None:
    with pytest.raises(DomainError) as error:
        make_submission(call, teacher, status="draft")
    assert error.value.code == "not_eligible"


def test_a_closed_call_takes_no_submissions(applicant: Any) -> None:
    today = timezone.localdate()
    call = make_call(opens_on=today - timedelta(days=30), closes_on=today - timedelta(days=1))
    with pytest.raises(DomainError) as error:
        make_submission(call, applicant, status="draft")
    assert error.value.code == "call_closed"


def test_a_returned_submission_is_corrected_and_sent_again(call: Any, applicant: Any, staff: Any) -> None:
    submission = make_submission(call, applicant)
    with pytest.raises(ValidationError):
        services.submission_check(actor=staff, submission=submission, passed=False, reason="")
    services.submission_check(actor=staff, submission=submission, passed=False, reason="缺少单位盖章页")
    submission.refresh_from_db()
    assert (submission.status, submission.return_reason) == (Status.RETURNED, "缺少单位盖章页")
    services.submission_update(applicant=applicant, submission=submission, title="修改后的题目")
    services.submission_submit(applicant=applicant, submission=submission)
    submission.refresh_from_db()
    assert (submission.status, submission.return_reason) == (Status.SUBMITTED, "")


# --- Conflicts of interest ----------------------------------------------------------------------------------------


def test_an_expert_of_the_applicants_organisation_is_refused_and_the_refusal_is_logged(
    call: Any, applicant: Any, applicant_org: Organization, staff: Any
) -> None:
    colleague = make_expert(applicant_org)
    submission = make_submission(call, applicant, status="checked")
    with pytest.raises(DomainError) as error:
        services.assignment_create(actor=staff, submission=submission, expert=colleague)
    assert error.value.code == "conflict_of_interest"
    assert "同属一个单位" in str(error.value.message)
    assert not Assignment.objects.exists()
    refusal = AuditLog.objects.get(action="reviews.assignment.create", result=AuditLog.Result.FAILURE)
    assert refusal.detail == {"expert_id": colleague.pk, "conflict": "same_organization"}


def test_an_expert_in_a_coauthors_organisation_is_refused(call: Any, applicant: Any, staff: Any) -> None:
    other = make_organization(Organization.Kind.UNIVERSITY, "合作大学")
    expert = make_expert(other)
    submission = make_submission(
        call,
        applicant,
        status="checked",
        authors=[{"name": str(applicant)}, {"name": "李合作", "organization_id": other.pk}],
    )
    with pytest.raises(DomainError):
        services.assignment_create(actor=staff, submission=submission, expert=expert)


def test_declared_conflicts_are_refused(call: Any, applicant: Any, applicant_org: Organization, staff: Any) -> None:
    by_org, by_name = make_expert(), make_expert()
    DeclaredConflict.objects.create(expert=by_org, organization=applicant_org, reason="曾在该校兼职")
    DeclaredConflict.objects.create(expert=by_name, person_name="李合作", reason="师生关系")
    submission = make_submission(
        call, applicant, status="checked", authors=[{"name": str(applicant)}, {"name": "李合作"}]
    )
    for expert in (by_org, by_name):
        with pytest.raises(DomainError) as error:
            services.assignment_create(actor=staff, submission=submission, expert=expert)
        assert "声明" in str(error.value.message)


def test_an_expert_who_wrote_with_an_author_before_is_refused(call: Any, applicant: Any, staff: Any) -> None:
    expert = make_expert()
    earlier_call = make_call(eligible_org_kinds=[])
    make_submission(earlier_call, expert, status="draft", authors=[{"name": str(expert)}, {"name": "王共著"}])
    submission = make_submission(
        call, applicant, status="checked", authors=[{"name": str(applicant)}, {"name": "王共著"}]
    )
    with pytest.raises(DomainError) as error:
        services.assignment_create(actor=staff, submission=submission, expert=expert)
    assert "共同署名" in str(error.value.message)


def test_automatic_assignment_skips_conflicts_prefers_the_field_and_balances_load(
    call: Any, applicant_org: Organization, staff: Any
) -> None:
    colleague = make_expert(applicant_org, fields=["0401"])
    in_field = [make_expert(fields=["0401"]) for _ in range(3)]
    out_of_field = make_expert(fields=["0812"])
    for _ in range(3):
        make_submission(call, make_applicant(applicant_org), status="checked")
    result = services.assignments_auto(actor=staff, call=call)
    assert result.assigned == 6 and not result.short and result.out_of_field == 0
    loads = {e.pk: Assignment.objects.filter(expert=e).count() for e in [colleague, *in_field, out_of_field]}
    assert loads[colleague.pk] == 0 and loads[out_of_field.pk] == 0
    assert sorted(loads[e.pk] for e in in_field) == [2, 2, 2]


def test_automatic_assignment_reports_submissions_left_short(applicant: Any, staff: Any, expert: Any) -> None:
    make_expert()  # with the named expert: two in the pool, for five places
    call = make_call(reviewers_per_submission=5)
    submission = make_submission(call, applicant, status="checked")
    result = services.assignments_auto(actor=staff, call=call)
    assert result.short == {submission.pk: 3}


def test_an_expert_recuses_and_another_takes_their_place(
    call: Any, applicant: Any, experts: list[Any], staff: Any
) -> None:
    submission = make_submission(call, applicant, status="checked")
    services.assignments_auto(actor=staff, call=call)
    first = submission.assignments.order_by("id").first()
    assert first is not None
    services.assignment_recuse(expert=first.expert, assignment=first, reason="作者是我指导过的学生")
    states = list(submission.assignments.order_by("id").values_list("state", flat=True))
    assert states == ["recused", "assigned", "assigned"]


# --- Scores --------------------------------------------------------------------------------------------------------


def test_scores_outside_a_criterions_range_are_refused_and_nothing_is_saved(
    call: Any, applicant: Any, experts: list[Any], staff: Any
) -> None:
    submission = make_submission(call, applicant, status="checked")
    services.assignments_auto(actor=staff, call=call)
    assignment = submission.assignments.first()
    assert assignment is not None
    for bad in [(11, 8, 4), (-1, 8, 4), (8, 8, 6), ("八", 8, 4), (8.25, 8, 4), ("", 8, 4)]:
        with pytest.raises(ValidationError) as error:
            services.review_submit(
                expert=assignment.expert,
                assignment=assignment,
                scores=_scores(call, *bad),
                comment="意见意见意见意见意见",
            )
        assert any(key.startswith("score_") for key in error.value.message_dict)
    assignment.refresh_from_db()
    assert assignment.state == "assigned" and not hasattr(assignment, "review")


def test_an_expert_cannot_review_a_submission_not_assigned_to_them(
    call: Any, applicant: Any, experts: list[Any], staff: Any
) -> None:
    submission = make_submission(call, applicant, status="checked")
    services.assignments_auto(actor=staff, call=call)
    assignment = submission.assignments.first()
    assert assignment is not None
    outsider = next(e for e in experts if e.pk not in set(submission.assignments.values_list("expert_id", flat=True)))
    with pytest.raises(NotFound):
        services.review_submit(
            expert=outsider, assignment=assignment, scores=_scores(call, 8, 8, 4), comment="意见" * 6
        )


def test_an_expert_whose_conflict_appears_after_assignment_cannot_review(
    call: Any, applicant: Any, applicant_org: Organization, experts: list[Any], staff: Any
) -> None:
    submission = make_submission(call, applicant, status="checked")
    services.assignments_auto(actor=staff, call=call)
    assignment = submission.assignments.first()
    assert assignment is not None
    add_member(assignment.expert, applicant_org, Role.UNIVERSITY_FACULTY)  # the expert moved to the applicant's school
    with pytest.raises(DomainError) as error:
        services.review_submit(
            expert=assignment.expert, assignment=assignment, scores=_scores(call, 8, 8, 4), comment="意见" * 6
        )
    assert error.value.code == "conflict_of_interest"


def test_a_large_disagreement_is_flagged_and_one_more_expert_is_asked(
    call: Any, applicant: Any, experts: list[Any], staff: Any
) -> None:
    submission = make_submission(call, applicant, status="checked")
    services.assignments_auto(actor=staff, call=call)
    _review_all(submission, [(10, 10, 5), (2, 2, 1)])
    submission.refresh_from_db()
    assert submission.flagged and submission.status == Status.UNDER_REVIEW
    assert submission.score_spread == Decimal("80.00")
    assert submission.assignments.filter(state="assigned").count() == 1
    _review_all(submission, [(6, 6, 3)])
    submission.refresh_from_db()
    assert submission.status == Status.REVIEWED and submission.flagged
    assert submission.score == Decimal("60.00")


def test_trimmed_mean_drops_the_highest_and_lowest_with_five_reviews() -> None:
    totals = [Decimal(v) for v in ("90", "80", "70", "60", "10")]
    assert services.aggregate(totals, "trimmed_mean") == Decimal("70.00")
    assert services.aggregate(totals[:3], "trimmed_mean") == Decimal("80.00")  # too few: the plain mean
    assert services.aggregate(totals, "mean") == Decimal("62.00")


# --- Decisions and appeals ------------------------------------------------------------------------------------------


def _reviewed(call: Any, applicant: Any, staff: Any) -> Submission:
    submission = make_submission(call, applicant, status="checked")
    services.assignments_auto(actor=staff, call=call)
    _review_all(submission, [(5, 5, 3), (5, 5, 3)])
    submission.refresh_from_db()
    return submission


def test_rejecting_needs_a_reason_and_the_applicant_appeals_once_within_the_window(
    call: Any, applicant: Any, experts: list[Any], staff: Any
) -> None:
    submission = _reviewed(call, applicant, staff)
    with pytest.raises(ValidationError):
        services.submission_decide(actor=staff, submission=submission, decision="reject")
    services.submission_decide(actor=staff, submission=submission, decision="reject", reason="创新性不足")
    appeal = services.appeal_file(applicant=applicant, submission=submission, reason="评审意见与事实不符，请复核。")
    with pytest.raises(DomainError) as pending:
        services.appeal_file(applicant=applicant, submission=submission, reason="再次申诉，请复核这件申报。")
    assert pending.value.code == "appeal_pending"
    services.appeal_decide(actor=staff, appeal=appeal, uphold=True, response="经复核，重新作出结论。")
    submission.refresh_from_db()
    assert submission.status == Status.REVIEWED and submission.decision == ""
    assert Appeal.objects.get().state == Appeal.State.UPHELD


def test_no_appeal_after_the_deadline(applicant: Any, experts: list[Any], staff: Any) -> None:
    call = make_call(
        appeal_deadline=timezone.localdate() - timedelta(days=1),
        review_deadline=timezone.localdate() + timedelta(days=30),
    )
    submission = _reviewed(call, applicant, staff)
    services.submission_decide(actor=staff, submission=submission, decision="reject", reason="创新性不足")
    with pytest.raises(DomainError) as error:
        services.appeal_file(applicant=applicant, submission=submission, reason="评审意见与事实不符，请复核。")
    assert error.value.code == "appeal_closed"
    assert not Appeal.objects.exists()


def test_a_revised_submission_comes_back_in_the_next_round(
    call: Any, applicant: Any, experts: list[Any], staff: Any
) -> None:
    submission = _reviewed(call, applicant, staff)
    services.submission_decide(actor=staff, submission=submission, decision="revise", reason="请补充实施数据")
    services.submission_update(applicant=applicant, submission=submission, abstract="补充了两年的实施数据。")
    services.submission_submit(applicant=applicant, submission=submission)
    submission.refresh_from_db()
    assert (submission.status, submission.round, submission.decision, submission.score) == (
        Status.SUBMITTED,
        2,
        "",
        None,
    )


def test_experts_are_reminded_once_a_day_of_reviews_due_soon(applicant: Any, experts: list[Any], staff: Any) -> None:
    today = timezone.localdate()
    call = make_call(closes_on=today + timedelta(days=1), review_deadline=today + timedelta(days=2))
    make_submission(call, applicant, status="checked")
    services.assignments_auto(actor=staff, call=call)
    assert services.reminders_send_due() == 2
    assert services.reminders_send_due() == 0
    assert Notification.objects.filter(title__startswith="评审提醒").count() == 2


# --- Refused roles ------------------------------------------------------------------------------------------------


STAFF_ONLY = ["teacher", "student", "expert", "hall_officer", "university_faculty"]


@pytest.mark.parametrize("role", STAFF_ONLY)
def test_only_review_staff_check_assign_decide_and_answer_appeals(
    role: str, users: dict[str, Any], call: Any, applicant: Any, experts: list[Any], staff: Any
) -> None:
    actor = users[role]
    submission = make_submission(call, applicant)
    with pytest.raises(NotFound):
        services.submission_check(actor=actor, submission=submission, passed=True)
    services.submission_check(actor=staff, submission=submission, passed=True)
    with pytest.raises(NotFound):
        services.assignments_auto(actor=actor, call=call)
    with pytest.raises(NotFound):
        services.assignment_create(actor=actor, submission=submission, expert=experts[0])
    services.assignments_auto(actor=staff, call=call)
    _review_all(Submission.objects.get(pk=submission.pk), [(5, 5, 3), (5, 5, 3)])
    with pytest.raises(NotFound):
        services.submission_decide(actor=actor, submission=submission, decision="accept")
    services.submission_decide(actor=staff, submission=submission, decision="reject", reason="创新性不足")
    appeal = services.appeal_file(applicant=applicant, submission=submission, reason="评审意见与事实不符，请复核。")
    with pytest.raises(NotFound):
        services.appeal_decide(actor=actor, appeal=appeal, uphold=True, response="同意")
    assert Submission.objects.get(pk=submission.pk).status == Status.REJECTED


def test_only_the_applicant_changes_submits_and_appeals_their_submission(
    call: Any, applicant: Any, university_faculty: Any
) -> None:
    submission = make_submission(call, applicant, status="draft")
    with pytest.raises(NotFound):
        services.submission_update(applicant=university_faculty, submission=submission, title="改")
    with pytest.raises(NotFound):
        services.attachment_add(
            applicant=university_faculty, submission=submission, role="full_text", upload=pdf_upload()
        )
    with pytest.raises(NotFound):
        services.submission_submit(applicant=university_faculty, submission=submission)
    with pytest.raises(NotFound):
        services.appeal_file(applicant=university_faculty, submission=submission, reason="不服这个结论，请复核。")


def test_the_worker_reminds_experts_every_hour() -> None:
    from zhijiao.core import schedule

    entry = next(item for item in schedule.registered() if item.name == "reviews.remind_due")
    assert entry.seconds == 3600
