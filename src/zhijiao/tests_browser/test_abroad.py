"""The study-abroad journey in a real Chromium: an applicant fills in a foreign degree authentication, uploads the
diploma, transcript and passport pages (small generated files) and submits it; a hall officer finds it in the
queue and approves it; the applicant sees it authenticated and downloads the certificate as a PDF."""

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from zhijiao.accounts.tests.factories import make_user
from zhijiao.hall.abroad.models import Application
from zhijiao.hall.abroad.tests.factories import image_bytes, make_applicant, pdf_bytes
from zhijiao.orgs.models import Organization, Role
from zhijiao.orgs.tests.factories import add_member, make_organization
from zhijiao.tests_browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

APPLICANT, OFFICER = "13800138201", "13800138202"


@pytest.fixture
def site(transactional_db: None, settings: object, tmp_path: Path) -> None:
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")  # type: ignore[attr-defined]
    make_applicant("陈思远", phone=APPLICANT)
    agency = make_organization(Organization.Kind.AGENCY, "教育部留学服务中心")
    officer = make_user(phone=OFFICER, display_name="吴敏")
    add_member(officer, agency, Role.HALL_OFFICER)


def test_apply_review_approve_and_download_certificate(live_server, site, browser: Browser) -> None:
    applicant = sign_in(browser, live_server, APPLICANT, accept_downloads=True)
    applicant.goto(f"{live_server.url}/hall/abroad/")
    applicant.get_by_role("region", name="国（境）外学历学位认证").get_by_role("link", name="在线申请").click()
    expect(applicant.get_by_role("heading", level=1)).to_have_text("国（境）外学历学位认证")
    applicant.get_by_label("国家（地区）").fill("英国")
    applicant.get_by_label("颁证院校").fill("伦敦大学学院")
    applicant.get_by_role("combobox", name="学位").select_option(label="硕士")
    applicant.get_by_label("专业").fill("教育学")
    applicant.get_by_label("入学时间").fill("2023-09-20")
    applicant.get_by_label("毕业时间").fill("2024-09-15")
    applicant.get_by_label("学位授予日期").fill("2024-11-30")
    applicant.get_by_role("button", name="保存草稿").click()
    expect(applicant.get_by_text("还需上传：学位证书（毕业证书）、成绩单、护照页")).to_be_visible()

    # A file that is not what it claims is refused with a clear message.
    upload_page = applicant
    upload_page.get_by_label("材料类型").select_option(label="成绩单")
    upload_page.locator('input[type="file"]').set_input_files(
        {"name": "transcript.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00 not a pdf at all"}
    )
    upload_page.get_by_role("button", name="上传").click()
    expect(upload_page.get_by_text("只接受 PDF、JPEG、PNG 文件")).to_be_visible()

    for kind, name, mime, content in (
        ("学位证书（毕业证书）", "diploma.pdf", "application/pdf", pdf_bytes("diploma")),
        ("成绩单", "transcript.pdf", "application/pdf", pdf_bytes("transcript")),
        ("护照页", "passport.png", "image/png", image_bytes("PNG")),
    ):
        applicant.get_by_label("材料类型").select_option(label=kind)
        applicant.locator('input[type="file"]').set_input_files({"name": name, "mimeType": mime, "buffer": content})
        applicant.get_by_role("button", name="上传").click()
        expect(applicant.get_by_role("status")).to_contain_text(f"已上传：{name}")
    applicant.get_by_role("button", name="提交申请").click()
    expect(applicant.locator("#application-status")).to_have_text("已提交")
    application_url = applicant.url
    reference = Application.objects.get().reference

    officer = sign_in(browser, live_server, OFFICER, accept_downloads=True)
    officer.goto(f"{live_server.url}/hall/abroad/office/")
    officer.get_by_label("申请人姓名").fill("陈思远")
    officer.get_by_role("button", name="筛选").click()
    expect(officer.locator("#queue-total")).to_have_text("共 1 份申请")
    officer.get_by_role("link", name=reference).click()
    expect(officer.get_by_role("heading", level=1)).to_contain_text("陈思远")
    expect(officer.get_by_role("link", name="passport.png")).to_be_visible()
    officer.get_by_label("认证通过").check()
    officer.get_by_role("button", name="确认办理").click()
    expect(officer.locator("#application-status")).to_have_text("已认证")

    applicant.goto(application_url)
    expect(applicant.locator("#application-status")).to_have_text("已认证")
    with applicant.expect_download() as info:
        applicant.get_by_role("link", name="下载认证书（PDF）").click()
    download = info.value
    path = download.path()
    assert path is not None
    assert Path(path).read_bytes().startswith(b"%PDF")
    assert download.suggested_filename.endswith(".pdf")
