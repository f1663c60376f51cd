"""K-12 journeys in a real Chromium: scan a 云码 on a phone and seek the video (the server answers 206), a teacher
assigns a lesson and sees a student complete it, district staff generate a code batch and download its PDF."""

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from zhijiao.accounts.tests.factories import PASSWORD, make_user
from zhijiao.k12.models import Code, Lesson, Resource
from zhijiao.k12.tests.factories import first_lesson, make_book, make_code, make_resource
from zhijiao.orgs.models import Organization, Role
from zhijiao.orgs.tests.factories import add_member, make_organization

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.K12_SCAN_FLUSH_SECONDS = 0


@pytest.fixture
def lesson(transactional_db: None) -> Lesson:
    found = first_lesson(make_book())
    make_resource(lesson=found, title="正数和负数（教师讲解）")
    make_resource(lesson=found, kind=Resource.Kind.DOCUMENT, title="正数和负数 学案")
    return found


@pytest.fixture
def people(transactional_db: None) -> dict[str, Any]:
    school = make_organization(Organization.Kind.SCHOOL, "海淀区实验中学", stage=Organization.Stage.JUNIOR)
    agency = make_organization(Organization.Kind.AGENCY, "海淀区教育委员会")
    made = {
        "teacher": make_user(phone="13900000101", display_name="王老师"),
        "student": make_user(phone="13900000102", display_name="李同学"),
        "district": make_user(phone="13900000103", display_name="刘科长"),
    }
    add_member(made["teacher"], school, Role.TEACHER)
    add_member(made["student"], school, Role.STUDENT)
    add_member(made["district"], agency, Role.DISTRICT_STAFF)
    return made


def sign_in(page: Any, base: str, phone: str) -> None:
    page.goto(base + "/accounts/login/")
    page.locator('input[name="login"]').fill(phone)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('input[name="password"]').press("Enter")
    page.wait_for_load_state("load")


def test_student_scans_a_code_on_a_phone_and_seeks_the_video(
    live_server: Any, lesson: Lesson, new_context: Any
) -> None:
    code = make_code(lesson=lesson)
    page = new_context(**PHONE).new_page()
    media_answers: list[tuple[int, str]] = []
    page.on(
        "response",
        lambda response: (
            media_answers.append((response.status, response.headers.get("content-range", "")))
            if response.url.endswith("/file")
            else None
        ),
    )
    page.goto(f"{live_server.url}/q/{code.code.lower()}")
    expect(page.get_by_role("heading", level=1)).to_have_text(lesson.title)
    video = page.locator("video")
    expect(video).to_be_visible()
    box = video.bounding_box()
    assert box is not None and box["width"] <= 360
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 360
    page.evaluate("() => { const v = document.querySelector('video'); v.muted = true; return v.play(); }")
    page.wait_for_function("() => document.querySelector('video').currentTime > 0.3", timeout=15000)
    page.evaluate(
        """() => new Promise((resolve) => {
            const v = document.querySelector('video');
            v.addEventListener('seeked', resolve, { once: true });
            v.currentTime = 3;
        })"""
    )
    page.wait_for_function("() => document.querySelector('video').currentTime >= 3", timeout=15000)
    assert page.evaluate("document.querySelector('video').error") is None
    assert any(status == 206 and value.startswith("bytes ") for status, value in media_answers), media_answers


