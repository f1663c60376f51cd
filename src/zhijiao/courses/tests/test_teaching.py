"""Run management (开课管理) through the API: a run's settings, release schedule, staff, SPOC roster and
announcements; one permission question (``may_teach_run``) answered the same for every operation, with a refused
role test for each; SPOC admission by roster line or join code."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from zhijiao.accounts.models import User
from zhijiao.accounts.tests.factories import make_user
from zhijiao.courses.models import Announcement, Course, Enrolment, RosterEntry, Run, RunRelease, RunStaff, TeamRole
from zhijiao.notifications.models import Notification
from zhijiao.orgs.models import Organization, Role
from zhijiao.orgs.tests.factories import add_member

from .factories import build_tree, make_course

pytestmark = pytest.mark.django_db

API = "/api/v1/courses"


def send(client: Any, method: str, url: str, data: Any = None) -> Any:
    return getattr(client, method)(url, data, content_type="application/json")


@pytest.fixture
def published(client: Any, lead: User, course: Course) -> Course:
    build_tree(course, chapters=2, sections=1, units=1, blocks=1)
    client.force_login(lead)
    assert send(client, "post", f"{API}/{course.pk}/publish", {}).status_code == 201
    return course


def make_run(course: Course, **fields: Any) -> Run:
    now = timezone.now()
    defaults: dict[str, Any] = {
        "title": "2026 秋季学期",
        "enrol_opens_at": now - timedelta(days=1),
        "enrol_closes_at": now + timedelta(days=30),
        "starts_at": now - timedelta(days=1),
        "ends_at": now + timedelta(days=90),
    }
    return Run.objects.create(course=course, **{**defaults, **fields})


@pytest.fixture
def run(published: Course) -> Run:
    return make_run(published)


@pytest.fixture
def spoc(published: Course, orgs: dict[str, Organization]) -> Run:
    return make_run(published, kind=Run.Kind.SPOC, university=orgs["university"])


def staff_member(run: Run, role: str) -> User:
    user = make_user()
    RunStaff.objects.create(run=run, user=user, role=role)
    return user


def university_student(orgs: dict[str, Organization], name: str = "本校学生") -> User:
    user = make_user(display_name=name)
    add_member(user, orgs["university"], Role.STUDENT)
    return user


# --- The one permission question --------------------------------------------------------------------------------


def test_who_may_teach_a_run(run: Run, lead: User, student: User, platform_admin: User) -> None:
    from zhijiao.courses.selectors import may_teach_run

    run_teacher = staff_member(run, TeamRole.TEACHER)
    run_lead = staff_member(run, TeamRole.LEAD)
    assistant = staff_member(run, TeamRole.ASSISTANT)
    other_run = make_run(run.course)
    for actor in (lead, run_teacher, run_lead, platform_admin):
        assert may_teach_run(actor, run) and may_teach_run(actor, run, change=False)
    assert not may_teach_run(assistant, run) and may_teach_run(assistant, run, change=False)
    assert not may_teach_run(run_teacher, other_run, change=False)  # a run's staff teach that run only
    assert not may_teach_run(student, run, change=False)


# --- Settings -----------------------------------------------------------------------------------------------------


def test_a_teacher_changes_a_run_into_a_spoc_with_a_code_and_a_certificate_rule(
    client: Any, run: Run, orgs: dict[str, Organization]
) -> None:
    teacher = staff_member(run, TeamRole.TEACHER)
    client.force_login(teacher)
    url = f"{API}/{run.course_id}/runs/{run.pk}"
    changed = send(
        client,
        "patch",
        url,
        {
            "kind": "spoc",
            "university_id": orgs["university"].pk,
            "join_code": "DS2026",
            "certificate_completion": "0.6",
        },
    )
    assert changed.status_code == 200, changed.json()
    body = changed.json()
    assert (body["kind"], body["join_code"], body["certificate_completion"]) == ("spoc", "DS2026", "0.600")
    run.refresh_from_db()
    assert run.university == orgs["university"]
    back = send(client, "patch", url, {"kind": "open"}).json()
    assert (back["kind"], back["join_code"], back["university_id"]) == ("open", "", None)


def test_bad_run_settings_are_field_errors(client: Any, run: Run, lead: User, orgs: dict[str, Organization]) -> None:
    client.force_login(lead)
    url = f"{API}/{run.course_id}/runs/{run.pk}"
    backwards = send(client, "patch", url, {"ends_at": (run.starts_at - timedelta(days=1)).isoformat()})
    assert backwards.status_code == 422 and "ends_at" in backwards.json()["fields"]
    window = send(client, "patch", url, {"enrol_closes_at": (run.enrol_opens_at - timedelta(hours=1)).isoformat()})
    assert window.status_code == 422 and "enrol_closes_at" in window.json()["fields"]
    share = send(client, "patch", url, {"certificate_completion": "1.5"})
    assert share.status_code == 422 and "certificate_completion" in share.json()["fields"]
    school = send(client, "patch", url, {"kind": "spoc", "university_id": orgs["school"].pk})
    assert school.status_code == 422 and "university_id" in school.json()["fields"]
    unknown = send(client, "patch", url, {"kind": "spoc", "university_id": 999999})
    assert unknown.status_code == 422 and "university_id" in unknown.json()["fields"]
    code = send(client, "patch", url, {"kind": "spoc", "university_id": orgs["university"].pk, "join_code": "a b"})
    assert code.status_code == 422 and "join_code" in code.json()["fields"]
    not_a_date = send(client, "patch", url, {"starts_at": "明天"})
    assert not_a_date.status_code == 422 and "starts_at" in not_a_date.json()["fields"]
    run.refresh_from_db()
    assert run.kind == Run.Kind.OPEN


@pytest.mark.parametrize("who", ["other_teacher", "assistant", "student", "visitor"])
def test_only_the_runs_teachers_change_it(
    client: Any, run: Run, who: str, student: User, university_faculty: User
) -> None:
    expected = refuse(client, run, who, student)
    response = send(client, "patch", f"{API}/{run.course_id}/runs/{run.pk}", {"title": "改名"})
    assert response.status_code == expected
    run.refresh_from_db()
    assert run.title == "2026 秋季学期"


def refuse(client: Any, run: Run, who: str, student: User) -> int:
    """Sign in as someone who must be refused; the status they get: not found unless they may see the run."""
    client.logout()
    if who == "other_teacher":  # teaches another course, not this one
        other = make_user()
        add_member(other, Organization.objects.get(name="北京师范大学"), Role.UNIVERSITY_FACULTY)
        make_course(lead=other)
        client.force_login(other)
        return 404
    if who == "assistant":
        client.force_login(staff_member(run, TeamRole.ASSISTANT))
        return 403
    if who == "student":
        client.force_login(student)
        return 404
    return 401


# --- Release schedule ---------------------------------------------------------------------------------------------


def test_a_teacher_schedules_chapters_and_learners_see_the_gate(client: Any, run: Run, lead: User) -> None:
    from zhijiao.courses.selectors import chapter_is_open

    client.force_login(lead)
    url = f"{API}/{run.course_id}/runs/{run.pk}/schedule"
    chapters = client.get(url).json()
    assert [c["opens_at"] for c in chapters] == [None, None] and all(c["published"] for c in chapters)
    later = timezone.now() + timedelta(days=7)
    response = send(
        client, "put", url, {"releases": [{"content_id": chapters[1]["content_id"], "opens_at": later.isoformat()}]}
    )
    assert response.status_code == 200 and response.json()[1]["opens_at"] is not None
    assert chapter_is_open(run, chapters[0]["content_id"]) and not chapter_is_open(run, chapters[1]["content_id"])
    cleared = send(client, "put", url, {"releases": [{"content_id": chapters[1]["content_id"], "opens_at": None}]})
    assert cleared.status_code == 200 and not RunRelease.objects.filter(run=run).exists()


def test_bad_schedules_name_the_chapter(client: Any, run: Run, lead: User) -> None:
    client.force_login(lead)
    url = f"{API}/{run.course_id}/runs/{run.pk}/schedule"
    chapter = client.get(url).json()[0]["content_id"]
    too_late = (run.ends_at + timedelta(days=1)).isoformat()
    response = send(client, "put", url, {"releases": [{"content_id": chapter, "opens_at": too_late}]})
    assert response.status_code == 422 and chapter in response.json()["fields"]
    stranger = "00000000-0000-0000-0000-000000000000"
    response = send(client, "put", url, {"releases": [{"content_id": stranger, "opens_at": None}]})
    assert response.status_code == 422 and stranger in response.json()["fields"]
    response = send(client, "put", url, {"releases": [{"content_id": "不是标识", "opens_at": None}]})
    assert response.status_code == 422
    assert not RunRelease.objects.exists()


@pytest.mark.parametrize("who", ["other_teacher", "assistant", "student", "visitor"])
def test_only_the_runs_teachers_schedule(client: Any, run: Run, who: str, student: User) -> None:
    chapter = client.get(f"{API}/{run.course_id}/runs/{run.pk}/schedule").json()[0]["content_id"]
    expected = refuse(client, run, who, student)
    later = (timezone.now() + timedelta(days=3)).isoformat()
    response = send(
        client,
        "put",
        f"{API}/{run.course_id}/runs/{run.pk}/schedule",
        {"releases": [{"content_id": chapter, "opens_at": later}]},
    )
    assert response.status_code == expected
    assert not RunRelease.objects.exists()


# --- Staff ----------------------------------------------------------------------------------------------------------


def test_a_teacher_adds_staff_by_phone_with_clear_errors(client: Any, run: Run, lead: User) -> None:
    client.force_login(lead)
    url = f"{API}/{run.course_id}/runs/{run.pk}/staff"
    assistant = make_user(phone="13912340001", display_name="李助教")
    added = send(client, "post", url, {"phone": "139 1234 0001", "role": "assistant"})
    assert added.status_code == 201 and added.json()["name"] == "李助教"
    twice = send(client, "post", url, {"phone": "13912340001", "role": "teacher"})
    assert twice.status_code == 422 and "phone" in twice.json()["fields"]
    unknown = send(client, "post", url, {"phone": "13912349999", "role": "teacher"})
    assert unknown.status_code == 422 and "注册" in unknown.json()["fields"]["phone"][0]
    invalid = send(client, "post", url, {"phone": "12345", "role": "teacher"})
    assert invalid.status_code == 422 and "phone" in invalid.json()["fields"]
    bad_role = send(client, "post", url, {"phone": "13912340001", "role": "boss"})
    assert bad_role.status_code == 422
    make_user(phone="13912340002")
    make_user(phone="13912340003")
    assert send(client, "post", url, {"phone": "13912340002", "role": "lead"}).status_code == 201
    second_lead = send(client, "post", url, {"phone": "13912340003", "role": "lead"})
    assert second_lead.status_code == 422 and "role" in second_lead.json()["fields"]
    assert [m["name"] for m in client.get(url).json()].count("李助教") == 1
    assert send(client, "delete", f"{url}/{assistant.pk}").status_code == 204
    assert send(client, "delete", f"{url}/{assistant.pk}").status_code == 422


@pytest.mark.parametrize("who", ["other_teacher", "assistant", "student", "visitor"])
def test_only_the_runs_teachers_manage_staff(client: Any, run: Run, who: str, student: User) -> None:
    target = make_user(phone="13912340005")
    expected = refuse(client, run, who, student)
    url = f"{API}/{run.course_id}/runs/{run.pk}/staff"
    assert send(client, "post", url, {"phone": "13912340005", "role": "teacher"}).status_code == expected
    assert not RunStaff.objects.filter(user=target).exists()
    kept = staff_member(run, TeamRole.TEACHER)
    assert send(client, "delete", f"{url}/{kept.pk}").status_code == expected
    assert RunStaff.objects.filter(user=kept).exists()


# --- Roster and admission -----------------------------------------------------------------------------------------

ROSTER = "学号,姓名\r\n2026001,张三\r\n2026002,李四\r\n,无学号\r\n2026001,张三重复\r\n2026003,王\r\n"


def upload(client: Any, run: Run, text: str, name: str = "roster.csv") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")
    return client.post(f"{API}/{run.course_id}/runs/{run.pk}/roster", {"file": file})


def test_a_roster_import_reports_each_bad_line(client: Any, spoc: Run, lead: User) -> None:
    client.force_login(lead)
    response = upload(client, spoc, ROSTER)
    assert response.status_code == 200, response.json()
    report = response.json()
    assert (report["rows"], report["created"], report["updated"]) == (5, 2, 0)
    assert [error["line"] for error in report["errors"]] == [4, 5, 6]
    assert "第 2 行" in report["errors"][1]["messages"][0]
    again = upload(client, spoc, "学号,姓名\r\n2026001,张叁\r\n").json()
    assert (again["created"], again["updated"]) == (0, 1)
    english = upload(client, spoc, "Student Number,Name\r\n2026009,Li Lei\r\n").json()
    assert (english["created"], english["errors"]) == (1, [])
    RosterEntry.objects.filter(student_number="2026009").delete()
    wrong_header = upload(client, spoc, "编号,名字\r\n1,甲\r\n")
    assert wrong_header.status_code == 422 and "file" in wrong_header.json()["fields"]
    wrong_type = upload(client, spoc, "hello", name="roster.txt")
    assert wrong_type.status_code == 422 and "file" in wrong_type.json()["fields"]
    roster = client.get(f"{API}/{spoc.course_id}/runs/{spoc.pk}/roster").json()
    assert [(e["student_number"], e["name"]) for e in roster] == [("2026001", "张叁"), ("2026002", "李四")]


def test_an_open_run_takes_no_roster(client: Any, run: Run, lead: User) -> None:
    client.force_login(lead)
    response = upload(client, run, ROSTER)
    assert response.status_code == 422 and "file" in response.json()["fields"]


@pytest.mark.parametrize("who", ["other_teacher", "assistant", "student", "visitor"])
def test_only_the_runs_teachers_import_its_roster(client: Any, spoc: Run, who: str, student: User) -> None:
    expected = refuse(client, spoc, who, student)
    assert upload(client, spoc, ROSTER).status_code == expected
    assert not RosterEntry.objects.exists()


def test_an_assistant_reads_the_roster_and_learners_but_a_student_does_not(
    client: Any, spoc: Run, student: User
) -> None:
    RosterEntry.objects.create(run=spoc, student_number="1", name="张三")
    Enrolment.objects.create(run=spoc, user=student)
    client.force_login(staff_member(spoc, TeamRole.ASSISTANT))
    base = f"{API}/{spoc.course_id}/runs/{spoc.pk}"
    assert len(client.get(f"{base}/roster").json()) == 1
    assert len(client.get(f"{base}/learners").json()) == 1
    assert client.get(base).json()["may_change"] is False
    client.force_login(student)
    for path in ("", "/roster", "/learners", "/staff", "/schedule", "/announcements"):
        assert client.get(base + path).status_code == 404


def test_a_student_on_the_roster_joins_without_the_code(client: Any, spoc: Run, orgs: dict[str, Organization]) -> None:
    RosterEntry.objects.create(run=spoc, student_number="2026001", name="张三")
    enrol = f"{API}/runs/{spoc.pk}/enrolment"
    zhang = university_student(orgs)
    client.force_login(zhang)
    missing = send(client, "post", enrol, {})
    assert missing.status_code == 422 and "student_number" in missing.json()["fields"]
    wrong_name = send(client, "post", enrol, {"student_number": "2026001", "name": "张四"})
    assert wrong_name.status_code == 422 and "student_number" in wrong_name.json()["fields"]
    joined = send(client, "post", enrol, {"student_number": "2026001", "name": " 张三 "})
    assert joined.status_code == 201
    assert RosterEntry.objects.get(run=spoc).user == zhang
    # The line is taken: a classmate typing the same number and name does not get in.
    classmate = university_student(orgs, "同学")
    client.force_login(classmate)
    taken = send(client, "post", enrol, {"student_number": "2026001", "name": "张三"})
    assert taken.status_code == 422


def test_a_spoc_with_a_roster_and_a_code_admits_either_way(
    client: Any, spoc: Run, orgs: dict[str, Organization], student: User
) -> None:
    Run.objects.filter(pk=spoc.pk).update(join_code="DS2026")
    RosterEntry.objects.create(run=spoc, student_number="2026001", name="张三")
    enrol = f"{API}/runs/{spoc.pk}/enrolment"
    client.force_login(university_student(orgs, "有码"))
    wrong = send(client, "post", enrol, {"join_code": "NOPE"})
    assert wrong.status_code == 422 and "join_code" in wrong.json()["fields"]
    assert send(client, "post", enrol, {"join_code": "ds2026"}).status_code == 201
    client.force_login(university_student(orgs, "名单"))
    assert send(client, "post", enrol, {"student_number": "2026001", "name": "张三"}).status_code == 201
    from zhijiao.courses.selectors import admission_needs

    assert admission_needs(Run.objects.get(pk=spoc.pk)) == {"join_code", "roster"}
    client.force_login(student)  # a pupil of another school: neither the roster nor the code lets them in
    assert send(client, "post", enrol, {"student_number": "2026001", "name": "张三"}).status_code == 403
    assert Enrolment.objects.filter(run=spoc).count() == 2


def test_a_real_name_must_match_the_roster(client: Any, spoc: Run, orgs: dict[str, Organization]) -> None:
    from zhijiao.accounts.models import Identity

    RosterEntry.objects.create(run=spoc, student_number="2026001", name="张三")
    impostor = university_student(orgs, "冒名")
    Identity.objects.create(
        user=impostor,
        real_name="李四",
        id_number="110101199003077777",
        id_number_index="x" * 64,
        id_number_masked="1101**********7777",
        birth_date="1990-03-07",
        gender="M",
    )
    client.force_login(impostor)
    response = send(client, "post", f"{API}/runs/{spoc.pk}/enrolment", {"student_number": "2026001", "name": "张三"})
    assert response.status_code == 422


# --- Announcements ------------------------------------------------------------------------------------------------


def test_an_announcement_reaches_each_learner_as_a_notification(client: Any, run: Run, student: User) -> None:
    learners = [student, make_user()]
    for learner in learners:
        Enrolment.objects.create(run=run, user=learner)
    bystander = make_user()
    teacher = staff_member(run, TeamRole.TEACHER)
    client.force_login(teacher)
    url = f"{API}/{run.course_id}/runs/{run.pk}/announcements"
    response = send(client, "post", url, {"title": "第二章已开放", "body": "请按时完成学习。"})
    assert response.status_code == 201
    sent = Notification.objects.filter(kind="course_announcement")
    assert {n.user_id for n in sent} == {learner.pk for learner in learners}
    assert all(n.url == f"/courses/{run.course_id}/" and "第二章已开放" in n.title for n in sent)
    assert not Notification.objects.filter(user=bystander).exists()
    assert client.get(url).json()[0]["title"] == "第二章已开放"
    empty = send(client, "post", url, {"title": "", "body": ""})
    assert empty.status_code == 422 and {"title", "body"} <= set(empty.json()["fields"])


@pytest.mark.parametrize("who", ["other_teacher", "assistant", "student", "visitor"])
def test_only_the_runs_teachers_announce(client: Any, run: Run, who: str, student: User) -> None:
    expected = refuse(client, run, who, student)
    response = send(
        client, "post", f"{API}/{run.course_id}/runs/{run.pk}/announcements", {"title": "假公告", "body": "……"}
    )
    assert response.status_code == expected
    assert not Announcement.objects.exists() and not Notification.objects.exists()


@pytest.mark.parametrize("who", ["other_teacher", "assistant", "student", "visitor"])
def test_only_the_runs_teachers_take_someone_off_the_roster(client: Any, spoc: Run, who: str, student: User) -> None:
    entry = RosterEntry.objects.create(run=spoc, student_number="2026001", name="张三")
    expected = refuse(client, spoc, who, student)
    response = send(client, "delete", f"{API}/{spoc.course_id}/runs/{spoc.pk}/roster/{entry.pk}")
    assert response.status_code == expected
    page = client.post(f"/courses/{spoc.course_id}/runs/{spoc.pk}/roster/{entry.pk}/remove/")
    assert page.status_code == (302 if who == "visitor" else expected)
    assert RosterEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize("who", ["other_teacher", "assistant", "student", "visitor"])
def test_only_the_runs_teachers_remove_staff_on_the_page(client: Any, run: Run, who: str, student: User) -> None:
    kept = staff_member(run, TeamRole.TEACHER)
    expected = refuse(client, run, who, student)
    page = client.post(f"/courses/{run.course_id}/runs/{run.pk}/staff/{kept.pk}/remove/")
    assert page.status_code == (302 if who == "visitor" else expected)
    if who == "visitor":
        assert "next=" in page["Location"]
    assert RunStaff.objects.filter(user=kept).exists()


def test_a_teacher_removes_a_roster_line(client: Any, spoc: Run, lead: User) -> None:
    entry = RosterEntry.objects.create(run=spoc, student_number="2026001", name="张三")
    client.force_login(lead)
    url = f"{API}/{spoc.course_id}/runs/{spoc.pk}/roster/{entry.pk}"
    assert send(client, "delete", url).status_code == 204
    again = send(client, "delete", url)
    assert again.status_code == 422 and "entry_id" in again.json()["fields"]
