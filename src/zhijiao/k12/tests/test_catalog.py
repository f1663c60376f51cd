"""The catalogue pages and API: stage → subject → edition → book → unit → lesson, player first."""

from typing import Any

import pytest

from zhijiao.demo.k12 import STAGE_SUBJECTS, _catalogue
from zhijiao.k12.models import Book, Edition, Lesson, Resource, Stage, Subject

from .factories import make_resource

pytestmark = pytest.mark.django_db


def test_demo_catalogue_covers_every_subject_and_grade_in_two_editions(db: None) -> None:
    counts = _catalogue()
    assert counts["k12_books"] > 400
    for stage, rows in STAGE_SUBJECTS.items():
        for name, grades in rows:
            subject = Subject.objects.get(stage=stage, name=name)
            for grade in grades:
                editions = set(
                    Book.objects.filter(subject=subject, grade=grade).values_list("edition__name", flat=True)
                )
                assert len(editions) >= 2, (stage, name, grade)
    names = set(Subject.objects.filter(stage=Stage.JUNIOR).values_list("name", flat=True))
    assert {"物理", "化学", "生物学", "历史", "地理"} <= names
    assert {"统编版", "人教版", "北师大版"} <= set(Edition.objects.values_list("name", flat=True))
    math7 = Book.objects.get(
        edition__name="人教版", subject__stage=Stage.JUNIOR, subject__name="数学", grade=7, volume="upper"
    )
    units = list(math7.units.order_by("position").values_list("title", flat=True))
    assert units == ["第一单元 有理数", "第二单元 整式的加减", "第三单元 一元一次方程", "第四单元 几何图形初步"]


def test_a_few_taps_from_stage_to_lesson(client: Any, book: Book, lesson: Lesson) -> None:
    make_resource(lesson=lesson, title="正数和负数（教师讲解）")
    home = client.get("/k12/")
    assert home.status_code == 200
    stage = client.get("/k12/stages/junior/")
    assert f'href="/k12/subjects/{book.subject_id}/"' in stage.content.decode()
    subject = client.get(f"/k12/subjects/{book.subject_id}/")
    assert f'href="/k12/books/{book.pk}/"' in subject.content.decode()
    page = client.get(f"/k12/books/{book.pk}/")
    assert "第一单元 有理数" in page.content.decode()
    assert f'href="/k12/lessons/{lesson.pk}/"' in page.content.decode()


def test_lesson_page_shows_the_explanation_player_first(client: Any, lesson: Lesson) -> None:
    make_resource(lesson=lesson, kind=Resource.Kind.DOCUMENT, title="学案")
    video = make_resource(lesson=lesson, title="教师讲解视频")
    html = client.get(f"/k12/lessons/{lesson.pk}/").content.decode()
    assert html.index("<video") < html.index("学案")
    assert f"/k12/resources/{video.pk}/file" in html
    assert "playsinline" in html


def test_unpublished_resources_stay_off_the_lesson_page(client: Any, lesson: Lesson) -> None:
    make_resource(lesson=lesson, status=Resource.Status.REVIEW, title="待审核的视频")
    html = client.get(f"/k12/lessons/{lesson.pk}/").content.decode()
    assert "待审核的视频" not in html
    assert client.get(f"/k12/resources/{Resource.objects.get().pk}/").status_code == 404


def test_lesson_page_query_count_is_pinned(client: Any, lesson: Lesson, django_assert_max_num_queries: Any) -> None:
    for n in range(5):
        make_resource(lesson=lesson, title=f"资源{n}", kind=Resource.Kind.DOCUMENT if n % 2 else Resource.Kind.VIDEO)
    client.get(f"/k12/lessons/{lesson.pk}/")
    with django_assert_max_num_queries(6):
        assert client.get(f"/k12/lessons/{lesson.pk}/").status_code == 200


def test_missing_pages_answer_404(client: Any) -> None:
    for url in ("/k12/lessons/999999/", "/k12/books/999999/", "/k12/stages/college/", "/k12/columns/nothing/"):
        assert client.get(url).status_code == 404


