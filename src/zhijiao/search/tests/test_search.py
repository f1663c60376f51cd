"""The unified search through its page and API. Runs unchanged on SQLite (FTS5) and PostgreSQL (tsvector)."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from zhijiao.core.platforms import Platform
from zhijiao.orgs.models import Organization
from zhijiao.orgs.services import organization_create
from zhijiao.orgs.tests.factories import make_region
from zhijiao.portal.services import article_save, article_set_published
from zhijiao.portal.tests.factories import make_article, make_topic
from zhijiao.search.models import SearchDocument
from zhijiao.search.registry import STAFF, Document
from zhijiao.search.services import documents_write, index_now

pytestmark = pytest.mark.django_db

API = "/api/v1/search"


def titles(response: Any) -> list[str]:
    return [hit["title"] for hit in response.json()["results"]]


@pytest.fixture
def corpus(committed: Any) -> dict[str, Any]:
    now = timezone.now()
    with committed():
        made = {
            "pharma": make_article(
                Platform.EMPLOYMENT,
                "北京生物制药企业春季招聘会",
                body="多家生物制药企业参加，提供研发与生产岗位。",
                published_at=now - timedelta(days=3),
            ),
            "equation": make_article(
                Platform.K12,
                "七年级数学：一元一次方程专题复习",
                body="本课讲解一元一次方程的解法，并配有练习。",
                kind="feature",
                published_at=now - timedelta(days=1),
            ),
            "agreement": make_article(
                Platform.HIGHER,
                "毕业生三方协议签订须知",
                body="签订三方协议前，请核对用人单位信息。北京地区高校请按时提交。",
                published_at=now - timedelta(days=2),
            ),
            "service": make_article(
                Platform.K12,
                "上海市推进课后服务提质增效",
                body="各区学校丰富课后服务内容，<script>alert(1)</script> 家长满意。",
                published_at=now - timedelta(days=5),
            ),
            "topic": make_topic("课后服务专题", description="汇集课后服务的经验做法。"),
        }
    return made


def test_words_must_all_match(client: Any, corpus: dict[str, Any]) -> None:
    assert titles(client.get(API, {"q": "北京 生物制药"})) == ["北京生物制药企业春季招聘会"]
    assert titles(client.get(API, {"q": "北京 一元一次方程"})) == []


def test_search_mode_finds_words_inside_longer_words(client: Any, corpus: dict[str, Any]) -> None:
    assert titles(client.get(API, {"q": "制药"})) == ["北京生物制药企业春季招聘会"]
    assert titles(client.get(API, {"q": "生物 制药"})) == ["北京生物制药企业春季招聘会"]


def test_user_dictionary_term_is_found_whole(client: Any, corpus: dict[str, Any]) -> None:
    response = client.get(API, {"q": "一元一次方程"})
    assert titles(response) == ["七年级数学：一元一次方程专题复习"]
    assert "<mark>一元一次方程</mark>" in response.json()["results"][0]["title_html"]


def test_title_match_ranks_above_body_match(client: Any, corpus: dict[str, Any]) -> None:
    found = titles(client.get(API, {"q": "课后服务"}))
    assert set(found) == {"课后服务专题", "上海市推进课后服务提质增效"}
    found_north = titles(client.get(API, {"q": "北京"}))
    assert found_north[0] == "北京生物制药企业春季招聘会"
    assert "毕业生三方协议签订须知" in found_north


def test_phrase_and_exclusion(client: Any, corpus: dict[str, Any]) -> None:
    assert titles(client.get(API, {"q": '"三方协议 签订"'})) == ["毕业生三方协议签订须知"]
    assert titles(client.get(API, {"q": '"签订 三方协议 须知"'})) == []
    assert titles(client.get(API, {"q": "北京 -招聘"})) == ["毕业生三方协议签订须知"]
    assert titles(client.get(API, {"q": '课后服务 -"上海市"'})) == ["课后服务专题"]


def test_unbalanced_quote_is_closed(client: Any, corpus: dict[str, Any]) -> None:
    response = client.get(API, {"q": '"三方协议'})
    assert response.status_code == 200
    assert titles(response) == ["毕业生三方协议签订须知"]


def test_full_width_and_traditional_input(client: Any, corpus: dict[str, Any]) -> None:
    assert titles(client.get(API, {"q": "三方協議"})) == ["毕业生三方协议签订须知"]
    assert titles(client.get(API, {"q": "北京　生物製藥"})) == ["北京生物制药企业春季招聘会"]


def test_pinyin_finds_chinese_titles(client: Any, corpus: dict[str, Any]) -> None:
    assert "北京生物制药企业春季招聘会" in titles(client.get(API, {"q": "beijing"}))
    assert "北京生物制药企业春季招聘会" in titles(client.get(API, {"q": "bj"}))
    assert titles(client.get(API, {"q": "shanghai"})) == ["上海市推进课后服务提质增效"]


def test_filters_and_facets(client: Any, corpus: dict[str, Any]) -> None:
    body = client.get(API, {"q": "课后服务"}).json()
    facets = {facet["name"]: {v["value"]: v["count"] for v in facet["values"]} for facet in body["facets"]}
    assert facets["platform"] == {"k12": 1, "portal": 1}
    assert facets["type"] == {"portal.article": 1, "portal.topic": 1}
    assert body["facets_exact"] is True
    filtered = client.get(API, {"q": "课后服务", "platform": "k12"}).json()
    assert [hit["title"] for hit in filtered["results"]] == ["上海市推进课后服务提质增效"]
    assert filtered["total"] == 1
    assert titles(client.get(API, {"q": "课后服务", "type": "portal.topic"})) == ["课后服务专题"]
    assert titles(client.get(API, {"q": "一元一次方程", "category": "feature"})) == ["七年级数学：一元一次方程专题复习"]
    assert titles(client.get(API, {"q": "一元一次方程", "category": "news"})) == []


def test_sorting_and_pagination(client: Any, corpus: dict[str, Any]) -> None:
    newest = titles(client.get(API, {"q": "北京", "sort": "newest"}))
    assert newest == ["毕业生三方协议签订须知", "北京生物制药企业春季招聘会"]
    first = client.get(API, {"q": "北京", "sort": "newest", "limit": 1}).json()
    second = client.get(API, {"q": "北京", "sort": "newest", "limit": 1, "offset": 1}).json()
    assert first["total"] == second["total"] == 2
    assert [first["results"][0]["title"], second["results"][0]["title"]] == newest


def test_popularity_sort(client: Any, corpus: dict[str, Any]) -> None:
    documents_write(
        documents=[
            Document(
                kind="portal.topic",
                object_id="9001",
                title="热门课后服务案例",
                body="",
                platform="portal",
                type_label="专题",
                url="/x",
                popularity=99.0,
            )
        ]
    )
    assert titles(client.get(API, {"q": "课后服务", "sort": "popular"}))[0] == "热门课后服务案例"


def test_snippet_marks_original_text_and_escapes_html(client: Any, corpus: dict[str, Any]) -> None:
    hit = client.get(API, {"q": "课后服务", "platform": "k12"}).json()["results"][0]
    assert "<mark>课后服务</mark>" in hit["snippet_html"]
    assert "<script>" not in hit["snippet_html"]
    assert "&lt;script&gt;" in hit["snippet_html"]


def test_index_follows_service_writes(client: Any, committed: Any) -> None:
    with committed():
        article = make_article(Platform.PORTAL, "教师资格证考试报名通知")
    assert titles(client.get(API, {"q": "教师资格证"})) == ["教师资格证考试报名通知"]
    with committed():
        article.title = "教师资格考试报名时间调整"
        article_save(article=article)
    assert titles(client.get(API, {"q": "教师资格证"})) == []
    assert titles(client.get(API, {"q": "报名时间"})) == ["教师资格考试报名时间调整"]
    with committed():
        article_set_published(article=article, published=False)
    assert titles(client.get(API, {"q": "报名时间"})) == []
    assert not SearchDocument.objects.filter(kind="portal.article", object_id=str(article.pk)).exists()
    with committed():
        article_set_published(article=article, published=True)
    assert titles(client.get(API, {"q": "报名时间"})) == ["教师资格考试报名时间调整"]
    with committed():
        article.delete()
    assert titles(client.get(API, {"q": "报名时间"})) == []


def test_a_scheduled_article_is_indexed_now_and_again_when_it_falls_due(settings: Any, committed: Any) -> None:
    from django.tasks import task_backends
    from django.tasks.backends.dummy import DummyBackend

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}  # it can defer tasks
    due = timezone.now() + timedelta(days=1)
    with committed():
        article = make_article(Platform.PORTAL, "下周发布的招生通知", published_at=due)
    backend = task_backends["default"]
    assert isinstance(backend, DummyBackend)
    enqueued = [(result.task.name, result.kwargs, result.task.run_after) for result in backend.results]
    wanted = {"kind": "portal.article", "object_id": str(article.pk)}
    assert enqueued == [("index_document", wanted, None), ("index_document", wanted, due)]


def test_rolled_back_write_indexes_nothing(client: Any) -> None:
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        make_article(Platform.PORTAL, "不会提交的学历认证文章")
        raise RuntimeError
    assert titles(client.get(API, {"q": "学历认证"})) == []


def test_organizations_with_region_hierarchy(client: Any, committed: Any, platform_admin: Any) -> None:
    haidian = make_region("110108", "海淀区")
    with committed():
        organization_create(
            actor=platform_admin, kind=Organization.Kind.UNIVERSITY, name="北京航天工程大学", region=haidian
        )
    body = client.get(API, {"q": "航天", "region": "110000"}).json()
    assert [hit["title"] for hit in body["results"]] == ["北京航天工程大学"]
    assert body["results"][0]["platform"] == "higher"
    region_facet = next(facet for facet in body["facets"] if facet["name"] == "region")
    labels = {value["value"]: value["label"] for value in region_facet["values"]}
    # Facet labels are places as people write them: never the 市辖区 placeholder of a municipality.
    assert labels["110108"] == "北京市海淀区"
    assert "市辖区" not in labels.values()
    assert titles(client.get(API, {"q": "航天", "region": "310000"})) == []


def test_staff_only_document_is_hidden_from_others(
    client: Any, committed: Any, platform_admin: Any, student: Any
) -> None:
    with committed():
        make_article(Platform.PORTAL, "定时发布的招生计划", published_at=timezone.now() + timedelta(days=3))
    assert SearchDocument.objects.get(title="定时发布的招生计划").audience == [STAFF]
    assert client.get(API, {"q": "招生计划"}).json()["total"] == 0
    client.force_login(student)
    assert client.get(API, {"q": "招生计划"}).json()["total"] == 0
    client.force_login(platform_admin)
    body = client.get(API, {"q": "招生计划"}).json()
    assert body["total"] == 1
    assert {v["value"]: v["count"] for f in body["facets"] if f["name"] == "platform" for v in f["values"]} == {
        "portal": 1
    }


def test_unknown_filters_answer_422_in_the_error_shape(client: Any, corpus: dict[str, Any]) -> None:
    response = client.get(API, {"q": "北京", "colour": "red"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_filter"
    assert set(body) == {"code", "message", "fields"}
    assert "colour" in body["fields"]
    for params in ({"platform": "mars"}, {"type": "nothing"}, {"sort": "random"}, {"limit": 0}, {"offset": -1}):
        bad = client.get(API, {"q": "北京", **params})
        assert bad.status_code == 422
        assert set(bad.json()) == {"code", "message", "fields"}


@pytest.mark.parametrize(
    "q",
    [
        "",
        "   ",
        "!!!",
        "——……",
        '"',
        '""',
        '"""',
        "-",
        "--",
        "-北京",
        "* OR NOT AND",
        "NEAR(a b)",
        "'; DROP TABLE x; --",
        "a:b",
        "{title}: x",
        "\\",
        "'",
        "&|!<->",
        "北京*",
        "\x00\x01",
        "😀😀",
        "北" * 500,
        "a " * 300,
        '"北京 -"生物',
    ],
)
def test_odd_input_never_fails(client: Any, corpus: dict[str, Any], q: str) -> None:
    response = client.get(API, {"q": q})
    if "\x00" in q:  # the API refuses control characters in any text it reads, naming the field
        assert response.status_code == 422 and "q" in response.json()["fields"]
    else:
        assert response.status_code == 200
        assert len(response.json()["q"]) <= 100
    page = client.get("/search/", {"q": q})
    # a NUL in a page's address is refused before the page reads it (core.middleware.RefuseNulMiddleware)
    assert page.status_code == (400 if "\x00" in q else 200)


