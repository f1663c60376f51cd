"""The course's about fields through the API: discipline from the official catalogue (first level only), level,
hours, credits, cover (checked by content), intro video, sanitised syllabus, prerequisites, tags and the 国家级一流
year; only the course's own editors may change them."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhijiao.accounts.models import User
from zhijiao.courses.models import Course
from zhijiao.k12.tests.factories import mp4_bytes, pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db

API = "/api/v1/courses"


def patch(client: Any, course: Course, data: dict[str, Any]) -> Any:
    return client.patch(f"{API}/{course.pk}", data, content_type="application/json")


def test_the_team_fills_in_the_about_fields(client: Any, lead: User, course: Course, orgs: Any) -> None:
    client.force_login(lead)
    response = patch(
        client,
        course,
        {
            "university_id": orgs["university"].pk,
            "discipline": "0812",
            "level": "undergraduate",
            "credit_hours": 48,
            "credits": "3.0",
            "syllabus": (
                '<h2>第一周</h2><p onclick="x()">线性表</p><script>alert(1)</script><a href="javascript:x()">链</a>'
            ),
            "prerequisites": "程序设计基础",
            "tags": ["数据结构", " 算法 ", "数据结构", ""],
            "first_class_year": 2020,
        },
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["discipline"] == {"code": "0812", "name": "计算机科学与技术", "category": "工学"}
    assert body["university"] == "北京师范大学"
    assert body["credit_hours"] == 48 and body["credits"] == "3.0"
    assert body["tags"] == ["数据结构", "算法"]
    assert body["first_class_year"] == 2020
    syllabus = body["syllabus"]
    assert "<h2>第一周</h2>" in syllabus
    assert "script" not in syllabus and "onclick" not in syllabus and "javascript:" not in syllabus
    # Only what was sent changes; null empties.
    response = patch(client, course, {"first_class_year": None, "discipline": None})
    assert response.json()["first_class_year"] is None and response.json()["discipline"] is None
    assert response.json()["credit_hours"] == 48
    # About fields show at once: they are not part of the draft.
    course.refresh_from_db()
    assert course.revision == 0


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"discipline": "08"}, "discipline"),  # a category, not a first-level discipline
        ({"discipline": "9999"}, "discipline"),
        ({"credits": "-1"}, "credits"),
        ({"credit_hours": -2}, "credit_hours"),
        ({"first_class_year": 1999}, "first_class_year"),
        ({"first_class_year": 2999}, "first_class_year"),
        ({"tags": ["一个很长很长很长很长很长很长很长很长的标签"]}, "tags"),
        ({"university_id": None, "level": "kindergarten"}, "level"),
    ],
)
def test_bad_about_fields_are_field_errors(client: Any, lead: User, course: Course, data: Any, field: str) -> None:
    client.force_login(lead)
    response = patch(client, course, data)
    assert response.status_code in (400, 422), response.json()
    body = response.json()
    assert field in str(body["fields"]), body


def test_intro_video_must_be_a_video_of_this_course(client: Any, lead: User, course: Course) -> None:
    client.force_login(lead)

    def upload(block_type: str, name: str, content: bytes) -> int:
        response = client.post(
            f"{API}/{course.pk}/assets",
            {"block_type": block_type, "slot": "file", "file": SimpleUploadedFile(name, content)},
        )
        assert response.status_code == 201, response.json()
        return int(response.json()["id"])

    video = upload("video", "导学.mp4", mp4_bytes())
    document = upload("document", "大纲.pdf", pdf_bytes())
    assert patch(client, course, {"intro_video_id": document}).status_code == 422
    response = patch(client, course, {"intro_video_id": video})
    assert response.status_code == 200 and response.json()["intro_video_id"] == video


def test_cover_is_checked_by_its_content(client: Any, lead: User, course: Course) -> None:
    client.force_login(lead)
    lying = client.post(f"{API}/{course.pk}/cover", {"file": SimpleUploadedFile("封面.png", pdf_bytes())})
    assert lying.status_code == 422
    assert "file" in lying.json()["fields"] or "cover" in lying.json()["fields"]
    good = client.post(f"{API}/{course.pk}/cover", {"file": SimpleUploadedFile("封面.png", png_bytes())})
    assert good.status_code == 200 and good.json()["cover"].endswith(".png")
    removed = client.delete(f"{API}/{course.pk}/cover")
    assert removed.json()["cover"] is None


@pytest.mark.parametrize("who", ["other_teacher", "student"])
def test_only_the_team_edits_the_about_fields(
    client: Any, course: Course, who: str, university_faculty: User, student: User
) -> None:
    from zhijiao.accounts.tests.factories import make_user
    from zhijiao.orgs.models import Role
    from zhijiao.orgs.tests.factories import add_member, make_organization

    if who == "student":
        client.force_login(student)
    else:
        other = make_user(display_name="另一位老师")
        add_member(other, make_organization("university", "复旦大学"), Role.UNIVERSITY_FACULTY)
        client.force_login(other)
    assert patch(client, course, {"discipline": "0812"}).status_code in (403, 404)
    cover = client.post(f"{API}/{course.pk}/cover", {"file": SimpleUploadedFile("封面.png", png_bytes())})
    assert cover.status_code in (403, 404)
    course.refresh_from_db()
    assert course.discipline_id is None and not course.cover
