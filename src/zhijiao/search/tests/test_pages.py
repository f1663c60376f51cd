"""The search page, the platform search boxes, suggestions, the admin terms and the reindex command."""

from typing import Any

import pytest
from click.testing import CliRunner

from zhijiao.core import tokenizer
from zhijiao.core.platforms import Platform
from zhijiao.portal.tests.factories import make_article
from zhijiao.search.models import SearchDocument, SearchTerm

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles(committed: Any) -> None:
    with committed():
        make_article(Platform.K12, "七年级数学一元一次方程课后服务", body="课后服务中的一元一次方程练习。")
        make_article(Platform.K12, "课后服务家长开放日", body="欢迎家长走进课后服务课堂。", kind="notice")
        make_article(Platform.HIGHER, "高校课后服务与学业辅导", body="高校学业辅导经验。")


def test_results_page_works_without_javascript(client: Any, articles: None) -> None:
    response = client.get("/search/", {"q": "课后服务"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "找到 3 条结果" in html
    assert "<mark>课后服务</mark>" in html
    assert 'href="/articles/' in html
    # facets and sorts are plain links
    assert "?q=%E8%AF%BE%E5%90%8E%E6%9C%8D%E5%8A%A1&amp;platform=k12" in html
    assert "sort=newest" in html


def test_facet_link_filters_and_can_be_removed(client: Any, articles: None) -> None:
    html = client.get("/search/", {"q": "课后服务", "platform": "k12"}).content.decode()
    assert "找到 2 条结果" in html
    assert "已选条件" in html
    assert "高校课后服务与学业辅导" not in html


def test_pagination_links(client: Any, committed: Any) -> None:
    with committed():
        for number in range(12):
            make_article(Platform.PORTAL, f"学历认证办理指南第{number}篇")
    first = client.get("/search/", {"q": "学历认证"}).content.decode()
    assert "第 1 / 2 页" in first
    assert 'rel="next"' in first
    second = client.get("/search/", {"q": "学历认证", "page": "2"}).content.decode()
    assert second.count('class="result"') == 2
    assert client.get("/search/", {"q": "学历认证", "page": "abc"}).status_code == 200


def test_empty_and_symbol_only_queries_explain_themselves(client: Any) -> None:
    assert "请输入要搜索的内容" in client.get("/search/").content.decode()
    assert "没有可以查找的文字" in client.get("/search/", {"q": "！！@@"}).content.decode()


def test_unknown_filters_are_ignored_with_a_notice(client: Any, articles: None) -> None:
    response = client.get("/search/", {"q": "课后服务", "colour": "red", "platform": "mars", "sort": "odd"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "已忽略筛选条件“colour”" in html
    assert "已忽略筛选条件“平台”" in html  # a known filter is named by its label
    assert "未知的排序方式" in html
    assert "找到 3 条结果" in html


def test_platform_landing_has_a_prefiltered_search_box(client: Any) -> None:
    html = client.get("/k12/").content.decode()
    assert 'action="/search/"' in html
    assert '<input type="hidden" name="platform" value="k12">' in html


def test_every_page_header_has_the_site_search(client: Any) -> None:
    html = client.get("/").content.decode()
    assert 'id="site-search-q"' in html


def test_suggestions_as_you_type(client: Any, articles: None) -> None:
    response = client.get("/search/suggest/", {"q": "课后"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "课后服务家长开放日" in html
    assert "<li>" in html
    only_higher = client.get("/search/suggest/", {"q": "课后", "platform": "higher"}).content.decode()
    assert "高校课后服务与学业辅导" in only_higher
    assert "课后服务家长开放日" not in only_higher
    pinyin = client.get("/search/suggest/", {"q": "kehou"}).content.decode()
    assert "课后服务家长开放日" in pinyin
    assert client.get("/search/suggest/", {"q": "!!"}).content.decode().strip() == ""


def test_staff_add_a_term_and_schedule_a_reindex(admin_client: Any, committed: Any) -> None:
    with committed():
        response = admin_client.post("/admin/search/searchterm/add/", {"word": "智教云课堂", "note": "新产品"})
    assert response.status_code == 302
    assert SearchTerm.objects.filter(word="智教云课堂").exists()
    try:
        assert "智教云课堂" in tokenizer.query_tokens("智教云课堂上线了")
        with committed():
            make_article(Platform.PORTAL, "智教云课堂上线")
        term = SearchTerm.objects.get()
        with committed():
            response = admin_client.post(
                "/admin/search/searchterm/",
                {"action": "rebuild_index", "_selected_action": [term.pk]},
                follow=True,
            )
        assert "已安排重建搜索索引" in response.content.decode()
        assert SearchDocument.objects.filter(title="智教云课堂上线").count() == 1
    finally:
        tokenizer.reset()


def test_reindex_command_rebuilds_with_a_progress_bar(committed: Any, articles: None) -> None:
    from zhijiao.cli import main

    SearchDocument.objects.all().delete()
    result = CliRunner().invoke(main, ["reindex", "--kind", "portal.article"])
    assert result.exit_code == 0, result.output
    assert "搜索索引已建立：3 条文档" in result.output
    assert SearchDocument.objects.filter(kind="portal.article").count() == 3
    bad = CliRunner().invoke(main, ["reindex", "--kind", "nothing.here"])
    assert bad.exit_code != 0
