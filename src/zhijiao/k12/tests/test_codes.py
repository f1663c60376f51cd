"""云码: generation, uniqueness, publishing, versioned re-links, downloads, /q/<code> and scan counting."""

from typing import Any
from unittest import mock

import pytest
from django.db.models import Sum

from zhijiao.core.models import AuditLog
from zhijiao.k12 import codes as code_module
from zhijiao.k12.models import CODE_ALPHABET, Book, Code, CodeBatch, CodeTarget, Lesson, ScanStat
from zhijiao.k12.services import code_batch_generate

from .factories import make_code, make_resource

pytestmark = pytest.mark.django_db


def _generate(client: Any, book: Book, **extra: Any) -> Any:
    return client.post("/api/v1/k12/batches", {"book_id": book.pk, **extra}, content_type="application/json")


def test_district_staff_generate_a_batch_one_code_per_lesson_and_point(
    client: Any, district_staff: Any, book: Book
) -> None:
    client.force_login(district_staff)
    point_id = Lesson.objects.filter(unit__book=book).first().points.first().pk  # type: ignore[union-attr]
    response = _generate(client, book, point_ids=[point_id])
    assert response.status_code == 201
    body = response.json()
    assert len(body["codes"]) == 3  # two lessons and one point
    for item in body["codes"]:
        assert len(item["code"]) == 6 and set(item["code"]) <= set(CODE_ALPHABET)
        assert item["status"] == "draft"
    assert not set("0O1IL").intersection("".join(item["code"] for item in body["codes"]))
    assert CodeTarget.objects.filter(version=1).count() == 3
    assert AuditLog.objects.filter(action="k12.codes.generate").exists()


def test_points_of_another_book_are_refused(client: Any, district_staff: Any, book: Book) -> None:
    from .factories import make_book

    other = make_book(grade=8)
    foreign = Lesson.objects.filter(unit__book=other).first().points.first().pk  # type: ignore[union-attr]
    client.force_login(district_staff)
    response = _generate(client, book, point_ids=[foreign])
    assert response.status_code == 422 and "point_ids" in response.json()["fields"]


def test_collisions_are_drawn_again_and_retired_codes_never_return(district_staff: Any, lesson: Lesson) -> None:
    retired = make_code(lesson=lesson, status=Code.Status.RETIRED, code="AAAAAA")
    draws = iter(["AAAAAA", "AAAAAA", "CCCCCC", "DDDDDD", "EEEEEE"])
    with mock.patch.object(code_module, "random_code", side_effect=lambda: next(draws)):
        batch = code_batch_generate(actor=district_staff, book=lesson.unit.book)
    made = sorted(batch.codes.values_list("code", flat=True))
    assert "AAAAAA" not in made and len(made) == 2
    assert Code.objects.filter(code="AAAAAA").get() == retired


@pytest.mark.parametrize("role", ["student", "parent", "recruiter", "hall_officer"])
def test_refused_roles_cannot_generate(client: Any, users: dict[str, Any], role: str, book: Book) -> None:
    client.force_login(users[role])
    assert _generate(client, book).status_code == 403
    assert client.get("/k12/codes/").status_code == 403
    assert not CodeBatch.objects.exists()


def test_teacher_of_another_school_cannot_open_a_batch(
    client: Any, district_staff: Any, teacher: Any, book: Book
) -> None:
    batch = code_batch_generate(actor=district_staff, book=book)
    client.force_login(teacher)
    assert client.get(f"/k12/codes/{batch.pk}/").status_code == 404
    assert client.get(f"/api/v1/k12/batches/{batch.pk}").status_code == 404
    assert client.get(f"/k12/codes/{batch.pk}/sheet.pdf").status_code == 404


def test_draft_relinks_freely_published_only_on_purpose(client: Any, district_staff: Any, book: Book) -> None:
    batch = code_batch_generate(actor=district_staff, book=book)
    code = batch.codes.order_by("id").first()
    assert code is not None
    second = Lesson.objects.filter(unit__book=book).order_by("position")[1]
    client.force_login(district_staff)
    url = f"/api/v1/k12/codes/{code.pk}/relink"
    assert client.post(url, {"lesson_id": second.pk}, content_type="application/json").json()["version"] == 2
    client.post(f"/api/v1/k12/batches/{batch.pk}/publish", content_type="application/json")
    first = Lesson.objects.filter(unit__book=book).order_by("position")[0]
    silent = client.post(url, {"lesson_id": first.pk}, content_type="application/json")
    assert silent.status_code == 409 and silent.json()["code"] == "code_published"
    no_reason = client.post(url, {"lesson_id": first.pk, "confirm_published": True}, content_type="application/json")
    assert no_reason.status_code == 422
    done = client.post(
        url, {"lesson_id": first.pk, "confirm_published": True, "reason": "印刷错位"}, content_type="application/json"
    )
    assert done.json()["version"] == 3 and done.json()["lesson_id"] == first.pk
    history = list(CodeTarget.objects.filter(code=code).order_by("version").values_list("version", "reason"))
    assert history == [(1, ""), (2, ""), (3, "印刷错位")]
    entry = AuditLog.objects.filter(action="k12.code.relink").order_by("-id").first()
    assert entry is not None and entry.detail["published"] is True and entry.detail["reason"] == "印刷错位"


