"""The portal's read-only API: topics with their items, articles page by page, platform totals."""

from datetime import timedelta
from typing import get_args

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from zhijiao.accounts.tests.factories import make_user
from zhijiao.core.platforms import Platform
from zhijiao.orgs.models import Organization
from zhijiao.orgs.tests.factories import make_organization
from zhijiao.portal.models import Article
from zhijiao.portal.schemas import ArticleKind, PlatformKey
from zhijiao.portal.tests.factories import add_topic_item, make_article, make_topic

pytestmark = pytest.mark.django_db


def test_literal_choices_match_the_models():
    assert set(get_args(PlatformKey)) == set(Platform.values)
    assert set(get_args(ArticleKind)) == set(Article.Kind.values)


def test_topic_list_shows_published_topics_only(client):
    shown = make_topic("心理健康", slug="mental-health")
    make_topic("草稿专题", slug="draft", is_published=False)
    response = client.get("/api/v1/portal/topics")
    assert response.status_code == 200
    assert response.json() == [
        {
            "slug": "mental-health",
            "title": "心理健康",
            "description": shown.description,
            "cover": None,
            "url": "/topics/mental-health/",
        }
    ]


def test_topic_detail_lists_items_in_order_with_platform_and_type(client):
    topic = make_topic("北京冬奥精神", slug="winter-olympics")
    article = make_article(Platform.K12, "冰雪运动进校园")
    university = make_organization(Organization.Kind.UNIVERSITY, "北京体育大学")
    hidden = make_article(Platform.HIGHER, "未发布", is_published=False)
    add_topic_item(topic, university, note="冰雪人才培养")
    add_topic_item(topic, article)
    add_topic_item(topic, hidden)
    response = client.get("/api/v1/portal/topics/winter-olympics")
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "北京冬奥精神"
    assert body["items"] == [
        {
            "title": "北京体育大学",
            "url": "",
            "platform": "higher",
            "type": "orgs.organization",
            "type_label": "机构",
            "note": "冰雪人才培养",
        },
        {
            "title": "冰雪运动进校园",
            "url": f"/articles/{article.pk}/",
            "platform": "k12",
            "type": "portal.article",
            "type_label": "文章",
            "note": "",
        },
    ]


def test_topic_detail_resolves_many_items_of_several_types_in_few_queries(client, django_assert_max_num_queries):
    topic = make_topic(slug="many")
    for n in range(15):
        add_topic_item(topic, make_article(Platform.PORTAL, f"文章{n}"))
    for n in range(10):
        add_topic_item(topic, make_organization(Organization.Kind.SCHOOL, f"第{n}中学"))
    for n in range(5):
        add_topic_item(topic, make_topic(f"子专题{n}", slug=f"sub-{n}"))
    ContentType.objects.clear_cache()
    # the topic, its items, one query per type of content (3), and the first time each content type (3)
    # +1: the API's request limit, counted in the database without Redis (core.counters)
    with django_assert_max_num_queries(9):
        response = client.get("/api/v1/portal/topics/many")
    # content types are cached by the process from then on
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/portal/topics/many").status_code == 200
    assert response.status_code == 200
    assert len(response.json()["items"]) == 30
    assert {item["type"] for item in response.json()["items"]} == {
        "portal.article",
        "orgs.organization",
        "portal.topic",
    }


def test_unknown_and_draft_topics_are_404(client):
    make_topic(slug="draft", is_published=False)
    for slug in ("nope", "draft"):
        response = client.get(f"/api/v1/portal/topics/{slug}")
        assert response.status_code == 404
        assert response.json() == {"code": "not_found", "message": "找不到您要的内容", "fields": {}}