def test_catalogue_api(client: Any, book: Book, lesson: Lesson) -> None:
    make_resource(lesson=lesson)
    subjects = client.get("/api/v1/k12/stages/junior/subjects").json()
    assert [item["name"] for item in subjects] == ["数学"]
    books = client.get(f"/api/v1/k12/subjects/{book.subject_id}/books").json()
    assert books[0]["edition"] == "人教版" and books[0]["label"] == "七年级上册"
    tree = client.get(f"/api/v1/k12/books/{book.pk}").json()
    assert tree["units"][0]["lessons"][0]["points"][0]["title"].startswith("相反意义的量")
    detail = client.get(f"/api/v1/k12/lessons/{lesson.pk}").json()
    assert detail["resources"][0]["kind"] == "video"
    assert detail["resources"][0]["file_url"].endswith("/file")
    assert client.get("/api/v1/k12/lessons/999999").json()["code"] == "not_found"
    assert client.get("/api/v1/k12/stages/college/subjects").status_code == 422


def test_after_school_columns_and_homework_filters(client: Any, book: Book) -> None:
    make_resource(kind=Resource.Kind.EBOOK, column="reading", title="唐诗选读")
    make_resource(kind=Resource.Kind.LINK, column="study_travel", title="故宫博物院")
    make_resource(
        kind=Resource.Kind.DOCUMENT, column="homework", title="七年级数学作业设计", grade=7, subject=book.subject
    )
    make_resource(
        kind=Resource.Kind.DOCUMENT, column="homework", title="八年级数学作业设计", grade=8, subject=book.subject
    )
    assert "唐诗选读" in client.get("/k12/columns/reading/").content.decode()
    assert "故宫博物院" in client.get("/k12/columns/study_travel/").content.decode()
    html = client.get(f"/k12/columns/homework/?subject={book.subject_id}&grade=7").content.decode()
    assert "七年级数学作业设计" in html and "八年级数学作业设计" not in html
    listed = client.get("/api/v1/k12/resources?column=homework&grade=8").json()
    assert [item["title"] for item in listed["items"]] == ["八年级数学作业设计"]


def test_a_column_shows_twelve_items_a_page_and_pages_through_the_rest(client: Any) -> None:
    for n in range(13):
        make_resource(kind=Resource.Kind.LINK, column="science", title=f"科普展馆{n:02d}", url="https://example.com/")
    first = client.get("/k12/columns/science/").content.decode()
    assert first.count("科普展馆") == 12 and "1 / 2" in first and "?page=2" in first
    second = client.get("/k12/columns/science/?page=2").content.decode()
    assert second.count("科普展馆") == 1 and "科普展馆00" in second and "?page=1" in second
    for page in ("99", "abc", "-1"):  # out of range or not a number: a page people can use, never an error
        assert client.get(f"/k12/columns/science/?page={page}").status_code == 200


def test_published_resources_and_lessons_are_searchable(client: Any, lesson: Lesson, committed: Any) -> None:
    from zhijiao.search.services import index_now

    video = make_resource(lesson=lesson, title="有理数的加法讲解")
    assert index_now("k12.resource", video.pk)
    assert index_now("k12.lesson", lesson.pk)
    found = client.get("/api/v1/search", {"q": "有理数", "platform": "k12"}).json()
    kinds = {item["kind"] for item in found["results"]}
    assert kinds == {"k12.resource", "k12.lesson"}
    by_grade = client.get("/api/v1/search", {"q": "有理数", "platform": "k12", "grade": "7", "type": "k12.resource"})
    assert [item["title"] for item in by_grade.json()["results"]] == ["有理数的加法讲解"]
    hidden = make_resource(lesson=lesson, title="草稿讲解", status=Resource.Status.DRAFT)
    assert not index_now("k12.resource", hidden.pk)
    redirect = client.get("/k12/search/?q=有理数")
    assert redirect.status_code == 302 and "platform=k12" in redirect["Location"]