def test_sheet_pdf_and_code_images(client: Any, district_staff: Any, book: Book) -> None:
    batch = code_batch_generate(actor=district_staff, book=book)
    client.force_login(district_staff)
    sheet = client.get(f"/k12/codes/{batch.pk}/sheet.pdf")
    assert sheet.status_code == 200 and sheet.content.startswith(b"%PDF")
    assert client.get(f"/api/v1/k12/batches/{batch.pk}/sheet.pdf").content.startswith(b"%PDF")
    code = batch.codes.first()
    assert code is not None
    svg = client.get(f"/k12/codes/code/{code.pk}.svg")
    assert svg["Content-Type"] == "image/svg+xml" and code.code in svg.content.decode()
    png = client.get(f"/k12/codes/code/{code.pk}.png")
    assert png.content.startswith(b"\x89PNG")


def test_sheet_qr_codes_decode_to_the_code_url(district_staff: Any, book: Book) -> None:
    import segno

    item = code_module.PrintedCode(code="ACDEFG", title="正数和负数", subtitle="第一单元", url="https://x.cn/q/ACDEFG")
    qr = segno.make(item.url, error="h", micro=False)
    assert qr.error == "H"
    assert "ACDEFG" in code_module.code_svg(item)


def test_scanning_opens_the_lesson_and_counts(client: Any, lesson: Lesson) -> None:
    video = make_resource(lesson=lesson, title="正数和负数（教师讲解）")
    code = make_code(lesson=lesson)
    for path in (f"/q/{code.code}", f"/q/{code.code.lower()}", f"/q/{code.code}"):
        response = client.get(path)
        assert response.status_code == 200
        assert f"/k12/resources/{video.pk}/file" in response.content.decode()
    assert ScanStat.objects.filter(code=code).aggregate(total=Sum("count"))["total"] == 3


def test_scans_by_signed_in_members_carry_their_region(client: Any, lesson: Lesson, student: Any) -> None:
    code = make_code(lesson=lesson)
    client.force_login(student)
    client.get(f"/q/{code.code}")
    assert ScanStat.objects.get(code=code).region == "110108"


@pytest.mark.parametrize("status", [Code.Status.DRAFT, Code.Status.RETIRED])
def test_unpublished_code_looks_exactly_like_a_nonexistent_one(client: Any, lesson: Lesson, status: str) -> None:
    code = make_code(lesson=lesson, status=status)
    response = client.get(f"/q/{code.code}")
    html = response.content.decode()
    assert response.status_code == 404
    assert 'role="search"' in html and str(lesson.unit.book) not in html
    unknown = client.get("/q/ZZZZZZ")
    assert unknown.status_code == response.status_code
    assert unknown.content.decode().replace("ZZZZZZ", code.code) == html
    api = client.get(f"/api/v1/k12/codes/{code.code}")
    assert (api.status_code, api.json()) == (404, client.get("/api/v1/k12/codes/ZZZZZZ").json())
    assert not ScanStat.objects.exists()


def test_unknown_code_answers_a_friendly_404(client: Any, db: None) -> None:
    response = client.get("/q/ZZZZZZ")
    assert response.status_code == 404 and 'role="search"' in response.content.decode()
    assert client.get("/api/v1/k12/codes/ZZZZZZ").status_code == 404


def test_code_page_query_count_is_pinned(client: Any, lesson: Lesson, django_assert_max_num_queries: Any) -> None:
    make_resource(lesson=lesson)
    code = make_code(lesson=lesson)
    client.get(f"/q/{code.code}")
    # Cached page data: an anonymous scan reads nothing; the counted scan is one INSERT-or-nothing and one
    # F() increment (in a savepoint here, because K12_SCAN_FLUSH_SECONDS=0 writes at once in tests); without Redis the
    # address's scan limit is one more statement, in the database's shared counters (core.counters).
    with django_assert_max_num_queries(5):
        assert client.get(f"/q/{code.code}").status_code == 200


