"""The case library through its public surface: intake, access by role, stamped downloads, pages and the API."""

import io
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from zhijiao.accounts.tests.factories import make_user
from zhijiao.cases import selectors, services
from zhijiao.cases.intake import CaseIntakeForm, accept_case_submission
from zhijiao.cases.models import Case, CaseUsageDay
from zhijiao.core.errors import DomainError
from zhijiao.demo.cases import case_pdf
from zhijiao.search import selectors as search_selectors
from zhijiao.search.services import index_now

from .factories import metadata, submission

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


# --- Intake ---------------------------------------------------------------------------------------------------


def test_an_accepted_submission_becomes_a_case_with_its_accession_number(library: dict[str, Any]) -> None:
    stand_in = submission(organization=library["member"], applicant=library["teacher"], title="老字号品牌年轻化")
    accept_case_submission(submission=stand_in, accession_no="202612510099")
    case = Case.objects.get(accession_no="202612510099")
    assert case.title == "老字号品牌年轻化"
    assert case.category == "1251" and case.category_name == "工商管理"
    assert case.keywords == ["数字化转型", "组织变革"]
    assert [a.name for a in case.authors.all()] == ["王晓东", "李青"]
    assert [a.organization_name for a in case.authors.all()] == ["北京师范大学", "外单位研究院"]
    assert str(case.full_text.name).endswith(".pdf") and str(case.teaching_note.name).endswith(".pdf")
    assert case.applicant == library["teacher"]


def test_the_intake_form_names_each_wrong_field() -> None:
    form = CaseIntakeForm(data=metadata(category="1351", case_type="poster", year=1990, keywords=""))
    assert not form.is_valid()
    assert set(form.errors) == {"category", "case_type", "year", "keywords"}
    assert CaseIntakeForm(data=metadata()).is_valid()


def test_bad_metadata_or_a_reused_number_or_a_wrong_file_creates_nothing(library: dict[str, Any]) -> None:
    before = Case.objects.count()
    with pytest.raises(ValidationError):
        accept_case_submission(submission=submission(category="9999"), accession_no="X1")
    with pytest.raises(DomainError):
        accept_case_submission(submission=submission(), accession_no=library["text"].accession_no)
    wrong = submission()
    wrong.attachments[0] = SimpleNamespace(
        role="full_text", file=services.as_file(b"just text", "a.pdf"), original_name="a.pdf"
    )
    with pytest.raises(ValidationError):
        accept_case_submission(submission=wrong, accession_no="X2")
    text_without_pdf = submission()
    text_without_pdf.attachments = []
    with pytest.raises(ValidationError):
        accept_case_submission(submission=text_without_pdf, accession_no="X3")
    assert Case.objects.count() == before


# --- Access ---------------------------------------------------------------------------------------------------


def test_access_rules_by_role(library: dict[str, Any]) -> None:
    from django.contrib.auth.models import AnonymousUser

    case = library["text"]
    rows = {
        "teacher": (True, True, True),
        "student": (True, False, False),
        "outside_teacher": (False, False, False),
        "outside_student": (False, False, False),
    }
    for key, (full, note, adopt) in rows.items():
        user = library[key]
        assert selectors.can_read_full_text(user, case) is full, key
        assert selectors.can_read_teaching_note(user, case) is note, key
        assert selectors.can_adopt(user) is adopt, key
    anonymous = AnonymousUser()
    assert not selectors.can_read_full_text(anonymous, case)
    assert selectors.access_case(actor=anonymous, case_id=case.pk) == case


def test_a_withdrawn_case_is_not_found(library: dict[str, Any]) -> None:
    case = library["text"]
    case.status = Case.Status.WITHDRAWN
    services.case_save(case=case)
    with pytest.raises(DomainError) as refused:
        selectors.access_case(actor=library["student"], case_id=case.pk)
    assert refused.value.status == 404


# --- Stamped downloads ----------------------------------------------------------------------------------------


