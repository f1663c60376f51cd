"""The review pages as people use them: the expert's blind queue and form, the applicant's status page, the 公示
page; each protected page refuses everybody else."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from zhijiao.reviews import services
from zhijiao.reviews.models import Assignment, Submission

from .factories import make_applicant, make_call, make_submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(call: Any, applicant: Any, experts: list[Any], staff: Any) -> Assignment:
    submission = make_submission(
        call,
        applicant,
        status="checked",
        title="乡村学校的项目式学习",
        authors=[{"name": "张申报"}, {"name": "李合作"}],
    )
    services.assignments_auto(actor=staff, call=call)
    assignment = submission.assignments.order_by("id").first()
    assert assignment is not None
    return assignment


def _post_scores(
    client: Client, assignment: Assignment, values: tuple[Any, ...], comment: str = "论证充分，数据可信。"
) -> Any:
    data = {f"score_{c.pk}": v for c, v in zip(assignment.submission.call.criteria.all(), values, strict=True)}
    return client.post(f"/reviews/assignments/{assignment.pk}/", {**data, "comment": comment})


def test_the_expert_sees_the_submission_blind_and_scores_it(client: Client, assigned: Assignment) -> None:
    client.force_login(assigned.expert)
    queue = client.get("/reviews/").content.decode()
    assert "乡村学校的项目式学习" in queue and assigned.submission.number in queue
    page = client.get(f"/reviews/assignments/{assigned.pk}/").content.decode()
    assert "乡村学校的项目式学习" in page
    for secret in ("张申报", "李合作", "华东示范大学", "全文.pdf"):
        assert secret not in page, secret
    response = _post_scores(client, assigned, (8, 7.5, 4))
    assert response.status_code == 302
    assigned.refresh_from_db()
    assert assigned.state == "submitted" and assigned.review.total == 78


def test_blind_files_download_under_a_neutral_name(client: Client, assigned: Assignment) -> None:
    client.force_login(assigned.expert)
    attachment = assigned.submission.attachments.get()
    response = client.get(f"/reviews/assignments/{assigned.pk}/files/{attachment.pk}/")
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert "全文" not in disposition and f"PS{assigned.submission_id:06d}-full_text" in disposition
    assert response["Cache-Control"] == "private, no-store"


def test_scores_out_of_range_show_next_to_the_field_and_nothing_is_saved(client: Client, assigned: Assignment) -> None:
    client.force_login(assigned.expert)
    response = _post_scores(client, assigned, (8, 8, 9))
    assert response.status_code == 422
    assert "“规范性”的得分须在 0 到 5 之间" in response.content.decode()
    assigned.refresh_from_db()
    assert assigned.state == "assigned"


@pytest.mark.parametrize("who", ["other_expert", "applicant", "staff", "teacher", "anonymous"])
def test_nobody_else_opens_an_experts_review_page_or_files(
    client: Client, assigned: Assignment, experts: list[Any], staff: Any, teacher: Any, who: str
) -> None:
    others = {
        "other_expert": next(
            e for e in experts if e.pk not in set(assigned.submission.assignments.values_list("expert_id", flat=True))
        ),
        "applicant": assigned.submission.applicant,
        "staff": staff,
        "teacher": teacher,
        "anonymous": None,
    }
    if others[who] is not None:
        client.force_login(others[who])
    attachment = assigned.submission.attachments.get()
    for url in (f"/reviews/assignments/{assigned.pk}/", f"/reviews/assignments/{assigned.pk}/files/{attachment.pk}/"):
        response = client.get(url)
        assert response.status_code in (302, 404), (url, response.status_code)
    response = _post_scores(client, assigned, (8, 8, 4))
    assert response.status_code in (302, 404)
    recuse = client.post(f"/reviews/assignments/{assigned.pk}/recuse/", {"reason": "利益冲突"})
    assert recuse.status_code in (302, 404)
    api = client.post(
        f"/api/v1/reviews/assignments/{assigned.pk}/review",
        {"scores": {str(c.pk): 1 for c in assigned.submission.call.criteria.all()}, "comment": "意见意见意见意见意见"},
        content_type="application/json",
    )
    assert api.status_code in (401, 404)
    assert client.get(f"/api/v1/reviews/assignments/{assigned.pk}").status_code in (401, 404)
    assigned.refresh_from_db()
    assert assigned.state == "assigned"


@pytest.mark.parametrize("role", ["teacher", "student", "hall_officer", "platform_admin"])
def test_the_review_queue_is_for_experts_only(client: Client, users: dict[str, Any], role: str) -> None:
    client.force_login(users[role])
    assert client.get("/reviews/").status_code == 404


def test_the_applicant_sees_no_reviews_before_the_decision_and_the_comments_after(
    client: Client, assigned: Assignment, staff: Any
) -> None:
    submission = assigned.submission
    client.force_login(submission.applicant)
    for a in submission.assignments.all():
        services.review_submit(
            expert=a.expert,
            assignment=a,
            scores={str(c.pk): 5 for c in submission.call.criteria.all()},
            comment="建议补充对照组的数据分析。",
        )
    page = client.get(f"/reviews/submissions/{submission.pk}/").content.decode()
    assert "建议补充对照组" not in page and 'id="reviews-hidden"' in page
    api = client.get(f"/api/v1/reviews/submissions/{submission.pk}").json()
    assert api["reviews"] == [] and api["score"] is None
    services.submission_decide(actor=staff, submission=submission, decision="reject", reason="创新性不足")
    page = client.get(f"/reviews/submissions/{submission.pk}/").content.decode()
    assert "建议补充对照组" in page and "创新性不足" in page
    for a in submission.assignments.all():
        assert str(a.expert) not in page
    response = client.post(f"/reviews/submissions/{submission.pk}/appeal/", {"reason": "评审意见与事实不符，请复核。"})
    assert response.status_code == 302
    assert submission.appeals.count() == 1


def test_another_person_cannot_open_an_applicants_submission(client: Client, assigned: Assignment) -> None:
    client.force_login(make_applicant())
    submission = assigned.submission
    assert client.get(f"/reviews/submissions/{submission.pk}/").status_code == 404
    assert client.get(f"/api/v1/reviews/submissions/{submission.pk}").status_code == 404
    attachment = submission.attachments.get()
    assert client.get(f"/reviews/submissions/{submission.pk}/files/{attachment.pk}/").status_code == 404


def test_the_notice_page_lists_accepted_entries_from_the_notice_start(
    client: Client, applicant: Any, experts: list[Any], staff: Any
) -> None:
    today = timezone.localdate()
    call = make_call(
        opens_on=today - timedelta(days=60),
        closes_on=today,
        review_deadline=today + timedelta(days=1),
        notice_starts_on=today + timedelta(days=1),
        notice_ends_on=today + timedelta(days=8),
    )
    submission = make_submission(call, applicant, status="checked", title="职业教育课程思政案例")
    services.assignments_auto(actor=staff, call=call)
    for a in submission.assignments.all():
        services.review_submit(
            expert=a.expert,
            assignment=a,
            scores={str(c.pk): c.max_score for c in call.criteria.all()},
            comment="很好的案例，建议入库。",
        )
    services.submission_decide(actor=staff, submission=submission, decision="accept")
    assert "职业教育课程思政案例" not in client.get(f"/reviews/calls/{call.pk}/notice/").content.decode()
    call.notice_starts_on = today
    call.save()
    page = client.get(f"/reviews/calls/{call.pk}/notice/").content.decode()
    submission.refresh_from_db()
    assert "职业教育课程思政案例" in page and str(submission.accession_no) in page
    rows = client.get(f"/api/v1/reviews/calls/{call.pk}/notice").json()
    assert rows[0]["accession_no"] == submission.accession_no


def _apply(client: Client, call: Any, **overrides: Any) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .factories import PDF

    data = {
        "title": "课堂教学改革", "abstract": "两年的实践。", "field": "0401", "coauthors": "李合作",
        "meta-keywords": "课堂、改革", "file_full_text": SimpleUploadedFile("全文.pdf", PDF),
    }  # fmt: skip
    data.update(overrides)
    return client.post(f"/reviews/calls/{call.pk}/apply/", data)


def test_an_applicant_sends_an_entry_from_the_call_page(client: Client, call: Any, applicant: Any) -> None:
    from zhijiao.orgs.models import Organization
    from zhijiao.orgs.tests.factories import make_organization

    make_organization(Organization.Kind.UNIVERSITY, "合作大学")
    client.force_login(applicant)
    assert "我要申报" in client.get(f"/reviews/calls/{call.pk}/").content.decode()
    response = _apply(client, call, coauthors="李合作/合作大学")
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.status == "submitted" and submission.metadata == {"keywords": "课堂、改革"}
    assert [(a.name, a.organization.name if a.organization else "") for a in submission.authors.all()] == [
        (str(applicant), ""), ("李合作", "合作大学"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"coauthors": "李合作/不存在的大学"}, "找不到单位"),
        ({"file_full_text": None}, "文件"),
        ({"meta-keywords": ""}, "这个字段是必填项"),
    ],
)
def test_a_wrong_entry_is_refused_and_nothing_is_kept(
    client: Client, call: Any, applicant: Any, overrides: dict[str, Any], message: str
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    if "file_full_text" in overrides:
        overrides["file_full_text"] = SimpleUploadedFile("全文.pdf", b"MZ\x90\x00 not a pdf at all")
    client.force_login(applicant)
    response = _apply(client, call, **overrides)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Submission.objects.exists()


def test_the_queue_and_the_review_page_cost_a_fixed_number_of_queries(
    client: Client, call: Any, experts: list[Any], staff: Any, django_assert_max_num_queries: Any
) -> None:
    for _ in range(6):
        make_submission(call, make_applicant(), status="checked")
    services.assignments_auto(actor=staff, call=call)
    assignment = Assignment.objects.filter(expert=experts[0]).first()
    assert assignment is not None and Assignment.objects.filter(expert=experts[0]).count() >= 4
    client.force_login(experts[0])
    client.get("/reviews/")
    with django_assert_max_num_queries(8):
        assert client.get("/reviews/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(f"/reviews/assignments/{assignment.pk}/").status_code == 200