def test_article_list_is_paginated_newest_first_and_filtered(client, django_assert_max_num_queries):
    now = timezone.now()
    for n in range(5):
        make_article(Platform.K12, f"中小学{n}", published_at=now - timedelta(hours=10 - n))
    make_article(Platform.HIGHER, "高教新闻", published_at=now - timedelta(hours=1))
    make_article(Platform.K12, "通知", kind=Article.Kind.NOTICE, published_at=now - timedelta(minutes=5))
    make_article(Platform.K12, "未来", published_at=now + timedelta(days=1))
    make_article(Platform.K12, "草稿", is_published=False)

    # +1: the API's request limit, counted in the database without Redis (core.counters)
    with django_assert_max_num_queries(3):
        page = client.get("/api/v1/portal/articles?platform=k12&limit=2").json()
    assert page["count"] == 6
    assert [a["title"] for a in page["items"]] == ["通知", "中小学4"]
    assert page["limit"] == 2 and page["offset"] == 0

    second = client.get("/api/v1/portal/articles?platform=k12&limit=2&offset=2").json()
    assert [a["title"] for a in second["items"]] == ["中小学3", "中小学2"]

    notices = client.get("/api/v1/portal/articles?kind=notice").json()
    assert [a["title"] for a in notices["items"]] == ["通知"]

    everything = client.get("/api/v1/portal/articles").json()
    assert everything["count"] == 7 and everything["limit"] == 20
    first = everything["items"][0]
    assert set(first) == {"id", "platform", "kind", "title", "summary", "source", "published_at", "url"}


def test_article_list_past_the_end_is_empty(client):
    make_article()
    page = client.get("/api/v1/portal/articles?offset=50").json()
    assert page == {"items": [], "count": 1, "limit": 20, "offset": 50}


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("limit=0", "limit", "不能小于 1"),
        ("limit=101", "limit", "不能大于 100"),
        ("limit=ten", "limit", "请输入整数"),
        ("offset=-1", "offset", "不能小于 0"),
        ("offset=10001", "offset", "不能大于 10000"),
        ("offset=1.5", "offset", "请输入整数"),
        ("kind=gossip", "kind", "请从以下选项中选择：news, notice, policy, feature"),
    ],
)
def test_pagination_and_filter_bounds_are_422(client, query, field, message):
    response = client.get(f"/api/v1/portal/articles?{query}")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert body["fields"] == {field: [message]}


def test_largest_page_is_allowed(client):
    assert client.get("/api/v1/portal/articles?limit=100&offset=10000").status_code == 200


def test_article_detail_and_its_404s(client):
    article = make_article(Platform.HALL, "四六级成绩查询开通", body="正文内容")
    draft = make_article(is_published=False)
    response = client.get(f"/api/v1/portal/articles/{article.pk}")
    assert response.status_code == 200
    assert response.json()["body"] == "正文内容"
    assert response.json()["platform"] == "hall"
    assert client.get(f"/api/v1/portal/articles/{draft.pk}").status_code == 404
    assert client.get("/api/v1/portal/articles/999999").status_code == 404
    malformed = client.get("/api/v1/portal/articles/abc")
    assert malformed.status_code in (404, 422)
    assert set(malformed.json()) == {"code", "message", "fields"}


def test_summary_counts_per_platform_and_kind(client, django_assert_max_num_queries):
    make_article(Platform.K12)
    make_article(Platform.K12)
    make_article(Platform.EMPLOYMENT)
    make_article(Platform.EMPLOYMENT, is_published=False)
    make_organization(Organization.Kind.UNIVERSITY, "清华大学")
    make_topic(slug="a")
    make_topic(slug="b", is_published=False)
    make_user()
    make_user()
    make_user(is_active=False)
    # +1: the API's request limit, counted in the database without Redis (core.counters)
    with django_assert_max_num_queries(5):
        body = client.get("/api/v1/portal/summary").json()
    articles = {figure["key"]: figure["count"] for figure in body["articles"]}
    assert articles["k12"] == 2 and articles["employment"] == 1 and articles["higher"] == 0
    organizations = {figure["key"]: figure["count"] for figure in body["organizations"]}
    assert organizations["university"] == 1
    assert body["topics"] == 1
    assert body["users"] == 2  # active accounts only
    assert {figure["label"] for figure in body["articles"]} >= {"中小学", "服务大厅"}


def test_summary_labels_follow_the_language(client):
    from django.utils import translation

    body = client.get("/api/v1/portal/summary", HTTP_ACCEPT_LANGUAGE="en").json()
    with translation.override("en"):
        expected = str(Platform.K12.label)
    assert next(f["label"] for f in body["articles"] if f["key"] == "k12") == expected