def test_a_member_student_downloads_a_pdf_stamped_with_their_name_and_university(
    client: Any, library: dict[str, Any]
) -> None:
    case = library["text"]
    client.force_login(library["student"])
    response = client.get(f"/higher/cases/{case.pk}/full-text.pdf?download=1")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"  # the case page shows it in a frame
    text = pdf_text(response.content)
    assert "张小北" in text and "北京师范大学" in text and "下载于" in text
    assert text.count("张小北") >= 2  # every page of the two-page case carries the stamp
    case.refresh_from_db()
    assert case.download_count == 1
    assert CaseUsageDay.objects.get(case=case).downloads == 1


@pytest.mark.parametrize("who", ["outside_student", "outside_teacher"])
def test_a_non_member_cannot_open_the_full_text_or_video(client: Any, library: dict[str, Any], who: str) -> None:
    client.force_login(library[who])
    assert client.get(f"/higher/cases/{library['text'].pk}/full-text.pdf").status_code == 403
    assert client.get(f"/higher/cases/{library['video'].pk}/video").status_code == 403
    page = client.get(f"/higher/cases/{library['micro'].pk}/")
    assert "一次客户投诉的处理" not in page.content.decode()
    assert "还不是成员单位" in page.content.decode()
    assert Case.objects.get(pk=library["text"].pk).download_count == 0


def test_a_visitor_is_sent_to_sign_in_for_the_full_text(client: Any, library: dict[str, Any]) -> None:
    response = client.get(f"/higher/cases/{library['text'].pk}/full-text.pdf")
    assert response.status_code == 302 and "/login" in response["Location"]


def test_a_student_cannot_download_the_teaching_note_but_a_teacher_can(client: Any, library: dict[str, Any]) -> None:
    case = library["text"]
    client.force_login(library["student"])
    assert client.get(f"/higher/cases/{case.pk}/teaching-note.pdf").status_code == 403
    client.force_login(library["teacher"])
    response = client.get(f"/higher/cases/{case.pk}/teaching-note.pdf?download=1")
    assert response.status_code == 200
    assert "杨帆" in pdf_text(response.content)


def test_a_member_streams_the_video_with_ranges(client: Any, library: dict[str, Any]) -> None:
    client.force_login(library["student"])
    response = client.get(f"/higher/cases/{library['video'].pk}/video", HTTP_RANGE="bytes=0-1")
    assert response.status_code == 206
    assert b"".join(response.streaming_content) == b"\x00\x00"


# --- Pages ----------------------------------------------------------------------------------------------------


