"""Aggregation: CSV, Excel and JSON feeds with per-row errors, de-duplication across sources, partner pushes."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from zhijiao.accounts import services as account_services
from zhijiao.employment.imports import FIELDS, to_jobposting
from zhijiao.employment.models import ImportBatch, Job, JobSource
from zhijiao.orgs.tests.factories import make_uscc

pytestmark = pytest.mark.django_db


def _row(**overrides):
    today = timezone.localdate()
    row = {
        "external_id": "A-1",
        "title": "生物制药工艺工程师",
        "description": "工艺开发",
        "employer_name": "北京某生物制药有限公司",
        "employer_credit_code": "",
        "region_codes": "110108",
        "industry": "C",
        "occupation": "research",
        "education": "本科",
        "majors": "理学;医学",
        "salary_min": "9000",
        "salary_max": "15000",
        "headcount": "5",
        "employment_type": "FULL_TIME",
        "date_posted": today.isoformat(),
        "valid_through": (today + timedelta(days=45)).isoformat(),
    }
    row.update(overrides)
    return row


def _csv(rows):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def _upload(client, name, data, feed="智联校园"):
    return client.post("/employment/jobs/import/", {"feed": feed, "file": SimpleUploadedFile(name, data)})


def test_csv_import_takes_good_rows_and_reports_each_bad_one(client, platform_admin, regions, employer, committed):
    code = employer.uscc
    rows = [
        _row(employer_credit_code=code),
        _row(external_id="A-2", employer_credit_code=code, salary_min="20000", salary_max="10000"),
        _row(external_id="A-3", employer_credit_code=code, valid_through="2001-01-01"),
        _row(external_id="A-4", employer_credit_code=code, region_codes="110108;999999"),
        _row(external_id="A-5", employer_credit_code="91110108MA0000000X"),
        _row(external_id="A-6", employer_credit_code=code, title="生物制药质检员", industry="中华"),
        _row(external_id="A-7", employer_credit_code=code, title="生物制药数据分析师", salary_max="abc"),
        _row(external_id="A-8", employer_credit_code=code, title="生物制药销售代表", industry="批发和零售业"),
    ]
    client.force_login(platform_admin)
    with committed():
        response = _upload(client, "jobs.csv", _csv(rows))
    assert response.status_code == 200
    batch = ImportBatch.objects.get()
    assert (batch.rows, batch.created, batch.merged) == (8, 2, 0)
    errors = {error["line"]: "；".join(error["messages"]) for error in batch.errors}
    assert set(errors) == {3, 4, 5, 6, 7, 8}
    assert "月薪下限高于上限" in errors[3] and "截止日期已过" in errors[4] and "999999" in errors[5]
    assert "统一社会信用代码" in errors[6] and "行业" in errors[7] and "月薪上限" in errors[8]
    assert Job.objects.count() == 2
    assert Job.objects.get(title="生物制药销售代表").industry == "F"
    html = response.content.decode()
    assert "新增 2 个岗位" in html and "999999" in html
    assert client.get("/employment/jobs/", {"q": "生物制药"}).context["results"].total == 2
    assert client.get("/employment/jobs/", {"region": "110000", "industry": "C"}).context["results"].total == 1
    assert client.get("/employment/jobs/", {"region": "110108"}).context["results"].total == 2


def test_duplicates_across_sources_become_one_job_keeping_all_sources(
    client, platform_admin, employer, committed, recruiter
):
    from zhijiao.employment.tests.factories import make_job

    with committed():
        original = make_job(recruiter, employer, title="生物制药工艺工程师", region_codes=["110108"])
    row = _row(employer_credit_code=employer.uscc, valid_through=original.valid_through.isoformat())
    client.force_login(platform_admin)
    _upload(client, "a.csv", _csv([row]), feed="渠道甲")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "编号",
            "岗位名称",
            "统一社会信用代码",
            "工作地点代码",
            "行业",
            "学历要求",
            "月薪下限",
            "月薪上限",
            "发布日期",
            "截止日期",
        ]
    )
    sheet.append(
        [
            "X9",
            " 生物制药 工艺工程师",
            employer.uscc,
            "110108",
            "C",
            "3",
            9000,
            15000,
            original.date_posted,
            original.valid_through,
        ]
    )
    sheet.append(
        ["X10", "新岗位", employer.uscc, "110108", "C", "3", 9000, 15000, original.date_posted, original.valid_through]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    _upload(client, "b.xlsx", buffer.getvalue(), feed="渠道乙")
    assert Job.objects.count() == 2
    sources = set(original.sources.values_list("kind", "feed"))
    assert sources == {("employer", ""), ("feed", "渠道甲"), ("feed", "渠道乙")}
    again = _upload(client, "a.csv", _csv([row]), feed="渠道甲")
    assert again.status_code == 200 and original.sources.count() == 3
    batches = list(ImportBatch.objects.order_by("created_at").values_list("created", "merged"))
    assert batches == [(0, 1), (1, 1), (0, 1)]


def test_feed_naming_a_new_employer_registers_it_pending_and_hides_its_jobs(client, platform_admin, regions, committed):
    code = make_uscc()
    client.force_login(platform_admin)
    with committed():
        _upload(client, "c.csv", _csv([_row(employer_credit_code=code, employer_name="新来的生物科技公司")]))
    job = Job.objects.get()
    assert job.employer.name == "新来的生物科技公司" and job.employer.employer_profile.status == "pending"
    client.logout()
    assert client.get(job.get_absolute_url()).status_code == 404


def test_partner_pushes_jobposting_json_with_a_write_token(client, employment_staff, employer, committed):
    _token, raw = account_services.token_create(user=employment_staff, name="partner", scopes=["write"])
    good = to_jobposting(_row(employer_credit_code=employer.uscc))
    bad = to_jobposting(_row(external_id="B-2", employer_credit_code=employer.uscc, region_codes="000000"))
    with committed():
        response = client.post(
            "/api/v1/employment/feeds",
            json.dumps({"feed": "partner", "jobs": [good, bad, "nonsense"]}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {raw}",
        )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["created"], body["merged"]) == (1, 0)
    assert [e["line"] for e in body["errors"]] == [2, 3]
    assert JobSource.objects.filter(kind="feed", feed="partner", external_id="A-1").exists()


def test_a_read_token_cannot_push(client, employment_staff, employer):
    _token, raw = account_services.token_create(user=employment_staff, name="reader", scopes=["read"])
    response = client.post(
        "/api/v1/employment/feeds",
        json.dumps({"feed": "partner", "jobs": [to_jobposting(_row(employer_credit_code=employer.uscc))]}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 403 and not Job.objects.exists()


@pytest.mark.parametrize("role", ["student", "teacher", "parent"])
def test_others_cannot_import(client, users, role, regions):
    client.force_login(users[role])
    assert client.get("/employment/jobs/import/").status_code == 404
    response = client.post(
        "/api/v1/employment/feeds", json.dumps({"feed": "x", "jobs": []}), content_type="application/json"
    )
    assert response.status_code == 403


def test_a_recruiter_pushes_only_its_own_employers_jobs(client, recruiter, employer, regions):
    client.force_login(recruiter)
    other_code = make_uscc()
    response = client.post(
        "/api/v1/employment/feeds",
        json.dumps(
            {
                "feed": "ours",
                "jobs": [
                    to_jobposting(_row(employer_credit_code=employer.uscc)),
                    to_jobposting(_row(external_id="Z", employer_credit_code=other_code)),
                ],
            }
        ),
        content_type="application/json",
    )
    body = response.json()
    assert body["created"] == 1 and body["errors"][0]["line"] == 2
    assert JobSource.objects.get().kind == "employer"


def test_unreadable_files_are_refused_with_a_message(client, platform_admin, regions):
    client.force_login(platform_admin)
    response = _upload(client, "jobs.txt", b"hello")
    assert response.status_code == 422 and "file" in response.context["form"].errors
    response = _upload(client, "jobs.json", b"{not json")
    assert response.status_code == 422


def test_staff_import_their_universitys_campus_jobs_from_the_page(client, employment_staff, university, employer):
    client.force_login(employment_staff)
    response = client.post(
        "/employment/jobs/import/",
        {
            "feed": "校园招聘",
            "campus": "on",
            "file": SimpleUploadedFile("c.csv", _csv([_row(employer_credit_code=employer.uscc)])),
        },
    )
    assert response.status_code == 200
    source = JobSource.objects.get()
    assert (source.kind, source.organization) == ("university", university)
    assert source.job.owner_university == university


def test_page_and_api_take_the_source_from_the_same_rule(client, employment_staff, employer, regions):
    """Staff who also recruit for an employer import feeds, through the page and the API alike."""
    from zhijiao.employment.tests.factories import make_recruiter
    from zhijiao.orgs.models import Role
    from zhijiao.orgs.tests.factories import add_member

    add_member(employment_staff, employer, Role.RECRUITER)
    client.force_login(employment_staff)
    _upload(client, "a.csv", _csv([_row(employer_credit_code=employer.uscc)]), feed="页面")
    client.post(
        "/api/v1/employment/feeds",
        json.dumps(
            {"feed": "接口", "jobs": [to_jobposting(_row(external_id="B", employer_credit_code=employer.uscc))]}
        ),
        content_type="application/json",
    )
    assert set(JobSource.objects.values_list("kind", "feed")) == {("feed", "页面"), ("feed", "接口")}
    recruiter = make_recruiter(employer)
    client.force_login(recruiter)
    _upload(client, "b.csv", _csv([_row(external_id="C", employer_credit_code=employer.uscc)]), feed="单位")
    assert JobSource.objects.get(feed="单位").kind == "employer"


def test_jobs_an_office_imports_are_listed_on_its_office_page(client, employment_staff, university, employer, regions):
    """A feed import and a campus import by an office both show where the office looks for its jobs; another
    university's office does not see them."""
    from zhijiao.accounts.tests.factories import make_user
    from zhijiao.orgs.models import Organization, Role
    from zhijiao.orgs.tests.factories import add_member, make_organization

    client.force_login(employment_staff)
    _upload(client, "feed.csv", _csv([_row(employer_credit_code=employer.uscc)]), feed="智联校园")
    client.post(
        "/employment/jobs/import/",
        {
            "feed": "校园招聘",
            "campus": "on",
            "file": SimpleUploadedFile(
                "c.csv", _csv([_row(external_id="B-1", title="校园专场工程师", employer_credit_code=employer.uscc)])
            ),
        },
    )
    assert JobSource.objects.get(feed="智联校园").organization == university
    page = client.get("/employment/office/")
    html = page.content.decode()
    assert {job.title for job in page.context["office_jobs"]} == {"生物制药工艺工程师", "校园专场工程师"}
    assert "本校导入（智联校园）" in html and "本校发布" in html

    someone = make_user()
    add_member(someone, make_organization(Organization.Kind.UNIVERSITY, "另一所大学"), Role.EMPLOYMENT_STAFF)
    client.force_login(someone)
    assert client.get("/employment/office/").context["office_jobs"] == []
