"""The university employment office: confirming graduates, status by major, destination report, shared jobs."""

import io

import pytest
from openpyxl import load_workbook

from zhijiao.accounts.tests.factories import PASSWORD, make_user
from zhijiao.employment import services
from zhijiao.employment.models import Agreement, Application, Graduate
from zhijiao.employment.tests.factories import job_data, make_graduate, make_job, make_resume
from zhijiao.orgs.models import Organization
from zhijiao.orgs.tests.factories import make_organization

pytestmark = pytest.mark.django_db


def test_graduate_registers_and_staff_confirm(client, university, employment_staff, regions):
    user = make_user()
    client.force_login(user)
    response = client.post(
        "/employment/me/",
        {
            "university": university.pk,
            "graduation_year": "2026",
            "real_name": "张三",
            "major": "药学",
            "discipline": "10",
            "education": "3",
        },
    )
    assert response.status_code == 302
    graduate = Graduate.objects.get(user=user)
    assert graduate.status == Graduate.Status.PENDING
    client.force_login(employment_staff)
    office = client.get("/employment/office/")
    assert office.status_code == 200 and "张三" in office.content.decode()
    client.post(f"/employment/office/graduates/{graduate.pk}/confirm/", {"action": "confirm"})
    graduate.refresh_from_db()
    assert graduate.status == Graduate.Status.CONFIRMED
    assert user.notifications.filter(kind="graduate").exists()


def test_staff_of_another_university_cannot_confirm(client, regions, employment_staff):
    other = make_organization(Organization.Kind.UNIVERSITY, "另一所大学")
    graduate = make_graduate(make_user(), other, confirmed=False)
    client.force_login(employment_staff)
    assert client.post(f"/employment/office/graduates/{graduate.pk}/confirm/").status_code == 404
    graduate.refresh_from_db()
    assert graduate.status == Graduate.Status.PENDING


@pytest.mark.parametrize("role", ["student", "recruiter", "university_faculty"])
def test_office_is_for_employment_staff_only(client, users, role):
    client.force_login(users[role])
    assert client.get("/employment/office/").status_code == 404
    assert client.get("/employment/office/destinations.xlsx").status_code == 404


def _signed(graduate, job, recruiter, staff):
    resume = make_resume(graduate.user)
    application = services.application_submit(graduate=graduate.user, job=job, resume=resume)
    services.application_move(actor=recruiter, application=application, status=Application.Status.OFFER)
    services.application_respond(graduate=graduate.user, application=application, accept=True)
    agreement = Agreement.objects.get(application=application)
    for actor in (graduate.user, recruiter, staff):
        services.agreement_sign(
            actor=actor, agreement=agreement, password=PASSWORD, text_sha256_seen=agreement.text_sha256
        )
    return agreement


def test_status_by_major_and_destination_report(client, university, employment_staff, recruiter, employer, job):
    signed = make_graduate(make_user(), university, real_name="签约生", major="生物技术")
    seeking = make_graduate(make_user(), university, real_name="求职生", major="生物技术")
    make_graduate(make_user(), university, real_name="未求职", major="药学")
    agreement = _signed(signed, job, recruiter, employment_staff)
    other = make_job(recruiter, employer, title="另一个岗位")
    services.application_submit(graduate=seeking.user, job=other, resume=make_resume(seeking.user))
    client.force_login(employment_staff)
    page = client.get("/employment/office/")
    rows = {row.major: row for row in page.context["rows"]}
    assert (
        rows["生物技术"].registered,
        rows["生物技术"].applied,
        rows["生物技术"].offered,
        rows["生物技术"].signed,
    ) == (2, 2, 1, 1)
    assert rows["药学"].applied == 0
    assert page.context["chart_data"]["majors"]["labels"]
    export = client.get("/employment/office/destinations.xlsx")
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    values = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert (
        values["签约生"][5] == "签约就业"
        and values["签约生"][6] == employer.name
        and values["签约生"][9] == agreement.number
    )
    assert values["求职生"][5] == "求职中" and values["未求职"][5] == "暂未求职"


def test_a_university_shares_a_campus_job(client, university, employment_staff, employer, regions, committed):
    other = make_organization(Organization.Kind.UNIVERSITY, "上海某大学", region=regions["pudong"])
    with committed():
        job = services.job_create(
            actor=employment_staff,
            employer=employer,
            university=university,
            data=job_data(title="校园招聘专场岗位"),
            publish=True,
        )
    job.is_public = False
    job.save()
    outsider = make_graduate(make_user(), other)
    client.force_login(outsider.user)
    assert client.get(job.get_absolute_url()).status_code == 404
    client.force_login(employment_staff)
    with committed():
        client.post(f"/employment/jobs/{job.pk}/share/", {"university": other.pk})
    client.force_login(outsider.user)
    assert client.get(job.get_absolute_url()).status_code == 200
    assert client.get("/employment/jobs/", {"q": "校园招聘"}).context["results"].total == 1
    client.logout()
    assert client.get("/employment/jobs/", {"q": "校园招聘"}).context["results"].total == 0
    client.force_login(employment_staff)
    shared = client.get("/employment/office/").context["office_jobs"]
    assert [j.pk for j in shared] == [job.pk]


def _roster_csv(*rows: str) -> bytes:
    return ("学号,姓名,毕业年份,专业,学科门类,学历\n" + "\n".join(rows) + "\n").encode()


