"""The higher-education catalogue at /higher/ and /api/v1/higher/: published courses only, disciplines with
counts, filters, sorts, pages, keyword search through the unified search, the hottest and the newest."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from zhijiao.accounts.models import User
from zhijiao.courses.models import Course, CourseLevel, Run
from zhijiao.courses.tests.factories import make_course
from zhijiao.orgs.models import Organization

from .conftest import bulk_published

pytestmark = pytest.mark.django_db

API = "/api/v1/higher"


def html(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def results(page: str) -> list[str]:
    """Course titles of the catalogue's result cards, in order."""
    found = re.search(r'<ul class="course-grid" id="course-results">(.*?)</ul>', page, re.S)
    if not found:
        return []
    return [re.sub(r"<[^>]+>", "", title) for title in re.findall(r'<span class="course-title">(.*?)</span>', found[1])]


def open_run(course: Course, *, opens: int = -1, closes: int = 10, kind: str = Run.Kind.OPEN, **fields: Any) -> Run:
    now = timezone.now()
    return Run.objects.create(
        course=course,
        title="2026 秋季学期",
        kind=kind,
        enrol_opens_at=now + timedelta(days=opens),
        enrol_closes_at=now + timedelta(days=closes),
        starts_at=now + timedelta(days=opens),
        ends_at=now + timedelta(days=closes + 90),
        **fields,
    )


def test_the_catalogue_lists_published_courses_as_cards_that_open_the_course(
    client: Client, publish: Any, lead: User
) -> None:
    course = publish("大学生心理健康", code="0402", enrolments=1234, ratings=(10, 46), first_class_year=2020)
    make_course(lead=lead, title="还在编写的草稿课程")
    page = html(client.get("/higher/"))
    assert results(page) == ["大学生心理健康"]
    card = page[page.index('<li class="course-card">') :]
    card = card[: card.index("</li>")]
    assert f'href="{course.get_absolute_url()}"' in card
    assert "北京师范大学" in card and "心理学" in card and "本科" in card
    assert "1,234 人学习" in card
    assert "4.6 分（10 人评价）" in card
    assert "国家级一流" in card
    assert "topic-cover-generated" in card  # no cover uploaded: a generated one
    assert "共 1 门课程" in page
    assert "还在编写的草稿课程" not in page


def test_disciplines_are_listed_by_category_with_counts_and_filter_the_list(client: Client, publish: Any) -> None:
    publish("数据结构", code="0812")
    publish("操作系统", code="0812")
    publish("电路原理", code="0808")
    publish("马克思主义基本原理", code="0305")
    page = html(client.get("/higher/"))
    nav = page[
        page.index('class="card catalogue-disciplines"') : page.index("</nav>", page.index("catalogue-disciplines"))
    ]
    assert re.search(r">工学 <span class=\"count\">3</span>", nav)
    assert re.search(r">法学 <span class=\"count\">1</span>", nav)
    assert "理学" not in nav  # categories without courses are left out
    assert "计算机科学与技术" not in nav  # first-level disciplines open under the chosen category

    engineering = html(client.get("/higher/?discipline=08"))
    assert sorted(results(engineering)) == ["操作系统", "数据结构", "电路原理"]
    assert re.search(r">计算机科学与技术 <span class=\"count\">2</span>", engineering)
    assert re.search(r">电气工程 <span class=\"count\">1</span>", engineering)
    assert sorted(results(html(client.get("/higher/?discipline=0812")))) == ["操作系统", "数据结构"]


def test_filters_level_first_class_university_and_open_enrolment(
    client: Client, publish: Any, tsinghua: Organization
) -> None:
    mooc = publish("数据结构", first_class_year=2019)
    graduate = publish("高等量子力学", code="0702", level=CourseLevel.GRADUATE, university=tsinghua)
    closed = publish("编译原理")
    open_run(mooc)
    open_run(closed, opens=-30, closes=-1)  # enrolment over
    spoc = publish("校内算法课")
    open_run(spoc, kind=Run.Kind.SPOC, university=graduate.university)  # only for one university's students
    assert results(html(client.get("/higher/?level=graduate"))) == ["高等量子力学"]
    assert results(html(client.get("/higher/?first_class=1"))) == ["数据结构"]
    assert results(html(client.get(f"/higher/?university={tsinghua.pk}"))) == ["高等量子力学"]
    assert results(html(client.get("/higher/?enrolling=1"))) == ["数据结构"]
    assert results(html(client.get("/higher/?enrolling=1&first_class=1&discipline=0812"))) == ["数据结构"]


