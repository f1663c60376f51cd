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
    shared = client.get("/employment/office/").context["shared_jobs"]
    assert [j.pk for j in shared] == [job.pk]