def _upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_staff_import_a_graduate_list_and_matching_registrations_are_confirmed(
    client, university, employment_staff, regions
):
    from zhijiao.employment.models import RosterEntry

    waiting = make_graduate(
        university=university, confirmed=False, real_name="王小明", student_number="2022010001", major="待定"
    )
    wrong_name = make_graduate(university=university, confirmed=False, real_name="冒名者", student_number="2022010002")
    client.force_login(employment_staff)
    data = _roster_csv(
        "2022010001,王小明,2026,计算机科学与技术,工学,本科",
        "2022010002,赵丽,2026,药学,医学,硕士",
        "2022010003,周杰,2026,金融学,经济学,本科",
        "bad number!,钱,1990,,天文学,小学",
        "2022010003,重复人,2026,金融学,经济学,本科",
    )
    page = client.post("/employment/office/roster/", {"university": university.pk, "file": _upload("名单.csv", data)})
    assert page.status_code == 200
    report = page.context["report"]
    assert (report.rows, report.created, report.confirmed) == (5, 3, 1)
    assert [error["line"] for error in report.errors] == [5, 6]
    assert "学号" in " ".join(report.errors[0]["messages"]) and "学科门类" in " ".join(report.errors[0]["messages"])
    assert "第 4 行重复" in report.errors[1]["messages"][0]
    assert "共 5 行" in page.content.decode()
    waiting.refresh_from_db()
    wrong_name.refresh_from_db()
    assert waiting.status == Graduate.Status.CONFIRMED and waiting.major == "计算机科学与技术"
    assert waiting.user.notifications.filter(title__contains="确认").exists()
    assert wrong_name.status == Graduate.Status.PENDING  # same number, other name: staff decide by hand
    assert RosterEntry.objects.filter(university=university).count() == 3

    # A graduate on the list who registers later is confirmed at once, with the list's details.
    newcomer = make_user()
    client.force_login(newcomer)
    client.post(
        "/employment/me/",
        {
            "university": university.pk,
            "graduation_year": "2026",
            "real_name": "周杰",
            "student_number": "2022010003",
            "major": "金融",
            "discipline": "02",
            "education": "3",
        },
    )
    registered = Graduate.objects.get(user=newcomer)
    assert registered.status == Graduate.Status.CONFIRMED and registered.major == "金融学"


def test_roster_import_through_the_api_and_bad_files(client, university, employment_staff, regions):
    client.force_login(employment_staff)
    api = client.post(
        "/api/v1/employment/office/roster",
        {"university": university.pk, "file": _upload("list.csv", _roster_csv("2022019999,孙琪,2026,法学,法学,本科"))},
    )
    assert api.status_code == 200 and api.json()["created"] == 1
    again = client.post(
        "/api/v1/employment/office/roster",
        {"university": university.pk, "file": _upload("list.csv", _roster_csv("2022019999,孙琪,2026,法律,法学,硕士"))},
    )
    assert again.json()["updated"] == 1
    wrong = client.post(
        "/api/v1/employment/office/roster",
        {"university": university.pk, "file": _upload("list.pdf", b"%PDF-1.4")},
    )
    assert wrong.status_code == 422 and "file" in wrong.json()["fields"]
    page = client.post(
        "/employment/office/roster/", {"university": university.pk, "file": _upload("x.csv", b"a,b\n1,2\n")}
    )
    assert page.status_code == 422 and "学号" in page.content.decode()


@pytest.mark.parametrize("role", ["recruiter", "student", "other_staff"])
def test_only_the_universitys_own_staff_import_its_list(client, users, university, regions, role):
    from zhijiao.employment.models import RosterEntry
    from zhijiao.orgs.models import Role
    from zhijiao.orgs.tests.factories import add_member

    if role == "other_staff":
        user = make_user()
        add_member(user, make_organization(Organization.Kind.UNIVERSITY, "另一所大学"), Role.EMPLOYMENT_STAFF)
    else:
        user = users[role]
    client.force_login(user)
    data = {
        "university": university.pk,
        "file": _upload("list.csv", _roster_csv("2022019999,孙琪,2026,法学,法学,本科")),
    }
    assert client.post("/api/v1/employment/office/roster", data).status_code == 404
    data["file"] = _upload("list.csv", _roster_csv("2022019999,孙琪,2026,法学,法学,本科"))
    assert client.post("/employment/office/roster/", data).status_code == 404
    assert not RosterEntry.objects.exists()


def test_a_job_page_says_where_the_campus_job_was_shared(
    client, university, employment_staff, recruiter, employer, regions, committed
):
    other = make_organization(Organization.Kind.UNIVERSITY, "上海某大学", region=regions["pudong"])
    with committed():
        job = services.job_create(
            actor=employment_staff, employer=employer, university=university, data=job_data(), publish=True
        )
        services.job_share(actor=employment_staff, job=job, target_organization=other)
        services.job_share(actor=employment_staff, job=job, target_region=regions["pudong"].parent)
    for viewer in (employment_staff, recruiter, None):
        if viewer is None:
            client.logout()
        else:
            client.force_login(viewer)
        html = client.get(job.get_absolute_url()).content.decode()
        assert "面向高校" in html and "已共享给" in html and "上海某大学" in html, viewer

    # A restricted campus job: its graduates see the job, only offices and its managers see where it went.
    job.is_public = False
    job.save()
    graduate = make_graduate(make_user(), other)
    client.force_login(graduate.user)
    html = client.get(job.get_absolute_url()).content.decode()
    assert "已共享给" not in html and "面向高校" in html
    client.force_login(recruiter)
    assert "上海某大学" in client.get(job.get_absolute_url()).content.decode()
