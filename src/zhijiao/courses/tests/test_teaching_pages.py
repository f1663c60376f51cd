"""Run management pages (/courses/<id>/runs/…): a teacher opens a run and manages it through forms with field
errors; an assistant reads; other teachers, students and visitors are refused each protected page."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhijiao.accounts.models import User
from zhijiao.accounts.tests.factories import make_user
from zhijiao.courses.models import Announcement, Course, RosterEntry, Run, RunRelease, RunStaff, TeamRole
from zhijiao.notifications.models import Notification
from zhijiao.orgs.models import Organization, Role
from zhijiao.orgs.tests.factories import add_member

from .factories import build_tree, make_course
from .test_teaching import make_run, staff_member

pytestmark = pytest.mark.django_db

MOMENT = "%Y-%m-%dT%H:%M"


@pytest.fixture
def published(client: Any, lead: User, course: Course) -> Course:
    build_tree(course, chapters=2, sections=1, units=1, blocks=1)
    client.force_login(lead)
    assert client.post(f"/api/v1/courses/{course.pk}/publish", {}, content_type="application/json").status_code == 201
    return course


@pytest.fixture
def spoc(published: Course, orgs: dict[str, Organization]) -> Run:
    return make_run(published, kind=Run.Kind.SPOC, university=orgs["university"])


def moments(**days: int) -> dict[str, str]:
    now = timezone.localtime()
    return {
        "enrol_opens_at": (now - timedelta(days=days.get("opens", 1))).strftime(MOMENT),
        "enrol_closes_at": (now + timedelta(days=30)).strftime(MOMENT),
        "starts_at": (now + timedelta(days=days.get("starts", 1))).strftime(MOMENT),
        "ends_at": (now + timedelta(days=days.get("ends", 90))).strftime(MOMENT),
    }


def test_a_teacher_opens_a_spoc_and_manages_it(client: Any, published: Course, lead: User, orgs: dict) -> None:
    base = f"/courses/{published.pk}/runs/"
    assert client.get(base).status_code == 200
    assert client.get(f"{base}new/").status_code == 200
    created = client.post(
        f"{base}new/",
        {
            "title": "2026 秋季学期",
            "kind": "spoc",
            "university_id": str(orgs["university"].pk),
            "join_code": "DS2026",
            "certificate_completion": "60",
            **moments(),
        },
    )
    assert created.status_code == 302, created.content.decode()
    run = Run.objects.get(course=published)
    assert (run.kind, run.join_code, str(run.certificate_completion)) == ("spoc", "DS2026", "0.600")
    page = client.get(created["Location"])
    assert page.status_code == 200 and "北京师范大学" in page.content.decode()
    assert 'name="certificate_completion" value="60"' in page.content.decode()
    for part in ("schedule/", "staff/", "roster/", "learners/", "announcements/", "roster/template.csv"):
        assert client.get(f"{base}{run.pk}/{part}").status_code == 200, part
    assert "2026 秋季学期" in client.get(base).content.decode()

    chapters = [str(node.content_id) for node in published.nodes.filter(kind="chapter").order_by("position")]
    later = (timezone.localtime() + timedelta(days=10)).strftime(MOMENT)
    scheduled = client.post(f"{base}{run.pk}/schedule/", {chapters[1]: later, chapters[0]: ""})
    assert scheduled.status_code == 302 and RunRelease.objects.filter(run=run).count() == 1

    roster = SimpleUploadedFile("名单.csv", "学号,姓名\r\n2026001,张三\r\nx y,李\r\n".encode(), "text/csv")
    imported = client.post(f"{base}{run.pk}/roster/", {"file": roster})
    body = imported.content.decode()
    assert imported.status_code == 200 and "roster-report" in body and "2026001" in body
    entry = RosterEntry.objects.get(run=run)
    assert client.post(f"{base}{run.pk}/roster/{entry.pk}/remove/").status_code == 302
    assert not RosterEntry.objects.exists()


def test_bad_input_on_the_pages_is_a_field_error(client: Any, published: Course, lead: User, orgs: dict) -> None:
    base = f"/courses/{published.pk}/runs/"
    backwards = client.post(
        f"{base}new/", {"title": "倒序", "kind": "open", "certificate_completion": "80", **moments(ends=-5)}
    )
    assert backwards.status_code == 422 and "结课时间须晚于开课时间" in backwards.content.decode()
    garbage = client.post(
        f"{base}new/",
        {"title": "乱填", "kind": "spoc", "certificate_completion": "150", **moments(), "starts_at": "下周一"},
    )
    text = garbage.content.decode()
    assert garbage.status_code == 422 and "请输入正确的日期和时间" in text
    no_university = client.post(
        f"{base}new/", {"title": "无校", "kind": "spoc", "certificate_completion": "80", **moments()}
    )
    assert no_university.status_code == 422 and "校内课须指定一所高校" in no_university.content.decode()
    assert not Run.objects.exists()

    run = make_run(published)
    make_user(phone="13912340011", display_name="王老师")
    staff_url = f"{base}{run.pk}/staff/"
    assert client.post(staff_url, {"phone": "13912340011", "role": "teacher"}).status_code == 302
    duplicate = client.post(staff_url, {"phone": "13912340011", "role": "assistant"})
    assert duplicate.status_code == 422 and "已在本开课的教学团队中" in duplicate.content.decode()
    unknown = client.post(staff_url, {"phone": "13912349998", "role": "teacher"})
    assert unknown.status_code == 422 and "没有用这个手机号码注册的用户" in unknown.content.decode()
    invalid = client.post(staff_url, {"phone": "110", "role": "teacher"})
    assert invalid.status_code == 422 and "手机号码" in invalid.content.decode()
    assert RunStaff.objects.filter(run=run).count() == 1

    chapter = str(published.nodes.filter(kind="chapter").first().content_id)  # type: ignore[union-attr]
    too_late = (timezone.localtime(run.ends_at) + timedelta(days=1)).strftime(MOMENT)
    late = client.post(f"{base}{run.pk}/schedule/", {chapter: too_late})
    assert late.status_code == 422 and "开放时间须早于结课时间" in late.content.decode()

    open_roster = client.post(
        f"{base}{run.pk}/roster/", {"file": SimpleUploadedFile("a.csv", "学号,姓名\r\n1,张三\r\n".encode())}
    )
    assert open_roster.status_code == 422 and "只有校内课" in open_roster.content.decode()


def test_an_announcement_page_notifies_the_learners(client: Any, published: Course, lead: User, student: User) -> None:
    from zhijiao.courses.models import Enrolment

    run = make_run(published)
    Enrolment.objects.create(run=run, user=student)
    url = f"/courses/{published.pk}/runs/{run.pk}/announcements/"
    assert client.post(url, {"title": "", "body": ""}).status_code == 422
    assert client.post(url, {"title": "期中安排", "body": "第 8 周线上测验。"}).status_code == 302
    note = Notification.objects.get(user=student)
    assert note.url == f"/courses/{published.pk}/" and "期中安排" in note.title
    assert "期中安排" in client.get(url).content.decode()


def test_an_assistant_reads_but_cannot_change(client: Any, spoc: Run) -> None:
    assistant = staff_member(spoc, TeamRole.ASSISTANT)
    client.force_login(assistant)
    base = f"/courses/{spoc.course_id}/runs/{spoc.pk}/"
    for part in ("", "schedule/", "staff/", "roster/", "learners/", "announcements/"):
        response = client.get(base + part)
        assert response.status_code == 200, part
        assert '<form method="post" class="form"' not in response.content.decode()
    assert client.get(f"/courses/{spoc.course_id}/runs/").status_code == 200
    assert client.get(f"/courses/{spoc.course_id}/runs/new/").status_code == 403


PROTECTED: list[tuple[str, dict[str, Any]]] = [
    ("", {"title": "改名", "kind": "open", "certificate_completion": "10"}),
    ("schedule/", {}),
    ("staff/", {"phone": "13912340021", "role": "teacher"}),
    ("roster/", {}),
    ("announcements/", {"title": "假公告", "body": "……"}),
]


@pytest.mark.parametrize("who", ["other_teacher", "assistant", "student", "visitor"])
@pytest.mark.parametrize(("part", "data"), PROTECTED)
def test_each_change_is_refused_to_the_wrong_people(
    client: Any, spoc: Run, student: User, who: str, part: str, data: dict[str, Any]
) -> None:
    make_user(phone="13912340021")
    client.logout()
    expected = {"other_teacher": 404, "assistant": 403, "student": 404, "visitor": 302}[who]
    if who == "other_teacher":
        other = make_user()
        add_member(other, Organization.objects.get(name="北京师范大学"), Role.UNIVERSITY_FACULTY)
        make_course(lead=other)
        client.force_login(other)
    elif who == "assistant":
        client.force_login(staff_member(spoc, TeamRole.ASSISTANT))
    elif who == "student":
        client.force_login(student)
    payload = dict(data)
    if part == "":
        payload.update(moments())
    if part == "roster/":
        payload["file"] = SimpleUploadedFile("a.csv", "学号,姓名\r\n1,张三\r\n".encode())
    response = client.post(f"/courses/{spoc.course_id}/runs/{spoc.pk}/{part}", payload)
    assert response.status_code == expected
    if who == "visitor":
        assert "/login" in response["Location"] or "next=" in response["Location"]
    spoc.refresh_from_db()
    assert spoc.title == "2026 秋季学期"
    assert not RosterEntry.objects.exists() and not Announcement.objects.exists()
    assert RunStaff.objects.filter(run=spoc, role=TeamRole.TEACHER).count() == 0


@pytest.mark.parametrize("who", ["other_teacher", "student", "visitor"])
def test_the_pages_are_not_there_for_others(client: Any, spoc: Run, student: User, who: str) -> None:
    client.logout()
    if who == "other_teacher":
        other = make_user()
        make_course(lead=other)
        client.force_login(other)
    elif who == "student":
        client.force_login(student)
    for part in ("", "learners/", "roster/template.csv"):
        response = client.get(f"/courses/{spoc.course_id}/runs/{spoc.pk}/{part}")
        assert response.status_code == (302 if who == "visitor" else 404)
    listing = client.get(f"/courses/{spoc.course_id}/runs/")
    assert listing.status_code == (302 if who == "visitor" else 403)
    creating = client.post(f"/courses/{spoc.course_id}/runs/new/", {"title": "偷开", "kind": "open", **moments()})
    assert creating.status_code == (302 if who == "visitor" else 403)
    assert Run.objects.count() == 1


def test_the_run_pages_read_in_english(client: Any, spoc: Run, lead: User, settings: Any) -> None:
    from zhijiao.portal.tests.languages import interface_chinese

    client.force_login(lead)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    # 清华大学: the example in the university chooser's English placeholder, a name people type.
    data = ("数据结构", "2026 秋季学期", "北京师范大学", "第1章", "第2章", "清华大学", str(lead))
    base = f"/courses/{spoc.course_id}/runs/"
    for part in (
        "",
        "new/",
        f"{spoc.pk}/",
        *(f"{spoc.pk}/{p}/" for p in ("schedule", "staff", "roster", "learners", "announcements")),
    ):
        page = client.get(base + part).content.decode()
        assert interface_chinese(page, *data) == [], part
    errors = client.post(f"{base}{spoc.pk}/staff/", {"phone": "13912349997", "role": "teacher"}).content.decode()
    assert "registered" in errors and interface_chinese(errors, *data) == []


def test_staff_screens_show_runs_with_their_schedule_and_staff(client: Any, spoc: Run) -> None:
    staff = make_user(is_staff=True, is_superuser=True)
    RunStaff.objects.create(run=spoc, user=make_user(), role=TeamRole.ASSISTANT)
    RosterEntry.objects.create(run=spoc, student_number="1", name="张三")
    Announcement.objects.create(run=spoc, title="开课通知", body="……")
    client.force_login(staff)
    page = client.get(f"/admin/courses/run/{spoc.pk}/change/").content.decode()
    assert "releases-TOTAL_FORMS" in page and "staff-TOTAL_FORMS" in page
    for screen in ("discipline", "rosterentry", "announcement", "rating", "certificate"):
        assert client.get(f"/admin/courses/{screen}/").status_code == 200, screen
    for screen in ("discipline", "announcement", "rating", "certificate"):
        assert client.get(f"/admin/courses/{screen}/add/").status_code == 403, screen
    assert "开课通知" in client.get("/admin/courses/announcement/").content.decode()


@pytest.mark.parametrize("part", ["learners/", "roster/", "staff/"])
def test_the_list_pages_cost_a_fixed_number_of_queries(
    client: Any, spoc: Run, lead: User, part: str, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zhijiao.courses.models import Enrolment

    url = f"/courses/{spoc.course_id}/runs/{spoc.pk}/{part}"

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            user = make_user()
            Enrolment.objects.create(run=spoc, user=user)
            RosterEntry.objects.create(run=spoc, student_number=str(i), name=f"学生{i}", user=user)
            RunStaff.objects.create(run=spoc, user=make_user(), role=TeamRole.ASSISTANT)

    add(2, 0)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    # 12 today: session and user, the course, the run, memberships, the course team role, the run staff role, the
    # list itself, the unread notification count, and the session save; none of them per row.
    assert len(few.captured_queries) <= 12
    add(30, 100)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