def test_the_catalogue_shows_categories_with_counts_types_and_fields(
    client: Any, library: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(14):
        response = client.get("/higher/cases/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "1251 工商管理" in html and "0854 电子信息" in html
    assert "文字案例" in html and "短视频案例" in html and "人工智能" in html
    assert "共 3 个案例" in html
    assert "暂无" not in html
    filtered = client.get("/higher/cases/?case_type=video").content.decode()
    assert "共 1 个案例" in filtered
    wrong = client.get("/higher/cases/?category=9999&sort=sideways")
    assert wrong.status_code == 200 and "没有这个专业学位类别" in wrong.content.decode()


def test_cases_are_found_by_the_unified_search_and_the_catalogue(client: Any, library: dict[str, Any]) -> None:
    for case in Case.objects.all():
        index_now("cases.case", case.pk)
    found = search_selectors.search(actor=library["outside_student"], q="数字孪生", filters={"type": "cases.case"})
    assert found.total == 3
    html = client.get("/higher/cases/?q=数字孪生&case_type=micro").content.decode()
    assert "共 1 个案例" in html


def test_the_case_page_shows_the_reader_to_members_and_the_chart_data(client: Any, library: dict[str, Any]) -> None:
    client.force_login(library["student"])
    html = client.get(f"/higher/cases/{library['micro'].pk}/").content.decode()
    assert "一次客户投诉的处理" in html
    assert 'data-chart="usage"' in html and "chart-data" in html
    html = client.get(f"/higher/cases/{library['text'].pk}/").content.decode()
    assert "full-text.pdf" in html and "teaching-note.pdf" not in html


def test_a_teacher_adds_a_case_to_a_new_collection_and_a_student_cannot(client: Any, library: dict[str, Any]) -> None:
    case = library["text"]
    client.force_login(library["teacher"])
    response = client.post(f"/higher/cases/{case.pk}/collect", {"new_title": "战略管理课案例集", "note": "课前阅读"})
    assert response.status_code == 302
    collection = selectors.collections_of(actor=library["teacher"])[0]
    assert collection.title == "战略管理课案例集"
    assert Case.objects.get(pk=case.pk).adoption_count == 1
    assert client.post(f"/higher/cases/{case.pk}/collect", {"collection": collection.pk}).status_code == 303
    assert Case.objects.get(pk=case.pk).adoption_count == 1
    page = client.get(f"/higher/cases/collections/{collection.pk}/").content.decode()
    assert case.title in page and "课前阅读" in page
    client.force_login(library["student"])
    assert client.post(f"/higher/cases/{case.pk}/collect", {"new_title": "我的"}).status_code == 303
    assert selectors.collections_of(actor=library["student"]) == []
    assert client.get(f"/higher/cases/collections/{collection.pk}/").status_code == 404


# --- API ------------------------------------------------------------------------------------------------------


def test_the_api_detail_follows_the_role(client: Any, library: dict[str, Any]) -> None:
    case = library["text"]
    anonymous = client.get(f"/api/v1/cases/{case.pk}").json()
    assert anonymous["abstract"] and anonymous["full_text_url"] is None and anonymous["access"]["full_text"] is False
    client.force_login(library["student"])
    student = client.get(f"/api/v1/cases/{case.pk}").json()
    assert student["full_text_url"] and student["teaching_note_url"] is None
    client.force_login(library["teacher"])
    assert client.get(f"/api/v1/cases/{case.pk}").json()["teaching_note_url"]


def test_the_api_catalogue_and_categories(client: Any, library: dict[str, Any]) -> None:
    body = client.get("/api/v1/cases/?category=1251").json()
    assert body["count"] == 1 and body["items"][0]["category_name"] == "工商管理"
    groups = client.get("/api/v1/cases/categories").json()
    assert {c["code"] for g in groups for c in g["categories"]} == {"1251", "0251", "0854"}
    assert client.get("/api/v1/cases/?case_type=poster").status_code == 422


def test_the_api_full_text_is_refused_to_non_members_and_visitors(client: Any, library: dict[str, Any]) -> None:
    case = library["text"]
    assert client.get(f"/api/v1/cases/{case.pk}/full-text").status_code == 401
    client.force_login(library["outside_student"])
    refused = client.get(f"/api/v1/cases/{case.pk}/full-text")
    assert refused.status_code == 403 and refused.json()["code"] == "members_only"
    client.force_login(library["student"])
    ok = client.get(f"/api/v1/cases/{case.pk}/full-text")
    assert ok.status_code == 200 and "张小北" in pdf_text(ok.content)


# --- The course block ----------------------------------------------------------------------------------------


def test_the_case_block_takes_an_accession_number_and_refuses_an_unknown_one(library: dict[str, Any]) -> None:
    from zhijiao.courses.blocks import get_type

    block = get_type("case")
    assert block is not None
    case = library["text"]
    assert block.clean({"case": case.accession_no, "note": "第三周讨论"}) == {"case_id": case.pk, "note": "第三周讨论"}
    with pytest.raises(ValidationError):
        block.clean({"case": "NO-SUCH"})


def test_stamping_keeps_every_page(library: dict[str, Any]) -> None:
    from django.utils import timezone

    from zhijiao.cases.stamping import Stamp, stamp_pdf

    stamped = stamp_pdf(
        case_pdf("测试", ["正文"], pages=20), Stamp("杨帆", "139****0001", "北京师范大学", timezone.now())
    )
    reader = PdfReader(io.BytesIO(stamped))
    assert len(reader.pages) == 20
    assert "139****0001" in (reader.pages[19].extract_text() or "")


def test_an_unknown_user_sees_no_collections(library: dict[str, Any]) -> None:
    assert selectors.collections_of(actor=make_user()) == []


def test_the_case_page_reads_a_bounded_number_of_queries(
    client: Any, library: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    client.force_login(library["teacher"])
    client.get(f"/higher/cases/{library['text'].pk}/")
    with django_assert_max_num_queries(16):
        response = client.get(f"/higher/cases/{library['text'].pk}/")
    assert response.status_code == 200


@pytest.mark.parametrize("role", ["employment_staff", "registrar", "expert"])
def test_other_roles_at_a_member_university_are_refused_the_full_text(
    client: Any, library: dict[str, Any], role: str
) -> None:
    from zhijiao.orgs.tests.factories import add_member

    user = make_user(display_name="其他角色")
    add_member(user, library["member"], role)
    client.force_login(user)
    assert client.get(f"/higher/cases/{library['text'].pk}/full-text.pdf").status_code == 403
    assert client.get(f"/higher/cases/{library['text'].pk}/teaching-note.pdf").status_code == 403
    assert client.post(f"/higher/cases/{library['text'].pk}/collect", {"new_title": "x"}).status_code == 303
    assert Case.objects.get(pk=library["text"].pk).adoption_count == 0


def test_a_teacher_of_a_non_member_university_cannot_adopt(client: Any, library: dict[str, Any]) -> None:
    client.force_login(library["outside_teacher"])
    response = client.post(f"/higher/cases/{library['text'].pk}/collect", {"new_title": "我的案例集"})
    assert response.status_code == 303
    assert selectors.collections_of(actor=library["outside_teacher"]) == []
    refused = client.post("/higher/cases/collections/", {"title": "我的案例集"}, follow=True)
    assert "只有案例库成员单位的教师可以创建案例集" in refused.content.decode()
    assert selectors.collections_of(actor=library["outside_teacher"]) == []


def test_a_membership_ending_closes_the_full_text(client: Any, library: dict[str, Any]) -> None:
    from zhijiao.cases.models import LibraryMember

    LibraryMember.objects.filter(organization=library["member"]).update(is_active=False)
    client.force_login(library["student"])
    assert client.get(f"/higher/cases/{library['text'].pk}/full-text.pdf").status_code == 403


def test_the_catalogue_and_a_case_page_in_english(client: Any, library: dict[str, Any]) -> None:
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/higher/cases/").content.decode()
    for text in (
        "China Professional Degree Case Library",
        "Business Administration (MBA)",
        "Short-video case",
        "3 cases",
    ):
        assert text in page, text
    client.force_login(library["outside_student"])
    case_page = client.get(f"/higher/cases/{library['text'].pk}/").content.decode()
    assert "Accession number" in case_page and "Your organisation is not a member yet" in case_page


def test_an_api_token_reads_the_case_as_its_owner_may(client: Any, library: dict[str, Any]) -> None:
    from zhijiao.accounts.services import token_create

    _token, raw = token_create(user=library["student"], name="教学平台", scopes=["read"])
    case = library["text"]
    body = client.get(f"/api/v1/cases/{case.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert body["access"]["full_text"] is True and body["full_text_url"]
    pdf = client.get(f"/api/v1/cases/{case.pk}/full-text", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert pdf.status_code == 200 and "张小北" in pdf_text(pdf.content)
    bad = client.get(f"/api/v1/cases/{case.pk}", HTTP_AUTHORIZATION="Bearer nonsense")
    assert bad.status_code == 401