def test_over_long_query_is_capped(client: Any, corpus: dict[str, Any]) -> None:
    body = client.get(API, {"q": "北京" * 80}).json()
    assert body["truncated"] is True
    assert len(body["q"]) == 100


def test_index_now_rebuilds_one_object(corpus: dict[str, Any]) -> None:
    article = corpus["pharma"]
    SearchDocument.objects.filter(kind="portal.article", object_id=str(article.pk)).delete()
    assert index_now("portal.article", article.pk) is True
    assert SearchDocument.objects.filter(kind="portal.article", object_id=str(article.pk)).count() == 1


def test_more_matches_than_the_cap_say_so(client: Any, corpus: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    # Above RANK_CAP matches a search ranks RANK_CAP of them and says the total is a lower bound; filters and
    # visibility apply all the same, and below the cap everything is exact.
    body = client.get(API, {"q": "课后服务"}).json()
    assert (body["total"], body["total_exact"], body["facets_exact"]) == (2, True, True)
    monkeypatch.setattr("zhijiao.search.backends.RANK_CAP", 1)
    body = client.get(API, {"q": "课后服务"}).json()
    assert (body["total"], body["total_exact"], body["facets_exact"]) == (1, False, False)
    assert titles(client.get(API, {"q": "课后服务"})) in (["上海市推进课后服务提质增效"], ["课后服务专题"])
    filtered = client.get(API, {"q": "课后服务", "platform": "k12"}).json()
    assert (filtered["total"], filtered["total_exact"]) == (1, True)
    assert [hit["title"] for hit in filtered["results"]] == ["上海市推进课后服务提质增效"]
    newest = client.get(API, {"q": "北京", "sort": "newest"}).json()
    assert (newest["total"], newest["total_exact"]) == (1, False)
    assert [hit["title"] for hit in newest["results"]] == ["毕业生三方协议签订须知", "北京生物制药企业春季招聘会"]
    page = client.get("/search/", {"q": "课后服务"}).content.decode()
    assert "找到超过 1 条结果" in page


@pytest.mark.django_db
def test_an_empty_sort_in_the_api_is_the_default(client):
    response = client.get("/api/v1/search", {"q": "北京", "sort": ""})
    assert response.status_code == 200
    assert response.json()["sort"] == "relevance"
