"""Staff screens: the auto-assign action on calls and the 处理 page of a submission go through the services."""

from typing import Any

import pytest
from django.test import Client

from zhijiao.reviews import services
from zhijiao.reviews.models import Assignment, Submission

from .factories import make_expert, make_submission

pytestmark = pytest.mark.django_db


def test_staff_auto_assign_from_the_calls_list(
    client: Client, call: Any, applicant: Any, experts: list[Any], staff: Any
) -> None:
    submission = make_submission(call, applicant, status="checked")
    client.force_login(staff)
    response = client.post(
        "/admin/reviews/call/", {"action": "auto_assign", "_selected_action": [call.pk]}, follow=True
    )
    assert response.status_code == 200
    assert "分配 2 人次" in response.content.decode()
    assert Submission.objects.get(pk=submission.pk).status == "under_review"


def test_the_process_page_checks_refuses_a_conflict_and_decides(
    client: Client, call: Any, applicant: Any, applicant_org: Any, experts: list[Any], staff: Any
) -> None:
    submission = make_submission(call, applicant)
    client.force_login(staff)
    url = f"/admin/reviews/submission/{submission.pk}/process/"
    assert client.post(url, {"op": "check", "passed": "1"}).status_code == 302
    colleague = make_expert(applicant_org, display_name="同校专家")
    refused = client.post(url, {"op": "assign", "expert": colleague.pk})
    assert refused.status_code == 422 and "同属一个单位" in refused.content.decode()
    assert not Assignment.objects.exists()
    assert "同校专家" in client.get(url).content.decode()  # the refusal is listed on the page
    for expert in experts[:2]:
        assert client.post(url, {"op": "assign", "expert": expert.pk}).status_code == 302
    for a in Assignment.objects.all():
        services.review_submit(
            expert=a.expert,
            assignment=a,
            scores={str(c.pk): 5 for c in call.criteria.all()},
            comment="意见意见意见意见意见",
        )
    missing_reason = client.post(url, {"op": "decide", "decision": "reject", "reason": ""})
    assert missing_reason.status_code == 422 and "请写明理由" in missing_reason.content.decode()
    assert client.post(url, {"op": "decide", "decision": "accept"}).status_code == 302
    assert Submission.objects.get(pk=submission.pk).accession_no


@pytest.mark.parametrize("role", ["teacher", "expert", "hall_officer"])
def test_the_process_page_refuses_everyone_but_review_staff(
    client: Client, users: dict[str, Any], role: str, call: Any, applicant: Any
) -> None:
    submission = make_submission(call, applicant)
    user = users[role]
    user.is_staff = True  # even with access to the admin site
    user.save()
    client.force_login(user)
    response = client.post(f"/admin/reviews/submission/{submission.pk}/process/", {"op": "check", "passed": "1"})
    assert response.status_code in (302, 403, 404)
    assert Submission.objects.get(pk=submission.pk).status == "submitted"
