"""The case library in a real Chromium: a student of a member university finds a case in the catalogue, reads its
full text and downloads a PDF stamped with their name; a student of a university outside the library sees the
abstract and is refused the full text."""

import io
import re
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import Browser, expect
from pypdf import PdfReader

from zhijiao.accounts.tests.factories import make_user
from zhijiao.cases import services
from zhijiao.cases.tests.factories import make_case
from zhijiao.orgs.models import Organization, Role
from zhijiao.orgs.tests.factories import add_member, make_organization
from zhijiao.search.services import reindex

from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def library(transactional_db: None) -> dict[str, Any]:
    cache.clear()
    member = make_organization(Organization.Kind.UNIVERSITY, "北京师范大学")
    outsider = make_organization(Organization.Kind.UNIVERSITY, "深圳大学")
    services.library_member_add(organization=member)
    add_member(make_user(phone="13900002001", display_name="张小北"), member, Role.STUDENT)
    add_member(make_user(phone="13900002002", display_name="陈南"), outsider, Role.STUDENT)
    case = make_case(organization=member, title="老字号品牌年轻化")
    make_case(organization=member, case_type="micro", body="一次客户投诉的处理。", category="0251", field="商业银行")
    reindex()
    return {"case": case}


def test_a_member_student_reads_and_downloads_a_stamped_case_and_a_non_member_cannot(
    live_server: Any, browser: Browser, library: dict[str, Any]
) -> None:
    case = library["case"]
    page = sign_in(browser, live_server, "13900002001")
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{live_server.url}/higher/cases/")
    expect(page.locator("#case-categories")).to_contain_text("1251 工商管理")
    page.get_by_role("searchbox", name="搜索案例").fill("老字号")
    page.get_by_role("search", name="搜索案例").get_by_role("button", name="搜索").click()
    page.wait_for_url(re.compile(r".*/higher/cases/\?q=.*"))
    expect(page.locator("#case-total")).to_have_text("共 1 个案例")
    page.locator("#case-results a").first.click()
    expect(page.locator("#case-title")).to_have_text("老字号品牌年轻化")
    expect(page.locator("#case-accession")).to_have_text(case.accession_no)
    expect(page.locator("iframe.case-pdf")).to_be_attached()
    with page.expect_download() as info:
        page.locator("#download-full-text").click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    first = reader.pages[0].extract_text() or ""
    assert "张小北" in first and "北京师范大学" in first and "下载于" in first
    assert not problems
    page.context.close()

    outsider = sign_in(browser, live_server, "13900002002")
    outsider.goto(f"{live_server.url}{case.get_absolute_url()}")
    expect(outsider.locator("#case-abstract")).to_contain_text("数字孪生")
    expect(outsider.locator("#case-locked")).to_contain_text("还不是成员单位")
    expect(outsider.locator("#download-full-text")).to_have_count(0)
    response = outsider.request.get(f"{live_server.url}/higher/cases/{case.pk}/full-text.pdf?download=1")
    assert response.status == 403
    assert "成员单位" in response.text()
    outsider.context.close()
