"""The review API: an applicant's submission from draft to decision, the expert's blind view, staff operations,
and each protected operation refused to every other role."""

from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zhijiao.core.models import AuditLog
from zhijiao.reviews import services
from zhijiao.reviews.models import Assignment, Submission

from .factories import PDF, make_expert, make_submission

pytestmark = pytest.mark.django_db
API = "/api/v1/reviews"


def test_an_applicant_drafts_uploads_and_submits_through_the_api(client: Client, call: Any, applicant: Any) -> None:
    client.force_login(applicant)
    created = client.post(
        f"{API}/calls/{call.pk}/submissions",
        {
            "title": "混合式教学改革",
            "abstract": "两年实践。",
            "field": "0401",
            "metadata": {"keywords": "混合式"},
            "authors": [{"name": "张申报"}, {"name": "李合作"}],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    sid = created.json()["id"]
    assert created.json()["authors"] == ["张申报", "李合作"]
    refused = client.post(f"{API}/submissions/{sid}/submit")
    assert refused.status_code == 422 and "attachments" in refused.json()["fields"]
    wrong = client.post(
        f"{API}/submissions/{sid}/attachments",
        {"role": "full_text", "file": SimpleUploadedFile("a.pdf", b"GIF89a" + b"0" * 50)},
    )
    assert wrong.status_code == 422 and "file" in wrong.json()["fields"]
    upload = client.post(
        f"{API}/submissions/{sid}/attachments", {"role": "full_text", "file": SimpleUploadedFile("全文.pdf", PDF)}
    )
    assert upload.status_code == 201
    submitted = client.post(f"{API}/submissions/{sid}/submit")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert [row["id"] for row in client.get(f"{API}/submissions").json()] == [sid]


def test_the_expert_api_is_blind_and_refuses_bad_scores(
    client: Client, call: Any, applicant: Any, experts: list[Any], staff: Any
) -> None:
    submission = make_submission(call, applicant, status="checked", authors=[{"name": "张申报"}, {"name": "李合作"}])
    services.assignments_auto(actor=staff, call=call)
    assignment = submission.assignments.order_by("id").first()
    assert assignment is not None
    client.force_login(assignment.expert)
    body = client.get(f"{API}/assignments/{assignment.pk}")
    assert body.status_code == 200
    text = body.content.decode()
    for secret in ("张申报", "李合作", "华东示范大学", "全文.pdf", "applicant", "organization", "author"):
        assert secret not in text, secret
    criteria = body.json()["criteria"]
    bad = client.post(
        f"{API}/assignments/{assignment.pk}/review",
        {"scores": {str(c["id"]): c["max_score"] + 1 for c in criteria}, "comment": "意见意见意见意见意见"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and all(f"score_{c['id']}" in bad.json()["fields"] for c in criteria)
    good = client.post(
        f"{API}/assignments/{assignment.pk}/review",
        {"scores": {str(c["id"]): c["max_score"] for c in criteria}, "comment": "意见意见意见意见意见"},
        content_type="application/json",
    )
    assert good.status_code == 201 and good.json()["my_total"] == "100.00"
    again = client.post(
        f"{API}/assignments/{assignment.pk}/review",
        {"scores": {str(c["id"]): 1 for c in criteria}, "comment": "意见意见意见意见意见"},
        content_type="application/json",
    )
    assert again.status_code == 409 and again.json()["code"] == "already_reviewed"


def test_staff_check_assign_auto_assign_and_decide_through_the_api(
    client: Client, call: Any, applicant: Any, applicant_org: Any, experts: list[Any], staff: Any
) -> None:
    submission = make_submission(call, applicant)
    client.force_login(staff)
    assert (
        client.post(
            f"{API}/submissions/{submission.pk}/check", {"passed": True}, content_type="application/json"
        ).json()["status"]
        == "checked"
    )
    colleague = make_expert(applicant_org)
    refused = client.post(
        f"{API}/submissions/{submission.pk}/assignments", {"expert_id": colleague.pk}, content_type="application/json"
    )
    assert refused.status_code == 409 and refused.json()["code"] == "conflict_of_interest"
    assert AuditLog.objects.filter(result="failure", action="reviews.assignment.create").count() == 1
    manual = client.post(
        f"{API}/submissions/{submission.pk}/assignments", {"expert_id": experts[0].pk}, content_type="application/json"
    )
    assert manual.status_code == 201
    auto = client.post(f"{API}/calls/{call.pk}/auto-assign").json()
    assert auto["assigned"] == 1 and auto["short"] == {}
    for a in Assignment.objects.filter(submission=submission):
        services.review_submit(
            expert=a.expert,
            assignment=a,
            scores={str(c.pk): 5 for c in call.criteria.all()},
            comment="意见意见意见意见意见",
        )
    decided = client.post(
        f"{API}/submissions/{submission.pk}/decision", {"decision": "accept"}, content_type="application/json"
    )
    assert decided.status_code == 200 and decided.json()["accession_no"].startswith("PS-")
    rows = client.get(f"{API}/calls/{call.pk}/submissions").json()
    assert [row["id"] for row in rows] == [submission.pk] and Decimal(str(rows[0]["score"])) == 60
    detail = client.get(f"{API}/staff/submissions/{submission.pk}").json()
    assert {r["expert_id"] for r in detail["reviews"]} == set(
        Assignment.objects.filter(submission=submission).values_list("expert_id", flat=True)
    )


@pytest.mark.parametrize("role", ["teacher", "student", "expert", "hall_officer", "university_faculty"])
def test_staff_operations_are_refused_to_every_other_role(
    client: Client, users: dict[str, Any], role: str, call: Any, applicant: Any, experts: list[Any], staff: Any
) -> None:
    submission = make_submission(call, applicant)
    client.force_login(users[role])
    json = "application/json"
    assert (
        client.post(f"{API}/submissions/{submission.pk}/check", {"passed": True}, content_type=json).status_code == 404
    )
    assert client.post(f"{API}/calls/{call.pk}/auto-assign").status_code == 404
    assert (
        client.post(
            f"{API}/submissions/{submission.pk}/assignments", {"expert_id": experts[0].pk}, content_type=json
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"{API}/submissions/{submission.pk}/decision", {"decision": "accept"}, content_type=json
        ).status_code
        == 404
    )
    assert client.get(f"{API}/calls/{call.pk}/submissions").status_code == 404
    assert client.get(f"{API}/staff/submissions/{submission.pk}").status_code == 404
    assert Submission.objects.get(pk=submission.pk).status == "submitted"
    assert not Assignment.objects.exists()


def test_visitors_read_calls_and_notices_but_nothing_else(client: Client, call: Any) -> None:
    assert client.get(f"{API}/calls").status_code == 200
    assert client.get(f"{API}/calls/{call.pk}").json()["criteria"][0]["name"] == "选题价值"
    assert client.get(f"{API}/submissions").status_code == 401
    assert client.get(f"{API}/assignments").status_code == 401
