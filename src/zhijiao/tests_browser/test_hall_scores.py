"""The score-lookup journey in a real Chromium: a candidate opens the service hall, looks up a CET-4 score by
ticket number and name, sees it and downloads the PDF certificate; after misses the page asks for the
proof-of-work captcha (ALTCHA, self-hosted, under CSP 'self'), which the browser solves before the lookup."""

from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import Browser, Page, expect

from zhijiao.hall.exams import selectors
from zhijiao.hall.exams.models import ExamSitting, ExamType, ScoreRecord
from zhijiao.hall.exams.tests.factories import id_number, make_score, make_sitting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TICKET = "110108261290013"


@pytest.fixture
def sitting(transactional_db: None, settings: Any) -> ExamSitting:
    settings.HALL_CAPTCHA_MAX_COUNTER = 3000
    settings.HALL_CAPTCHA_COST = 1
    cache.clear()
    selectors.sittings_clear_cache()
    sitting = make_sitting(ExamType.CET4, session="2026年6月")
    make_sitting(ExamType.CET6, session="2026年12月", released=False)
    return sitting


@pytest.fixture
def score(sitting: ExamSitting) -> ScoreRecord:
    return make_score(sitting, ticket=TICKET, name="陈思远", number=id_number(13, birth="20030412"), total=568)


def _watch_csp(page: Page) -> list[str]:
    problems: list[str] = []
    page.on(
        "console",
        lambda message: problems.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return problems


def _fill(page: Page, sitting: ExamSitting, name: str) -> None:
    page.locator("#id_sitting").select_option(str(sitting.pk))
    page.get_by_label("准考证号").fill(TICKET)
    page.get_by_label("姓名", exact=False).first.fill(name)


def test_candidate_looks_up_a_cet_score_and_downloads_the_certificate(
    live_server: Any, browser: Browser, sitting: ExamSitting, score: ScoreRecord
) -> None:
    page = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 780}).new_page()
    csp = _watch_csp(page)
    page.goto(f"{live_server.url}/hall/")
    page.locator("#hall-scores-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("成绩查询")
    expect(page.locator(".hall-sittings")).to_contain_text("发布")  # the unreleased sitting says when

    _fill(page, sitting, "陈思远")
    page.get_by_role("button", name="查询").click()
    result = page.locator("#score-result")
    expect(result).to_contain_text("568")
    expect(result).to_contain_text("陈思远")
    expect(result).to_contain_text(score.id_number_masked)

    with page.expect_download() as download_info:
        page.locator("#download-pdf").click()
    download = download_info.value
    path = download.path()
    assert path is not None
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert download.suggested_filename.endswith(".pdf")
    assert csp == []


def test_captcha_after_misses_is_solved_in_the_browser(
    live_server: Any, browser: Browser, sitting: ExamSitting, score: ScoreRecord
) -> None:
    page = browser.new_context(locale="zh-CN").new_page()
    csp = _watch_csp(page)
    page.goto(f"{live_server.url}/hall/scores/")
    for _ in range(3):
        _fill(page, sitting, "陈思")
        page.get_by_role("button", name="查询").click()
        expect(page.locator("#lookup-error")).to_contain_text("未查询到匹配的成绩")
    # The next page asks for the proof of work; the lookup button waits for it.
    widget = page.locator("altcha-widget")
    expect(widget).to_be_visible()
    _fill(page, sitting, "陈思远")
    expect(page.locator("#lookup-submit")).to_be_disabled()
    # the widget draws its own tick over the real checkbox
    page.locator("altcha-widget input[type=checkbox]").click(force=True)
    expect(page.locator("#lookup-submit")).to_be_enabled(timeout=30_000)
    page.locator("#lookup-submit").click()
    expect(page.locator("#score-result")).to_contain_text("568")
    assert csp == []
