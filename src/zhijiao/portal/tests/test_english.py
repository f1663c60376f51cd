"""The English interface: pages, form and API messages follow the zj_lang cookie; the catalogue is complete."""

import gettext
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import timezone, translation

from zhijiao.accounts.tests.factories import make_user
from zhijiao.analytics import services as analytics
from zhijiao.analytics.tests.factories import record
from zhijiao.core.platforms import Platform
from zhijiao.k12.tests.factories import first_lesson, make_book, make_resource
from zhijiao.orgs.models import Organization
from zhijiao.orgs.tests.factories import make_organization

from .factories import make_article, make_topic
from .languages import CJK, interface_chinese

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"


def html(response) -> str:
    return response.content.decode()


def json_blocks(page: str) -> dict[str, object]:
    """Every json_script block of a page, decoded, by its id."""
    return {
        block_id: json.loads(body)
        for block_id, body in re.findall(r'<script id="([^"]+)" type="application/json">(.*?)</script>', page, re.S)
    }


def chart_labels(data: object) -> list[str]:
    """Every label and series name anywhere in decoded chart data."""
    if isinstance(data, dict):
        found = [str(label) for label in data.get("labels", [])]
        if "name" in data:
            found.append(str(data["name"]))
        for key, value in data.items():
            if key != "labels":
                found += chart_labels(value)
        return found
    if isinstance(data, list):
        return [label for item in data for label in chart_labels(item)]
    return []


def nav_labels(page: str) -> list[str]:
    nav = re.search(r'<nav class="platform-nav".*?</nav>', page, re.S)
    assert nav is not None
    return re.findall(r"<a [^>]*>([^<]+)</a>", nav.group(0))


@pytest.fixture
def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def content(db: None) -> None:
    make_organization(Organization.Kind.SCHOOL, "海淀区实验小学")
    make_organization(Organization.Kind.UNIVERSITY, "北京师范大学")
    make_article(Platform.K12, "春季学期中小学课后服务指南")
    make_topic("心理健康", slug="mental-health")


# --- Pages ------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_home_in_english(english: Client, content: None) -> None:
    page = html(english.get("/"))
    assert '<html lang="en">' in page
    assert nav_labels(page) == [
        "Home",
        "K-12",
        "Vocational",
        "Higher education",
        "Employment",
        "Service hall",
        "Data",
    ]
    for text in ("Platform at a glance", "Latest news", "All topics", "Sign in", "Sign up", "Skip to main content"):
        assert text in page, text
    assert "<title>Zhijiao · National Smart Education Platform</title>" in page
    assert 'hreflang="zh-Hans"' in page and ">中文</a>" in page
    # Content stays as written: the article and topic titles are data, not interface.
    assert "春季学期中小学课后服务指南" in page
    assert "心理健康" in page
    # No interface Chinese is left in the page's chrome.
    for chinese in ("首页", "中小学", "登录", "注册", "最新动态", "平台概况", "国家智慧教育公共服务平台"):
        assert f">{chinese}<" not in page, chinese


@pytest.mark.django_db
def test_home_without_cookie_is_chinese(client: Client, content: None) -> None:
    page = html(client.get("/"))
    assert '<html lang="zh-Hans">' in page
    assert nav_labels(page) == ["首页", "中小学", "职业教育", "高等教育", "就业服务", "服务大厅", "数据"]
    assert "平台概况" in page and "最新动态" in page
    assert "Platform at a glance" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "heading", "offers"),
    [
        ("/k12/", "K-12", ["Textbook-aligned resources", "After-school services"]),
        ("/vocational/", "Vocational", ["Modular courses", "Teacher training"]),
        ("/higher/", "Higher education", ["MOOCs", "Popular courses"]),
        ("/employment/", "Employment", ["Job search", "Online tripartite agreements"]),
        ("/hall/", "Service hall", ["Exam services", "Study abroad"]),
    ],
)
def test_platform_landing_in_english(english: Client, content: None, url: str, heading: str, offers: list[str]) -> None:
    response = english.get(url)
    assert response.status_code == 200
    page = html(response)
    assert f"<h1>{heading}</h1>" in page
    assert "Latest news" in page and "Published news" in page
    for offer in offers:
        assert offer in page, offer
    assert f'<span aria-current="page">{heading}</span>' in page