def test_teacher_assigns_a_preview_and_sees_the_student_complete_it(
    live_server: Any, lesson: Lesson, people: dict[str, Any], browser: Any
) -> None:
    base = live_server.url
    teacher_context = browser.new_context(locale="zh-CN")
    teacher = teacher_context.new_page()
    sign_in(teacher, base, "13900000101")
    teacher.goto(base + "/k12/classes/")
    teacher.get_by_label("班级名称").fill("七年级（2）班")
    teacher.get_by_role("button", name="创建班级").click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text("七年级（2）班")
    join_code = teacher.locator(".k12-code").first.inner_text().strip()
    teacher.get_by_label("用途").select_option("preview")
    teacher.get_by_role("combobox", name="课时").fill(lesson.title)  # typed and submitted: the server resolves it
    teacher.get_by_label("截止日期").fill("2099-12-31")
    teacher.get_by_role("button", name="布置").click()
    expect(teacher.get_by_role("heading", level=1)).to_contain_text("预习")
    assignment_url = teacher.url

    student_context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 800})
    student = student_context.new_page()
    sign_in(student, base, "13900000102")
    student.goto(base + "/k12/classes/")
    student.get_by_label("班级码").fill(join_code)
    student.get_by_role("button", name="加入").click()
    student.get_by_role("link", name=re.compile("^预习")).click()
    for title in ("正数和负数（教师讲解）", "正数和负数 学案"):
        student.get_by_role("link", name=re.compile(re.escape(title))).click()
        student.get_by_role("button", name="我已学完").click()
        expect(student.get_by_text("已记录为完成")).to_be_visible()
        student.go_back()
        student.go_back()
    student.goto(base + "/k12/classes/")
    expect(student.locator(".k12-done").first).to_be_visible()

    teacher.goto(assignment_url)
    row = teacher.locator(".k12-report tbody tr").first
    expect(row).to_contain_text("李同学")
    expect(row).to_contain_text("2/2")
    expect(row).to_contain_text("已完成")
    teacher_context.close()
    student_context.close()


def test_district_staff_generate_a_batch_and_download_its_pdf(
    live_server: Any, lesson: Lesson, people: dict[str, Any], page: Any
) -> None:
    base = live_server.url
    sign_in(page, base, "13900000103")
    page.goto(base + "/k12/codes/")
    book = page.get_by_role("combobox", name="教材")  # the grouped <select> becomes a searchable box with JavaScript
    book.press_sequentially("数学", delay=30)
    expect(page.get_by_role("option", name=str(lesson.unit.book))).to_be_visible()
    book.press("ArrowDown")
    book.press("Enter")
    page.get_by_role("button", name="生成").click()
    expect(page.locator(".k12-codes tbody tr")).to_have_count(2)
    page.get_by_role("button", name="发布全部草稿云码").click()
    expect(page.locator(".k12-codes tbody tr").first).to_contain_text("已发布")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载打印版 PDF（A4）").click()
    download = download_info.value
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert Code.objects.filter(status=Code.Status.PUBLISHED).count() == 2


def test_k12_pages_fit_a_phone_and_read_without_javascript(live_server: Any, lesson: Lesson, browser: Any) -> None:
    context = browser.new_context(java_script_enabled=False, locale="zh-CN", viewport={"width": 360, "height": 740})
    page = context.new_page()
    book = lesson.unit.book
    for path in ("/k12/", f"/k12/subjects/{book.subject_id}/", f"/k12/books/{book.pk}/", f"/k12/lessons/{lesson.pk}/"):
        page.goto(live_server.url + path)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 360, path
    expect(page.locator("video source")).to_have_attribute("type", "video/mp4")
    page.get_by_role("link", name=re.compile("学案")).click()
    expect(page.locator("iframe.k12-pdf")).to_be_visible()
    expect(page.get_by_role("link", name="下载")).to_be_visible()
    context.close()


def test_watching_a_short_clip_to_the_end_counts_its_time(
    live_server: Any, lesson: Lesson, people: dict[str, Any], browser: Any
) -> None:
    """The 4-second explanation played through: the time counts (it used to be lost at "ended") and it completes."""
    import time

    from zhijiao.k12.models import Progress

    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    sign_in(page, live_server.url, "13900000102")
    page.goto(f"{live_server.url}/k12/lessons/{lesson.pk}/")
    with page.expect_response(lambda response: response.url.endswith("/api/v1/k12/progress")):
        page.evaluate("() => { const v = document.querySelector('video'); v.muted = true; return v.play(); }")
    page.wait_for_function("() => document.querySelector('video').ended", timeout=20000)
    deadline = time.monotonic() + 10
    row = None
    while time.monotonic() < deadline:
        row = Progress.objects.filter(student=people["student"]).first()
        if row is not None and row.completed_at is not None and row.seconds_spent >= 3:
            break
        time.sleep(0.2)
    assert row is not None and row.seconds_spent >= 3 and row.completed_at is not None, row and row.seconds_spent
    assert row.seconds_spent <= 6  # no more than the time that passed
    context.close()