def test_relinking_changes_what_the_cached_page_shows(
    district_staff: Any, client: Any, book: Book, committed: Any
) -> None:
    from zhijiao.k12.services import code_batch_publish, code_relink

    lessons = list(Lesson.objects.filter(unit__book=book).order_by("position"))
    make_resource(lesson=lessons[0], title="第一课讲解")
    make_resource(lesson=lessons[1], title="第二课讲解")
    batch = code_batch_generate(actor=district_staff, book=book)
    code_batch_publish(actor=district_staff, batch=batch)
    code = batch.codes.get(lesson=lessons[0])
    assert "第一课讲解" in client.get(f"/q/{code.code}").content.decode()
    with committed():
        code_relink(actor=district_staff, code=code, target=lessons[1], reason="更正", confirm_published=True)
    assert "第二课讲解" in client.get(f"/q/{code.code}").content.decode()


def test_scan_statistics_for_staff_and_district(client: Any, district_staff: Any, teacher: Any, lesson: Lesson) -> None:
    code = make_code(lesson=lesson, organization=district_staff.memberships.first().organization)
    client.get(f"/q/{code.code}")
    client.force_login(district_staff)
    page = client.get("/k12/codes/stats/")
    assert page.status_code == 200 and code.code in page.content.decode()
    client.force_login(teacher)
    assert client.get("/k12/codes/stats/").status_code == 404


def test_retiring_without_a_reason_goes_back_to_the_batch_page_saying_why(
    client: Any, district_staff: Any, lesson: Lesson
) -> None:
    code = make_code(lesson=lesson, organization=district_staff.memberships.first().organization)
    batch_page = f"http://testserver/k12/codes/{code.batch_id}/"
    client.force_login(district_staff)
    refused = client.post(f"/k12/codes/code/{code.pk}/retire", {"reason": ""}, HTTP_REFERER=batch_page)
    assert refused.status_code in (302, 303) and refused["Location"].endswith(f"/k12/codes/{code.batch_id}/")
    assert "请填写原因" in client.get(refused["Location"]).content.decode()
    code.refresh_from_db()
    assert code.status == Code.Status.PUBLISHED


def test_someone_elses_code_is_not_found_on_the_pages(client: Any, teacher: Any, lesson: Lesson) -> None:
    code = make_code(lesson=lesson)
    client.force_login(teacher)
    assert client.get(f"/k12/codes/{code.batch_id}/").status_code == 404
    assert client.post(f"/k12/codes/code/{code.pk}/retire", {"reason": "误印"}).status_code == 404


def test_a_read_only_token_reads_batches_but_cannot_make_one(client: Any, district_staff: Any, book: Book) -> None:
    from zhijiao.accounts import services as account_services

    _token, reader = account_services.token_create(user=district_staff, name="只读", scopes=["read"])
    _token, writer = account_services.token_create(user=district_staff, name="对接", scopes=["write"])
    url, body = "/api/v1/k12/batches", {"book_id": book.pk}
    refused = client.post(url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {reader}")
    assert refused.status_code == 403 and not CodeBatch.objects.exists()
    made = client.post(url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {writer}")
    assert made.status_code == 201
    read = client.get(f"/api/v1/k12/batches/{made.json()['id']}", HTTP_AUTHORIZATION=f"Bearer {reader}")
    assert read.status_code == 200 and read.json()["codes"]


@pytest.mark.parametrize("point_id", [2**63, 2**64 + 5, 10**30])
def test_point_ids_beyond_64_bits_are_refused_on_the_api_and_the_page(
    client: Any, district_staff: Any, book: Book, point_id: int
) -> None:
    client.force_login(district_staff)
    response = _generate(client, book, point_ids=[point_id])
    assert response.status_code == 422 and "point_ids.0" in response.json()["fields"]
    page = client.post("/k12/codes/", {"book": str(book.pk), "point_ids": str(point_id)})
    assert page.status_code == 422 and "所选的一项不存在或您不能选择" in page.content.decode()
    huge_book = client.post("/k12/codes/", {"book": str(point_id)})
    assert huge_book.status_code == 422
    assert not CodeBatch.objects.exists()


def test_opening_codes_is_rate_limited_per_address_on_the_page_and_the_api(
    client: Any, lesson: Lesson, settings: Any
) -> None:
    from django.core.cache import cache

    cache.clear()
    settings.CODE_SCAN_RATE = "3/min"
    code = make_code(lesson=lesson, status=Code.Status.PUBLISHED)
    answers = [client.get(path).status_code for path in (f"/q/{code.code}", "/q/ZZZZZZ", f"/q/{code.code}")]
    assert answers == [200, 404, 200]
    limited = client.get("/q/ZZZZZY")
    assert limited.status_code == 429 and int(limited["Retry-After"]) >= 1
    assert "no-store" in limited["Cache-Control"]
    api = client.get(f"/api/v1/k12/codes/{code.code}")
    assert api.status_code == 429 and api.json()["code"] == "rate_limited"
    assert ScanStat.objects.aggregate(total=Sum("count"))["total"] == 2
    other = client.get(f"/q/{code.code}", REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 200
    cache.clear()