@pytest.mark.django_db
def test_data_page_in_english(english: Client, content: None) -> None:
    page = html(english.get("/data/"))
    assert "<h1>Data</h1>" in page
    for text in ("Organizations by type", "Published articles by platform", "Organization type", "Registered users"):
        assert text in page, text
    # Table rows and the chart data both carry translated labels.
    assert '<th scope="row">Universities</th>' in page
    assert '<th scope="row">K-12</th>' in page
    chart_data = re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', page, re.S)
    assert chart_data is not None
    assert "Universities" in chart_data.group(1)
    assert not re.search(r"[\u4e00-\u9fff]", chart_data.group(1))


@pytest.mark.django_db
def test_login_page_and_its_errors_in_english(english: Client) -> None:
    make_user(phone="13812341234")
    page = html(english.get("/accounts/login/"))
    assert "<title>Sign in · Zhijiao · National Smart Education Platform</title>" in page
    assert "Mobile number or email" in page
    assert "Password" in page
    assert "No account yet?" in page and "Create an account" in page

    response = english.post("/accounts/login/", {"login": "13812341234", "password": "wrong-password"})
    page = html(response)
    assert "Incorrect mobile number/email or password" in page
    assert "手机号/邮箱或密码不正确" not in page


@pytest.mark.django_db
def test_registration_form_errors_in_english(english: Client) -> None:
    response = english.post(
        "/accounts/register/",
        {"phone": "12345", "display_name": "Li", "password1": "Qingshan#2026", "password2": "Qingshan#2027"},
    )
    page = html(response)
    assert "Please correct the fields marked below." in page
    assert "The two passwords do not match" in page
    assert "Please agree to the Terms of Service and Privacy Policy first" in page


@pytest.fixture
def page_views(db: None) -> Iterator[None]:
    """Views on phones, tablets and computers across platforms, rolled up into the figures /data/ shows."""
    analytics.flush_wait()
    analytics.buffer_clear()
    cache.clear()
    today = timezone.localdate()
    record(day=today, platform="k12", visitor="a", device="mobile", times=5)
    record(day=today, platform="hall", visitor="b", device="tablet", times=2)
    record(day=today, platform="employment", visitor="c", device="desktop", times=3)
    analytics.pageviews_rollup()
    yield
    analytics.buffer_clear()
    cache.clear()


@pytest.mark.django_db
def test_data_page_charts_and_tables_in_english(english: Client, content: None, page_views: None) -> None:
    page = html(english.get("/data/"))
    for text in (
        "Total page views",
        "Total visitors",
        "Devices",
        "Page views and visitors by platform",
        "Top 10 (last 7 days)",
    ):
        assert text in page, text
    assert re.search(r'<th scope="row">Phone</th><td class="num">5</td>', page)
    assert re.search(r'<th scope="row">Tablet</th><td class="num">2</td>', page)
    assert re.search(r'<th scope="row">Computer</th><td class="num">3</td>', page)
    # Every json_script block the charts are drawn from carries English labels only.
    blocks = json_blocks(page)
    assert "chart-data" in blocks
    charts = blocks["chart-data"]
    assert isinstance(charts, dict)
    assert charts["devices"]["labels"] == ["Phone", "Tablet", "Computer"]
    assert {"K-12", "Service hall", "Employment"} <= set(charts["platforms"]["labels"])
    assert [series["name"] for series in charts["trend"]["series"]] == ["Page views", "Visitors"]
    labels = chart_labels(blocks)
    assert labels and [label for label in labels if CJK.search(label)] == []
    assert not CJK.search(json.dumps(blocks, ensure_ascii=False))
    assert interface_chinese(page, "春季学期中小学课后服务指南") == []


