"""The portal's public pages, through the test client: content, queries, caching, language, errors."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.template import loader
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zhijiao.accounts.tests.factories import make_user
from zhijiao.core.platforms import Platform
from zhijiao.orgs.models import Organization
from zhijiao.orgs.tests.factories import make_organization

from .factories import add_topic_item, make_article, make_topic

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def assert_csp_clean(page: str) -> None:
    """No inline style attributes, no <style> blocks, no inline scripts: the CSP forbids them."""
    assert 'style="' not in page
    assert "<style" not in page
    for tag in re.findall(r"<script\b[^>]*>", page):
        assert "src=" in tag or 'type="application/json"' in tag, tag


@pytest.fixture
def content(db: None) -> dict[str, object]:
    """A little of everything the home page shows."""
    school = make_organization(Organization.Kind.SCHOOL, "海淀区实验小学")
    make_organization(Organization.Kind.SCHOOL, "朝阳区实验中学", stage=Organization.Stage.JUNIOR)
    university = make_organization(Organization.Kind.UNIVERSITY, "北京师范大学")
    make_organization(Organization.Kind.VOCATIONAL, "北京电子科技职业学院")
    make_organization(Organization.Kind.EMPLOYER, "北京示例科技有限公司")
    articles = {
        Platform.PORTAL: make_article(Platform.PORTAL, "教育部发布2026年工作要点"),
        Platform.K12: make_article(Platform.K12, "春季学期中小学课后服务指南"),
        Platform.HIGHER: make_article(Platform.HIGHER, "国家精品慕课新一批上线"),
        Platform.EMPLOYMENT: make_article(Platform.EMPLOYMENT, "2026届高校毕业生春季招聘启动"),
    }
    topic = make_topic("心理健康", slug="mental-health", description="关注学生心理健康，提供专业指导。")
    add_topic_item(topic, articles[Platform.K12], note="家长必读")
    add_topic_item(topic, university)
    make_user(display_name="王老师")
    return {"school": school, "university": university, "articles": articles, "topic": topic}


# --- Home -----------------------------------------------------------------------------------------------------


def test_home_shows_topics_newest_of_each_platform_and_totals(client: Client, content: dict) -> None:
    response = client.get("/")
    assert response.status_code == 200
    page = html(response)
    assert "心理健康" in page
    for title in ("教育部发布2026年工作要点", "春季学期中小学课后服务指南", "国家精品慕课新一批上线"):
        assert title in page
    # One block per platform with articles; the vocational platform has none yet, so no block.
    assert page.count('class="card-title"') == 4
    # Totals: two schools, one university, one vocational college, one employer, one user, four articles.
    assert re.search(r"<dt>中小学校</dt><dd>2</dd>", page)
    assert re.search(r"<dt>高等学校</dt><dd>1</dd>", page)
    assert re.search(r"<dt>注册用户</dt><dd>1</dd>", page)
    assert re.search(r"<dt>发布文章</dt><dd>4</dd>", page)
    assert_csp_clean(page)


def test_home_query_count_is_flat(client: Client, content: dict, django_assert_max_num_queries) -> None:
    for n in range(12):
        make_article(Platform.VOCATIONAL, f"职教资讯{n}")
        make_topic(f"专题{n}")
    # topics, three totals (organisations, articles, users), one short query per platform's newest, hot items
    with django_assert_max_num_queries(1 + 3 + len(Platform.choices) + 1):
        response = client.get("/")
    assert response.status_code == 200
    assert "职教资讯11" in html(response)


def test_home_hides_drafts_and_future_articles(client: Client, content: dict) -> None:
    make_article(Platform.PORTAL, "尚未发布的草稿", is_published=False)
    make_article(Platform.PORTAL, "明天才发布的通知", published_at=timezone.now() + timedelta(days=1))
    page = html(client.get("/"))
    assert "尚未发布的草稿" not in page
    assert "明天才发布的通知" not in page


def test_newest_tabs_work_as_links_and_as_an_htmx_partial(client: Client, content: dict) -> None:
    page = html(client.get("/"))
    # Without JavaScript the tab is a link to the home page filtered by platform ...
    assert 'href="/?platform=k12#newest"' in page
    # ... and htmx fetches only the block.
    assert 'hx-get="/newest/?platform=k12"' in page
    assert 'hx-target="#newest"' in page

    full = html(client.get("/?platform=higher"))
    assert "国家精品慕课新一批上线" in full
    assert "春季学期中小学课后服务指南" not in full
    assert '<a id="newest-tab-higher" href="/?platform=higher#newest"' in full

    partial = client.get("/newest/?platform=k12", headers={"HX-Request": "true"})
    assert partial.status_code == 200
    body = html(partial)
    assert "<html" not in body
    assert "春季学期中小学课后服务指南" in body
    assert "国家精品慕课新一批上线" not in body
    assert re.search(r'id="newest-tab-k12"[^>]*aria-current="true"', body)


def test_newest_with_an_unknown_platform_shows_every_platform(client: Client, content: dict) -> None:
    response = client.get("/newest/?platform=<script>")
    assert response.status_code == 200
    body = html(response)
    assert "<script>" not in body
    assert "春季学期中小学课后服务指南" in body
    assert "国家精品慕课新一批上线" in body


def test_empty_site_still_renders(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "还没有发布文章" in html(response)
    assert "还没有发布专题" in html(response)


# --- Layout -------------------------------------------------------------------------------------------------


def test_layout_has_landmarks_skip_link_and_marks_the_current_section(client: Client, content: dict) -> None:
    page = html(client.get("/k12/"))
    assert '<html lang="zh-Hans">' in page
    assert 'class="skip-link" href="#main"' in page
    assert '<header class="site-header">' in page
    assert '<main id="main"' in page
    assert '<footer class="site-footer">' in page
    assert 'aria-label="平台导航"' in page
    assert re.search(r'<a href="/k12/" aria-current="page">中小学</a>', page)
    assert page.count('aria-current="page">') == 2  # the nav item and the breadcrumb's last crumb
    assert 'href="/lang/en/?next=/k12/"' in page
    assert 'href="/accounts/login/"' in page


def test_signed_in_header_shows_name_admin_link_and_logout_form(client: Client, content: dict) -> None:
    staff = make_user(display_name="李管理", is_staff=True)
    client.force_login(staff)
    page = html(client.get("/"))
    assert "李管理" in page
    assert 'href="/admin/"' in page
    assert re.search(r'<form method="post" action="/accounts/logout/"', page)
    assert "csrfmiddlewaretoken" in page
    assert 'href="/accounts/login/"' not in page


def test_every_nav_link_answers(client: Client, content: dict) -> None:
    page = html(client.get("/"))
    nav = page.split('aria-label="平台导航"', 1)[1].split("</nav>", 1)[0]
    links = re.findall(r'href="([^"]+)"', nav)
    assert links == ["/", "/k12/", "/vocational/", "/higher/", "/employment/", "/hall/", "/data/"]
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, link
        assert_csp_clean(html(response))


# --- Topics and articles -----------------------------------------------------------------------------------------


def test_topics_list(client: Client, content: dict) -> None:
    make_topic("未发布的专题", is_published=False)
    response = client.get("/topics/")
    assert response.status_code == 200
    page = html(response)
    assert "心理健康" in page
    assert "未发布的专题" not in page
    assert 'href="/topics/mental-health/"' in page
    assert "topic-cover-generated" in page  # no cover uploaded: a generated one


def test_topic_page_lists_items_of_two_types_in_order(client: Client, content: dict) -> None:
    response = client.get("/topics/mental-health/")
    assert response.status_code == 200
    page = html(response)
    k12 = content["articles"][Platform.K12]
    first = page.index("春季学期中小学课后服务指南")
    second = page.index("北京师范大学")
    assert first < second
    assert f'href="/articles/{k12.pk}/"' in page
    assert "家长必读" in page
    assert "高等教育" in page  # a university belongs to the higher-education platform
    assert "文章" in page and "机构" in page


def test_topic_page_has_no_n_plus_one(client: Client, content: dict, django_assert_max_num_queries) -> None:
    topic = content["topic"]
    for n in range(8):
        add_topic_item(topic, make_article(Platform.VOCATIONAL, f"职教专题文章{n}"))
        add_topic_item(topic, make_organization(Organization.Kind.UNIVERSITY, f"测试大学{n}"))
    # topic, items, one query per content type (articles, organisations)
    with django_assert_max_num_queries(4):
        response = client.get("/topics/mental-health/")
    page = html(response)
    assert "职教专题文章7" in page
    assert "测试大学7" in page


def test_topic_page_leaves_out_hidden_items(client: Client, content: dict) -> None:
    topic = content["topic"]
    add_topic_item(topic, make_article(Platform.PORTAL, "撤下的文章", is_published=False))
    page = html(client.get("/topics/mental-health/"))
    assert "撤下的文章" not in page


def test_draft_topic_is_hidden_from_visitors_but_shown_to_editors(client: Client, content: dict) -> None:
    make_topic("筹备中的专题", slug="draft-topic", is_published=False)
    assert client.get("/topics/draft-topic/").status_code == 404
    client.force_login(make_user(is_staff=True, is_superuser=True))
    response = client.get("/topics/draft-topic/")
    assert response.status_code == 200
    assert "尚未发布" in html(response)


def test_article_page(client: Client, content: dict) -> None:
    article = content["articles"][Platform.K12]
    make_article(Platform.K12, "另一篇中小学资讯")
    response = client.get(f"/articles/{article.pk}/")
    assert response.status_code == 200
    page = html(response)
    assert "春季学期中小学课后服务指南" in page
    assert "教育部" in page
    assert "另一篇中小学资讯" in page  # more from the same platform
    assert_csp_clean(page)


def test_draft_and_missing_articles_are_404(client: Client, content: dict) -> None:
    draft = make_article(Platform.PORTAL, "草稿", is_published=False)
    assert client.get(f"/articles/{draft.pk}/").status_code == 404
    assert client.get("/articles/999999/").status_code == 404
    assert client.get("/articles/99999999999999999999999/").status_code == 404  # beyond any integer column


def test_missing_topic_is_a_chinese_404_page(client: Client, content: dict) -> None:
    response = client.get("/topics/no-such-topic/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    page = html(response)
    assert "页面不存在" in page
    assert 'href="/"' in page
    assert "返回首页" in page


def test_error_templates_render_without_a_request() -> None:
    """Django renders 400 and 500 pages with an empty context; they must still say something useful."""
    for name, text in (("500.html", "服务暂时不可用"), ("400.html", "请求有误"), ("403_csrf.html", "页面已过期")):
        page = loader.get_template(name).render()
        assert text in page
        assert "返回首页" in page


def test_403_template(rf) -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied
    from django.views.defaults import permission_denied

    request = rf.get("/")
    request.user = AnonymousUser()
    response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert "没有访问权限" in response.content.decode()


# --- Language switch ----------------------------------------------------------------------------------------------


def test_language_switch_sets_the_cookie_and_goes_back(client: Client) -> None:
    response = client.get("/lang/en/?next=/k12/")
    assert response.status_code == 302
    assert response["Location"] == "/k12/"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert cookie["samesite"] == "Lax"
    assert bool(cookie["secure"]) == settings.LANGUAGE_COOKIE_SECURE
    page = html(client.get("/k12/"))
    assert '<html lang="en">' in page
    assert 'href="/lang/zh-hans/?next=/k12/"' in page

    back = client.get("/lang/zh-hans/?next=/")
    assert back.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    assert '<html lang="zh-Hans">' in html(client.get("/"))


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", ""]
)
def test_language_switch_refuses_unsafe_next(client: Client, next_url: str) -> None:
    response = client.get("/lang/en/", {"next": next_url})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")


def test_unknown_language_is_404_not_500(client: Client) -> None:
    response = client.get("/lang/xx/?next=/")
    assert response.status_code == 404
    assert "页面不存在" in html(response)
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


# --- Health and caching -------------------------------------------------------------------------------------------


def test_healthz(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]
    assert "Set-Cookie" not in response
    assert not response.cookies


def test_anonymous_home_is_served_from_the_page_cache(client: Client, content: dict, settings) -> None:
    settings.PAGE_CACHE_SECONDS = 60
    first = client.get("/")
    assert "public" in first["Cache-Control"]
    make_article(Platform.PORTAL, "缓存之后发布的新闻")
    second = client.get("/")
    assert second.status_code == 200
    assert "缓存之后发布的新闻" not in html(second)
    assert html(second) == html(first)


def test_signed_in_visitor_never_gets_the_cached_anonymous_page(client: Client, content: dict, settings) -> None:
    settings.PAGE_CACHE_SECONDS = 60
    anonymous = client.get("/")
    assert 'href="/accounts/login/"' in html(anonymous)
    make_article(Platform.PORTAL, "登录后才看到的新新闻")
    client.force_login(make_user(display_name="赵同学"))
    response = client.get("/")
    page = html(response)
    assert "赵同学" in page
    assert "登录后才看到的新新闻" in page
    assert 'href="/accounts/login/"' not in page
    assert "private" in response["Cache-Control"]


def test_totals_are_recounted_at_most_every_content_cache_seconds(client: Client, content: dict, settings) -> None:
    settings.CONTENT_CACHE_SECONDS = 60
    assert re.search(r"<dt>高等学校</dt><dd>1</dd>", html(client.get("/")))
    make_organization(Organization.Kind.UNIVERSITY, "清华大学")
    assert re.search(r"<dt>高等学校</dt><dd>1</dd>", html(client.get("/higher/")))
    settings.CONTENT_CACHE_SECONDS = 0
    assert re.search(r"<dt>高等学校</dt><dd>2</dd>", html(client.get("/higher/")))


def test_newest_block_is_shared_and_refreshed_when_an_article_changes(
    client: Client, content: dict, settings, django_assert_max_num_queries, django_capture_on_commit_callbacks
) -> None:
    settings.CONTENT_CACHE_SECONDS = 60
    client.force_login(make_user(display_name="钱老师"))  # signed in: never served by the page cache
    client.get("/")
    # session, user, topics, the idle-expiry session update (3 statements), the header's unread notification count
    # and the person's memberships for the desks row (one query a page shares with all its role checks): the totals
    # and the newest block come from the content cache
    with django_assert_max_num_queries(8):
        page = html(client.get("/"))
    assert "钱老师" in page
    assert "国家精品慕课新一批上线" in page
    with django_capture_on_commit_callbacks(execute=True):
        make_article(Platform.HIGHER, "编辑刚刚发布的慕课新闻")
    assert "编辑刚刚发布的慕课新闻" in html(client.get("/"))
    assert "编辑刚刚发布的慕课新闻" in html(client.get("/newest/?platform=higher"))
    assert re.search(r"<dt>发布文章</dt><dd>5</dd>", html(client.get("/")))


def test_languages_are_cached_apart(client: Client, content: dict, settings) -> None:
    settings.PAGE_CACHE_SECONDS = 60
    assert '<html lang="zh-Hans">' in html(client.get("/"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert '<html lang="en">' in html(client.get("/"))


# --- Platform landing pages and the data page ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "platform", "heading", "offer", "figure"),
    [
        ("/k12/", Platform.K12, "中小学", "云码讲解", "中小学校"),
        ("/vocational/", Platform.VOCATIONAL, "职业教育", "专业教学资源库", "职业院校"),
        ("/higher/", Platform.HIGHER, "高等教育", "慕课学习", "高等学校"),
        ("/employment/", Platform.EMPLOYMENT, "就业服务", "三方协议网签", "用人单位"),
        ("/hall/", Platform.HALL, "服务大厅", "学历学位", "服务机构"),
    ],
)
def test_platform_landing_pages(
    client: Client, content: dict, url: str, platform: str, heading: str, offer: str, figure: str
) -> None:
    make_article(platform, f"{heading}最新通知", kind="notice")
    response = client.get(url)
    assert response.status_code == 200
    page = html(response)
    assert f"<h1>{heading}</h1>" in page
    assert offer in page
    assert f"{heading}最新通知" in page
    assert f"<dt>{figure}</dt>" in page
    assert_csp_clean(page)


def test_landing_page_counts(client: Client, content: dict) -> None:
    assert re.search(r"<dt>中小学校</dt><dd>2</dd>", html(client.get("/k12/")))
    assert re.search(r"<dt>高等学校</dt><dd>1</dd>", html(client.get("/higher/")))
    assert re.search(r"<dt>用人单位</dt><dd>1</dd>", html(client.get("/employment/")))


def test_service_hall_describes_its_three_zones(client: Client) -> None:
    page = html(client.get("/hall/"))
    for zone in ("考试服务", "学历学位", "留学服务"):
        assert f"<h3>{zone}</h3>" in page


def test_data_page_has_tables_and_chart_data(client: Client, content: dict) -> None:
    response = client.get("/data/")
    assert response.status_code == 200
    page = html(response)
    assert "<table" in page
    assert re.search(r'<th scope="row">中小学校</th><td class="num">2</td>', page)
    assert re.search(r'<th scope="row">高等教育</th><td class="num">1</td>', page)
    assert '<script id="chart-data" type="application/json">' in page
    assert "vendor/echarts/echarts.min.js" in page
    assert "js/charts.js" in page
    assert_csp_clean(page)
