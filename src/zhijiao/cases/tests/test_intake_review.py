"""A case enters the library through expert review: a teacher submits it to a case-intake call, experts score it
blind, staff accept it, and it is in the library under its 入库编号 for member students."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhijiao.cases import services as case_services
from zhijiao.cases.models import Case
from zhijiao.demo.cases import case_pdf
from zhijiao.orgs.models import Organization
from zhijiao.orgs.tests.factories import make_organization
from zhijiao.reviews import services
from zhijiao.reviews.tests.factories import make_applicant, make_call, make_expert

from .factories import metadata

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_files(settings: Any, tmp_path: Any) -> None:
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.CONTENT_CACHE_SECONDS = 0


def _pdf(title: str, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, case_pdf(title, ["案例背景"], pages=2), content_type="application/pdf")


def test_an_accepted_case_submission_is_in_the_library_under_its_accession_number(
    client: Any, platform_admin: Any
) -> None:
    university = make_organization(Organization.Kind.UNIVERSITY, "江南示范大学")
    case_services.library_member_add(organization=university)
    teacher = make_applicant(university, display_name="杨帆")
    experts = [make_expert(fields=["1202"]) for _ in range(2)]
    call = make_call(
        kind="case_intake", title="2026 年度工商管理案例征集", required_roles=["full_text", "teaching_note"]
    )
    title = "宁德时代的全球化供应链布局"
    submission = services.submission_create(
        applicant=teacher,
        call=call,
        title=title,
        abstract="本案例讨论动力电池企业在海外建厂中的供应链风险与应对。",
        field="1202",
        metadata={**metadata(category="1251", field="供应链管理"), "keywords": "供应链、全球化"},
        authors=[{"name": "杨帆"}, {"name": "李青"}],
    )
    services.attachment_add(applicant=teacher, submission=submission, role="full_text", upload=_pdf(title, "正文.pdf"))
    services.attachment_add(
        applicant=teacher, submission=submission, role="teaching_note", upload=_pdf(title, "教学指导手册.pdf")
    )
    services.submission_submit(applicant=teacher, submission=submission)
    services.submission_check(actor=platform_admin, submission=submission, passed=True)
    services.assignments_auto(actor=platform_admin, call=call)
    for assignment in submission.assignments.filter(state="assigned"):
        assert assignment.expert in experts
        scores = {str(c.pk): c.max_score - 1 for c in call.criteria.all()}
        services.review_submit(
            expert=assignment.expert,
            assignment=assignment,
            scores=scores,
            comment="案例材料扎实，教学指导手册完整，建议入库。",
        )
    assert not Case.objects.filter(title=title).exists()
    decided = services.submission_decide(actor=platform_admin, submission=submission, decision="accept")

    accession = f"CASE-{timezone.localdate().year}-0001"
    assert decided.accession_no == accession
    case = Case.objects.get(title=title)
    assert case.accession_no == accession and case.category == "1251"
    assert [a.name for a in case.authors.order_by("position")][:2] == ["杨帆", "李青"]
    client.force_login(teacher)
    page = client.get(f"/higher/cases/{case.pk}/").content.decode()
    assert title in page and accession in page


def test_a_case_submission_with_bad_metadata_is_refused_on_submit_and_stays_a_draft(platform_admin: Any) -> None:
    teacher = make_applicant(make_organization(Organization.Kind.UNIVERSITY, "江南示范大学"))
    call = make_call(kind="case_intake", required_roles=["full_text"])
    submission = services.submission_create(
        applicant=teacher,
        call=call,
        title="一家银行的数字化转型",
        abstract="摘要。",
        field="0202",
        metadata=metadata(category="9999", year=timezone.localdate().year + 1),
    )
    services.attachment_add(applicant=teacher, submission=submission, role="full_text", upload=_pdf("x", "正文.pdf"))
    with pytest.raises(ValidationError) as refused:
        services.submission_submit(applicant=teacher, submission=submission)
    assert {"category", "year"} <= set(refused.value.message_dict)
    submission.refresh_from_db()
    assert submission.status == "draft"