@pytest.mark.django_db
def test_data_page_charts_stay_chinese_without_cookie(client: Client, content: None, page_views: None) -> None:
    charts = json_blocks(html(client.get("/data/")))["chart-data"]
    assert isinstance(charts, dict)
    assert charts["devices"]["labels"] == ["手机", "平板", "电脑"]
    assert [series["name"] for series in charts["trend"]["series"]] == ["浏览量", "访客数"]


@pytest.mark.django_db
def test_k12_page_in_english(english: Client, content: None, settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()
    book = make_book()
    make_resource(lesson=first_lesson(book), title="正数和负数微课")
    page = html(english.get("/k12/"))
    assert "<h1>K-12</h1>" in page
    for text in (
        "Choose a textbook",
        "Junior secondary",
        "Cloud-code explanations",
        "Cloud code or keywords",
        "My learning",
        "After-school services",
        "Science education",
        "Physical exercise",
        "Culture and arts",
        "Classic reading",
        "Study tours",
        "Film education",
        "Search in K-12",
    ):
        assert text in page, text
    # Subjects, lessons and article titles are content; nothing else is left in Chinese.
    assert interface_chinese(page, "数学", "正数和负数微课", "春季学期中小学课后服务指南", "海淀区实验小学") == []


@pytest.mark.django_db
def test_search_page_in_english(english: Client, django_capture_on_commit_callbacks) -> None:
    title, summary, body = "七年级数学一元一次方程课后服务", "平台建设与应用情况介绍。", "数学练习"
    with django_capture_on_commit_callbacks(execute=True):
        make_article(Platform.K12, title, summary=summary, body=body)
    response = english.get("/search/", {"q": "数学"})
    assert response.status_code == 200
    page = html(response)
    assert "<title>Search results for “数学” · Zhijiao · National Smart Education Platform</title>" in page
    for text in ("1 result found", "Relevance", "Newest", "Most popular", "Search keywords"):
        assert text in page, text
    # Facets and the result's type badge are translated when shown, whatever language the index was built in.
    assert re.search(r'type=portal\.article">Article <span class="facet-count">\(1\)</span>', page)
    assert '<span class="result-type">Article</span>' in page
    assert interface_chinese(page, title, summary, body, "数学") == []
    # The empty search explains the query syntax in English.
    page = html(english.get("/search/"))
    assert "Enter something to search for" in page
    assert 'Put a phrase in quotes to search for it exactly, e.g. "一元一次方程"' in page
    assert interface_chinese(page, "一元一次方程", "北京 生物制药", "招聘 -实习") == []


@pytest.mark.django_db
def test_search_index_built_in_english_still_shows_chinese_labels(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    # Indexed while English is active (an English page or worker): the index keeps the source label.
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        make_article(Platform.K12, "七年级数学练习")
    assert '<span class="result-type">文章</span>' in html(client.get("/search/", {"q": "数学"}))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert '<span class="result-type">Article</span>' in html(client.get("/search/", {"q": "数学"}))


# --- API --------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_validation_error_in_english(english: Client) -> None:
    response = english.post(
        "/api/v1/accounts/register",
        {"phone": "12345", "password": "Qingshan#2026"},
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["message"] == "Some of the submitted data is invalid; check each field and try again"
    assert body["fields"]["display_name"] == ["This field is required"]


@pytest.mark.django_db
def test_api_domain_error_in_english(english: Client) -> None:
    make_user(phone="13812341234")
    response = english.post(
        "/api/v1/accounts/register",
        {"phone": "13812341234", "password": "Qingshan#2026", "display_name": "Li"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["fields"]["phone"] == ["This mobile number is already registered"]


@pytest.mark.django_db
def test_api_errors_are_chinese_without_cookie(client: Client) -> None:
    response = client.post("/api/v1/accounts/register", {"password": "Qingshan#2026"}, content_type="application/json")
    assert response.json()["fields"]["display_name"] == ["此项为必填项"]


# --- Switching --------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_switching_language_flips_the_interface(client: Client, content: None) -> None:
    assert "首页" in nav_labels(html(client.get("/")))

    response = client.get("/lang/en/?next=/")
    assert response.status_code == 302 and response["Location"] == "/"
    page = html(client.get(response["Location"]))
    assert "K-12" in nav_labels(page)
    assert "Platform at a glance" in page

    response = client.get("/lang/zh-hans/?next=/")
    assert response["Location"] == "/"
    page = html(client.get(response["Location"]))
    assert nav_labels(page)[1] == "中小学"
    assert "平台概况" in page and "Platform at a glance" not in page


@pytest.mark.django_db
def test_english_pages_are_cached_apart_from_chinese(client: Client, content: None, settings) -> None:
    settings.PAGE_CACHE_SECONDS = 60
    assert "<h1>中小学</h1>" in html(client.get("/k12/"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "<h1>K-12</h1>" in html(client.get("/k12/"))


# --- The catalogue ----------------------------------------------------------------------------------------------


def _unquote(line: str) -> str:
    body = line[line.index('"') + 1 : line.rindex('"')]
    return re.sub(r'\\(["\\nt])', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)


@dataclass
class PoEntry:
    flags: set[str] = field(default_factory=set)
    strings: dict[str, str] = field(default_factory=dict)

    @property
    def msgid(self) -> str:
        return self.strings.get("msgid", "")

    @property
    def translations(self) -> list[str]:
        return [value for key, value in self.strings.items() if key.startswith("msgstr")]


def parse_po(text: str) -> list[PoEntry]:
    """Each entry of a .po file: its flags and its msgid/msgid_plural/msgstr[...] strings."""
    entries = []
    for block in text.strip().split("\n\n"):
        entry = PoEntry()
        current = ""
        for line in block.splitlines():
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                entry.strings[current] += _unquote(line)
            else:
                current = line.split(" ", 1)[0]
                entry.strings[current] = _unquote(line)
        entries.append(entry)
    return entries


PLACEHOLDER = re.compile(r"%\(\w+\)[-+ #0]*\d*(?:\.\d+)?[sdif]|%[sdif]|\{\w*\}")


def test_catalogue_is_complete_and_keeps_placeholders() -> None:
    header, *entries = parse_po(CATALOGUE.read_text(encoding="utf-8"))
    assert header.msgid == ""
    assert "fuzzy" not in header.flags
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header.strings["msgstr"]
    assert len(entries) > 400
    assert [entry.msgid for entry in entries if "fuzzy" in entry.flags] == []
    assert [entry.msgid for entry in entries if not entry.translations or not all(entry.translations)] == []
    for entry in entries:
        if "msgid_plural" in entry.strings:
            assert {"msgstr[0]", "msgstr[1]"} <= set(entry.strings), entry.msgid
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        for text in entry.translations:
            assert sorted(PLACEHOLDER.findall(text)) == expected, entry.msgid


def _messages(mo: Path) -> dict[object, str]:
    with mo.open("rb") as handle:
        catalog = dict(gettext.GNUTranslations(handle)._catalog)  # type: ignore[attr-defined]
    catalog.pop("", None)  # the header: its dates change whenever makemessages runs
    return catalog


def test_compiled_catalogue_is_up_to_date(tmp_path: Path) -> None:
    """msgfmt agrees: nothing fuzzy or untranslated, and the committed .mo holds what the .po says."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt (gettext) is not installed")
    compiled = tmp_path / "django.mo"
    result = subprocess.run(
        [msgfmt, "--check", "--statistics", "-o", str(compiled), str(CATALOGUE)],
        capture_output=True,
        text=True,
        check=True,
        env={"LC_ALL": "C"},
    )
    statistics = result.stderr.strip()
    assert re.fullmatch(r"\d+ translated messages\.", statistics), statistics
    assert _messages(compiled) == _messages(CATALOGUE.with_suffix(".mo"))