def test_sorted_by_hottest_newest_or_best_rated(client: Client, publish: Any) -> None:
    publish("甲课程", enrolments=50, ratings=(2, 10))  # 5.0 from two learners
    publish("乙课程", enrolments=900, ratings=(400, 1800))  # 4.5 from four hundred
    publish("丙课程", enrolments=10)
    assert results(html(client.get("/higher/"))) == ["乙课程", "甲课程", "丙课程"]
    assert results(html(client.get("/higher/?sort=newest"))) == ["丙课程", "乙课程", "甲课程"]
    # A damped mean: two five-star ratings do not outrank four hundred that average 4.5.
    assert results(html(client.get("/higher/?sort=rating"))) == ["乙课程", "甲课程", "丙课程"]


def test_pages_of_twenty(client: Client, lead: User, bnu: Organization) -> None:
    bulk_published(lead, bnu, 45)
    first = html(client.get("/higher/"))
    assert len(results(first)) == 20 and results(first)[0] == "批量课程044"
    assert "第 1 / 3 页" in first and 'href="?page=2" rel="next"' in first
    last = html(client.get("/higher/?page=3&sort=newest"))
    assert len(results(last)) == 5
    assert 'rel="next"' not in last and 'href="?sort=newest&amp;page=2" rel="prev"' in last
    assert len(results(html(client.get("/higher/?page=abc")))) == 20  # nonsense reads as the first page


def test_bad_input_is_a_clear_message_on_the_page_and_a_422_from_the_api(client: Client, publish: Any) -> None:
    publish("数据结构")
    page = html(client.get("/higher/?discipline=9999&level=phd&sort=best&first_class=maybe&university=abc"))
    assert "没有这个学科：9999" in page and "未知的课程层次" in page and "未知的排序方式" in page
    assert "只能是 1 或 0" in page and "学校编号应为数字" in page
    assert results(page) == ["数据结构"]  # the refused filters are ignored, the page still answers
    response = client.get(f"{API}/courses?discipline=9999&sort=best")
    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"sort"}  # the choices are in the API's description: checked first
    response = client.get(f"{API}/courses?discipline=9999&sort=newest")
    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"discipline"}
    assert client.get(f"{API}/courses?q=数据&sort=rating").status_code == 422


def test_a_keyword_search_goes_through_the_unified_search_with_course_facets(
    client: Client, publish: Any, lead: User, tsinghua: Organization
) -> None:
    publish("大学生心理健康", code="0402", first_class_year=2020)
    publish("心理学与生活", code="0402", university=tsinghua)
    publish("数据结构")
    draft = make_course(lead=lead, title="心理咨询技术（草稿）")
    page = html(client.get("/higher/?q=心理"))
    assert sorted(results(page)) == ["大学生心理健康", "心理学与生活"]
    assert "<mark>心理</mark>" in page
    facets = page[page.index('class="catalogue-facets"') :]
    assert "心理学" in facets and "清华大学" in facets and "国家级一流课程" in facets
    assert f'href="?q=%E5%BF%83%E7%90%86&amp;university={tsinghua.pk}"' in facets  # a facet value narrows the search
    assert results(html(client.get(f"/higher/?q=心理&university={tsinghua.pk}"))) == ["心理学与生活"]
    assert results(html(client.get("/higher/?q=心理&first_class=1"))) == ["大学生心理健康"]
    # The same documents answer the site-wide search, typed as courses of the higher-education platform.
    found = client.get("/api/v1/search?q=心理&type=courses.course").json()
    assert {hit["title"] for hit in found["results"]} == {"大学生心理健康", "心理学与生活"}
    assert {hit["platform"] for hit in found["results"]} == {"higher"}
    assert draft.title not in str(found)
    page = re.sub(r"</?mark>", "", html(client.get("/search/?q=心理&platform=higher")))
    assert "大学生心理健康" in page and "心理学与生活" in page and "国家级一流课程" in page


def test_reindex_rebuilds_course_documents_and_leaves_drafts_out(publish: Any, lead: User) -> None:
    from zhijiao.search.models import SearchDocument
    from zhijiao.search.services import reindex

    course = publish("大学生心理健康")
    make_course(lead=lead, title="草稿课程")
    SearchDocument.objects.filter(kind="courses.course").delete()
    report = reindex(kind="courses.course")
    assert report.documents == 1
    assert list(SearchDocument.objects.filter(kind="courses.course").values_list("object_id", flat=True)) == [
        str(course.pk)
    ]


