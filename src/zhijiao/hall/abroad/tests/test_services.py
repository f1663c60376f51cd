"""The state machine of the four services through their services: drafts, required documents, submission,
officer decisions, bulk decisions, history, notifications and the audit log."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from zhijiao.core.errors import DomainError, NotFound
from zhijiao.core.models import AuditLog
from zhijiao.hall.abroad import selectors, services
from zhijiao.hall.abroad.models import Application, Service, Status, StatusChange
from zhijiao.notifications.models import Notification

from .factories import DATA, make_application, pdf_upload, register_departure

pytestmark = pytest.mark.django_db


def test_draft_keeps_partial_data_and_checks_formats(applicant: Any) -> None:
    application = services.application_create(applicant=applicant, service=Service.DEGREE, data={"country": "英国"})
    assert application.status == Status.DRAFT
    assert application.data == {"country": "英国"}
    with pytest.raises(ValidationError) as caught:
        services.application_update(applicant=applicant, application=application, data={"study_start": "去年九月"})
    assert "study_start" in caught.value.message_dict
    application.refresh_from_db()
    assert application.data == {"country": "英国"}


def test_submit_needs_every_field_and_document(applicant: Any) -> None:
    application = services.application_create(applicant=applicant, service=Service.DEGREE, data={"country": "英国"})
    services.document_add(applicant=applicant, application=application, kind="diploma", upload=pdf_upload())
    with pytest.raises(ValidationError) as caught:
        services.application_submit(applicant=applicant, application=application)
    errors = caught.value.message_dict
    assert "institution" in errors
    assert "成绩单" in errors["documents"][0] and "护照页" in errors["documents"][0]
    assert "学位证书" not in errors["documents"][0]
    application.refresh_from_db()
    assert application.status == Status.DRAFT and application.submitted_at is None


def test_dates_must_be_in_order(applicant: Any) -> None:
    data = {**DATA[Service.DEGREE], "study_end": "2020-01-01"}
    with pytest.raises(ValidationError) as caught:
        services.application_create(applicant=applicant, service=Service.DEGREE, data=data)
    assert caught.value.message_dict["study_end"] == ["毕业时间不能早于入学时间"]
    assert not Application.objects.exists()


def test_submission_is_recorded_and_notified(applicant: Any, committed: Any) -> None:
    with committed():
        application = make_application(applicant, Service.DEGREE)
    assert application.status == Status.SUBMITTED
    assert application.submitted_at is not None
    assert application.applicant_name == "陈思远"
    history = list(application.history.values_list("from_status", "to_status"))
    assert history == [("", "draft"), ("draft", "submitted")]
    note = Notification.objects.get(user=applicant)
    assert note.title == "国（境）外学历学位认证：已提交"
    assert note.url == f"/hall/abroad/applications/{application.pk}/"


def test_submitted_application_cannot_be_edited_until_documents_are_requested(
    applicant: Any, officer: Any, committed: Any
) -> None:
    application = make_application(applicant, Service.ARCHIVE)
    with pytest.raises(DomainError) as caught:
        services.application_update(applicant=applicant, application=application, data={"program": "改"})
    assert caught.value.code == "not_editable"
    with pytest.raises(DomainError):
        services.document_add(
            applicant=applicant, application=application, kind="admission_letter", upload=pdf_upload()
        )

    with committed():
        services.application_decide(
            actor=officer, application=application, action="request_documents", reason="请补充加盖公章的调档函"
        )
    application.refresh_from_db()
    assert application.status == Status.MORE_DOCUMENTS
    assert Notification.objects.filter(user=applicant, title__contains="待补充材料", body__contains="调档函").exists()
    services.document_add(applicant=applicant, application=application, kind="archive_transfer", upload=pdf_upload())
    application = services.application_submit(applicant=applicant, application=application)
    assert application.status == Status.SUBMITTED


def test_officer_decisions_follow_the_state_machine(applicant: Any, officer: Any) -> None:
    application = make_application(applicant, Service.ARCHIVE)
    services.application_decide(actor=officer, application=application, action="receive")
    with pytest.raises(DomainError) as caught:
        services.application_decide(actor=officer, application=application, action="receive")
    assert caught.value.code == "not_allowed"
    with pytest.raises(ValidationError) as missing_reason:
        services.application_decide(actor=officer, application=application, action="reject")
    assert "reason" in missing_reason.value.message_dict
    done = services.application_decide(actor=officer, application=application, action="approve", reason="已存档")
    assert done.status == Status.ARCHIVED
    assert done.decided_by == officer and done.decided_at is not None
    with pytest.raises(DomainError):
        services.application_decide(actor=officer, application=application, action="reject", reason="晚了")
    audit = AuditLog.objects.filter(object_type="abroad.application", object_id=str(application.pk))
    assert set(audit.values_list("action", flat=True)) == {"abroad.application.receive", "abroad.application.approve"}
    assert audit.get(action="abroad.application.approve").detail["to"] == "archived"


def test_rejection_tells_the_applicant_why(applicant: Any, officer: Any, committed: Any) -> None:
    application = make_application(applicant, Service.RETURNEE)
    with committed():
        services.application_decide(actor=officer, application=application, action="reject", reason="学位证书无法核实")
    application.refresh_from_db()
    assert application.status == Status.REJECTED
    assert application.decision_reason == "学位证书无法核实"
    assert Notification.objects.filter(user=applicant, title="留学人员回国：未通过").exists()


def test_non_officers_cannot_decide(applicant: Any, other_applicant: Any, users: dict[str, Any]) -> None:
    application = make_application(applicant, Service.ARCHIVE)
    for user in (applicant, other_applicant, users["employment_staff"], users["platform_admin"]):
        with pytest.raises(NotFound):
            services.application_decide(actor=user, application=application, action="approve")
        with pytest.raises(NotFound):
            services.applications_bulk_decide(actor=user, application_ids=[application.pk], action="approve")
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_applicants_act_only_on_their_own(applicant: Any, other_applicant: Any) -> None:
    application = make_application(applicant, Service.ARCHIVE, submit=False)
    with pytest.raises(NotFound):
        services.application_update(applicant=other_applicant, application=application, data={"program": "x"})
    with pytest.raises(NotFound):
        services.application_submit(applicant=other_applicant, application=application)
    with pytest.raises(NotFound):
        services.document_add(
            applicant=other_applicant, application=application, kind="admission_letter", upload=pdf_upload()
        )
    with pytest.raises(NotFound):
        selectors.access_application(actor=other_applicant, application_id=application.pk)


def test_officers_never_see_drafts(applicant: Any, officer: Any) -> None:
    draft = make_application(applicant, Service.ARCHIVE, submit=False)
    with pytest.raises(NotFound):
        selectors.access_application(actor=officer, application_id=draft.pk)
    assert not selectors.officer_queue(actor=officer).exists()


def test_dispatch_runs_through_both_stages(applicant: Any, officer: Any) -> None:
    application = make_application(applicant, Service.DISPATCH)
    application = services.application_decide(actor=officer, application=application, action="approve")
    assert application.status == Status.CONFIRMED and application.stage == 2
    with pytest.raises(ValidationError) as caught:
        services.application_submit(applicant=applicant, application=application)
    assert "护照个人信息页" in caught.value.message_dict["documents"][0]
    assert "host_institution" in caught.value.message_dict
    application = register_departure(applicant, application)
    assert application.status == Status.DEPARTURE_SUBMITTED
    assert application.data["award_number"] == DATA[Service.DISPATCH]["award_number"]
    services.application_decide(
        actor=officer, application=application, action="request_documents", reason="签证页不清晰"
    )
    application.refresh_from_db()
    application = services.application_submit(applicant=applicant, application=application)
    assert application.status == Status.DEPARTURE_SUBMITTED
    application = services.application_decide(actor=officer, application=application, action="approve")
    assert application.status == Status.DISPATCHED


def test_returnee_is_registered_then_placed(applicant: Any, officer: Any) -> None:
    application = make_application(applicant, Service.RETURNEE)
    application = services.application_decide(actor=officer, application=application, action="approve")
    assert application.status == Status.REGISTERED
    application = services.application_decide(actor=officer, application=application, action="approve")
    assert application.status == Status.PLACED
    from zhijiao.hall.abroad.pdf import placement_pdf

    assert placement_pdf(application).startswith(b"%PDF")


def test_withdraw_before_review_only(applicant: Any, officer: Any) -> None:
    application = make_application(applicant, Service.ARCHIVE)
    services.application_decide(actor=officer, application=application, action="receive")
    with pytest.raises(DomainError):
        services.application_withdraw(applicant=applicant, application=application)
    other = make_application(applicant, Service.ARCHIVE)
    assert services.application_withdraw(applicant=applicant, application=other).status == Status.WITHDRAWN


def test_bulk_decision_reports_each_failure(applicant: Any, officer: Any) -> None:
    first = make_application(applicant, Service.ARCHIVE)
    second = make_application(applicant, Service.RETURNEE)
    rejected = make_application(applicant, Service.ARCHIVE)
    services.application_decide(actor=officer, application=rejected, action="reject", reason="材料不全")
    draft = make_application(applicant, Service.ARCHIVE, submit=False)
    result = services.applications_bulk_decide(
        actor=officer, application_ids=[first.pk, second.pk, rejected.pk, draft.pk, 999999], action="receive"
    )
    assert result.done == [first.pk, second.pk]
    failed = dict(result.failed)
    assert set(failed) == {rejected.pk, draft.pk, 999999}
    assert "不能执行" in failed[rejected.pk]
    assert failed[draft.pk] == "找不到这份申请"
    assert Application.objects.get(pk=rejected.pk).status == Status.REJECTED

    result = services.applications_bulk_decide(actor=officer, application_ids=[first.pk], action="request_documents")
    assert result.done == [] and "请写明需要补充的材料" in result.failed[0][1]


def test_history_is_append_only(applicant: Any) -> None:
    application = make_application(applicant, Service.ARCHIVE)
    change = application.history.last()
    assert change is not None
    change.note = "改写"
    with pytest.raises(PermissionError):
        change.save()
    with pytest.raises(PermissionError):
        StatusChange.objects.filter(application=application).update(note="改写")


def test_document_check_is_audited(applicant: Any, officer: Any) -> None:
    application = make_application(applicant, Service.ARCHIVE)
    document = application.documents.first()
    assert document is not None
    services.document_check(actor=officer, document=document)
    document.refresh_from_db()
    assert document.checked and document.checked_by == officer
    assert AuditLog.objects.filter(action="abroad.document.check", object_id=str(application.pk)).exists()
    with pytest.raises(NotFound):
        services.document_check(actor=applicant, document=document)


def test_approved_degree_gets_one_verifiable_certificate(applicant: Any, officer: Any, committed: Any) -> None:
    from zhijiao.credentials.selectors import credential_by_source, credentials_of

    application = make_application(applicant, Service.DEGREE)
    with committed():
        application = services.application_decide(actor=officer, application=application, action="approve")
    credential = credential_by_source(source_key=f"abroad.application:{application.pk}")
    assert credential is not None
    assert credential.kind == "foreign_degree"
    assert credential.holder_user == applicant and credential.holder_name == "陈思远"
    assert credential.title == "国（境）外学历学位认证书"
    claims = dict(credential.claims)
    assert claims["颁证院校"] == "伦敦大学学院" and claims["学位"] == "硕士"
    assert claims["学习期间"] == "2023年9月至2024年9月"
    assert list(credentials_of(applicant)) == [credential]
    assert selectors.credential_of(application) == credential
    assert Notification.objects.filter(user=applicant, title="国（境）外学历学位认证：已认证").exists()
    # Issuing again (e.g. from a retried task) returns the same certificate.
    assert services.certificate_issue(application=application, officer=officer) == credential