def test_the_catalogue_api_pages_filters_and_searches(client: Client, publish: Any) -> None:
    course = publish("大学生心理健康", code="0402", enrolments=7, ratings=(2, 9), first_class_year=2020)
    publish("数据结构")
    body = client.get(f"{API}/courses?discipline=04").json()
    assert body["count"] == 1 and body["pages"] == 1 and body["sort"] == "hot"
    (item,) = body["items"]
    assert item == {
        "id": course.pk,
        "title": "大学生心理健康",
        "url": f"/courses/{course.pk}/",
        "cover": None,
        "university_id": course.university_id,
        "university": "北京师范大学",
        "discipline": {"code": "0402", "name": "心理学"},
        "level": "undergraduate",
        "first_class_year": 2020,
        "enrolment_count": 7,
        "rating_count": 2,
        "rating_average": "4.5",
        "published_at": course.published_at.isoformat(),
    }
    searched = client.get(f"{API}/courses?q=心理健康").json()
    assert [hit["title"] for hit in searched["items"]] == ["大学生心理健康"]
    assert searched["sort"] == "relevance"
    assert {facet["name"] for facet in searched["facets"]} >= {"discipline", "level", "university", "first_class"}
    disciplines = client.get(f"{API}/disciplines").json()
    assert [(row["code"], row["count"]) for row in disciplines] == [("04", 1), ("08", 1)]
    assert disciplines[0]["children"] == [{"code": "0402", "name": "心理学", "count": 1, "children": []}]
    assert [row["title"] for row in client.get(f"{API}/courses/newest").json()] == ["数据结构", "大学生心理健康"]


def test_the_catalogue_page_stays_flat_with_many_courses(
    client: Client, lead: User, bnu: Organization, settings: Any, django_assert_max_num_queries: Any
) -> None:
    bulk_published(lead, bnu, 60)
    client.get("/higher/")  # the discipline catalogue itself is kept for an hour
    # Content cache off (as in every test): the counts per discipline, the universities, the hottest (views,
    # enrolments, rows), the newest and the platform page's four figures each cost one query; the catalogue itself
    # is a count, then (sorted by rating, which no index serves) the page's ids and its rows.
    with django_assert_max_num_queries(13):
        page = html(client.get("/higher/?discipline=08&sort=rating"))
    assert len(results(page)) == 20
    settings.CONTENT_CACHE_SECONDS = 60
    client.get("/higher/")
    # With the shared figures cached (the count too): the page of rows, and the hottest's and the newest's rows.
    with django_assert_max_num_queries(3):
        html(client.get("/higher/?sort=newest&page=2"))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_catalogue_reads_in_one_language(client: Client, publish: Any, settings: Any, language: str) -> None:
    from zhijiao.portal.tests.languages import UserContent, foreign_text, readable_text

    course = publish("大学生心理健康", code="0402", enrolments=12, ratings=(3, 14), first_class_year=2021)
    Run.objects.create(
        course=course,
        title="2026 春季学期",
        enrol_opens_at=timezone.now() - timedelta(days=1),
        enrol_closes_at=timezone.now() + timedelta(days=9),
        starts_at=timezone.now(),
        ends_at=timezone.now() + timedelta(days=90),
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    content = UserContent.from_database()
    for url in ("/higher/", "/higher/?discipline=04", "/higher/?q=心理", "/higher/?q=心理&sort=rating&level=x"):
        page = re.sub(r"</?mark>", "", html(client.get(url)))  # highlighted words are part of the titles
        query = UserContent(["心理", "x"])
        assert foreign_text(readable_text(page, language), language, content, query) == [], url


@pytest.mark.parametrize(
    "query",
    [
        "page=-5",
        "page=99999999999999999999",
        "university=99999999999999999999999",
        "university=123",
        "discipline=<script>alert(1)</script>",
        "q=" + "心理" * 300,
        "q=%22%22%22-&sort=relevance",
        "q=-心理",
        "first_class=true&enrolling=on",
        "level=&discipline=&sort=",
    ],
)
def test_odd_input_never_breaks_the_catalogue(client: Client, publish: Any, query: str) -> None:
    publish("大学生心理健康", code="0402")
    page = client.get(f"/higher/?{query}")
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.content.decode()
    assert client.get(f"{API}/courses?{query}").status_code in (200, 422)


def test_a_signed_in_learner_gets_the_catalogue_in_few_queries(
    client: Client, lead: User, bnu: Organization, student: User, settings: Any, django_assert_max_num_queries: Any
) -> None:
    bulk_published(lead, bnu, 30)
    settings.CONTENT_CACHE_SECONDS = 60
    client.force_login(student)
    client.get("/higher/")
    # The person's session, account, memberships, unread notifications and the idle-expiry session update (three
    # statements), as on every signed-in page; the platform page's newest articles; the catalogue's page of ids and
    # its rows, and the hottest's rows: never a query per course.
    with django_assert_max_num_queries(11):
        page = html(client.get("/higher/?sort=rating&page=2"))
    assert len(results(page)) == 10
