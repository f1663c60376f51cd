"""Jobs: drafting, publishing (verified employers only), bad input, expiry, pages with JSON-LD, search."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from zhijiao.employment import services
from zhijiao.employment.models import EmployerProfile, Job
from zhijiao.employment.tests.factories import make_employer, make_job, make_recruiter, verify_employer

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "title": "生物制药研发工程师",
        "description": "负责研发",
        "region_codes": "110108",
        "industry": "C",
        "occupation": "research",
        "education": "3",
        "disciplines": ["07"],
        "salary_min": "10000",
        "salary_max": "18000",
        "headcount": "2",
        "employment_type": "FULL_TIME",
        "valid_through": (timezone.localdate() + timedelta(days=30)).isoformat(),
    }
    data.update(overrides)
    return data


def test_recruiter_creates_and_publishes_a_job(client, recruiter, employer, committed):
    client.force_login(recruiter)
    with committed():
        response = client.post("/employment/jobs/new/", {**_form(), "publish": "1"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.status == Job.Status.PUBLISHED and job.is_open()
    assert sorted(job.areas.values_list("code", flat=True)) == ["110000", "110100", "110108"]
    assert job.sources.get().kind == "employer"
    client.logout()
    assert client.get(job.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"salary_min": "20000", "salary_max": "10000"}, "salary_max"),
        ({"valid_through": "2000-01-01"}, "valid_through"),
        ({"region_codes": "999999"}, "region_codes"),
        ({"region_codes": ""}, "region_codes"),
        ({"industry": "Z"}, "industry"),
    ],
)
def test_bad_job_input_is_refused_with_field_messages(client, recruiter, employer, overrides, field):
    client.force_login(recruiter)
    response = client.post("/employment/jobs/new/", _form(**overrides))
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert not Job.objects.exists()


def test_api_refuses_bad_jobs_with_the_error_shape(client, recruiter, employer):
    client.force_login(recruiter)
    payload = {
        "title": "岗位",
        "description": "描述",
        "region_codes": ["110108"],
        "industry": "C",
        "salary_min": 9000,
        "salary_max": 5000,
        "valid_through": (timezone.localdate() - timedelta(days=1)).isoformat(),
    }
    response = client.post("/api/v1/employment/jobs", payload, content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert "salary_max" in body["fields"] and "valid_through" in body["fields"]


def test_unverified_employer_cannot_publish(client, regions):
    employer = make_employer(status=EmployerProfile.Status.PENDING)
    recruiter = make_recruiter(employer)
    client.force_login(recruiter)
    client.post("/employment/jobs/new/", {**_form(), "publish": "1", "employer": employer.pk})
    job = Job.objects.get()
    assert job.status == Job.Status.DRAFT
    response = client.post(f"/api/v1/employment/jobs/{job.pk}/publish", content_type="application/json")
    assert response.status_code == 403 and response.json()["code"] == "employer_not_verified"
    client.logout()
    assert client.get(job.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("role", ["student", "employment_staff", "teacher"])
def test_others_cannot_create_edit_or_publish_an_employers_job(client, users, job, role):
    client.force_login(users[role])
    assert client.get(f"/employment/jobs/{job.pk}/edit/").status_code == 404
    assert client.post(f"/employment/jobs/{job.pk}/publish/", {"action": "close"}).status_code == 404
    assert client.get(f"/employment/jobs/{job.pk}/applications/").status_code == 404
    job.refresh_from_db()
    assert job.status == Job.Status.PUBLISHED


def test_recruiter_of_another_employer_cannot_manage_the_job(client, job, regions):
    other = make_recruiter(make_employer())
    client.force_login(other)
    assert client.get(f"/employment/jobs/{job.pk}/edit/").status_code == 404
    assert client.get(f"/employment/jobs/{job.pk}/applications/").status_code == 404


def test_jobs_expire_by_themselves(job):
    assert job.is_open(on=timezone.localdate())
    assert not job.is_open(on=job.valid_through + timedelta(days=1))
    assert not job.is_open(on=job.date_posted - timedelta(days=1))


def test_job_page_carries_jobposting_jsonld(client, job):
    html = client.get(job.get_absolute_url()).content.decode()
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match
    data = json.loads(match.group(1))
    assert data["@type"] == "JobPosting" and data["title"] == job.title
    assert data["hiringOrganization"]["name"] == job.employer.name
    assert data["jobLocation"][0]["address"]["addressRegion"] == "110108"
    assert data["baseSalary"]["value"]["minValue"] == 12000 and data["baseSalary"]["currency"] == "CNY"
    assert data["validThrough"].startswith(job.valid_through.isoformat())


def test_jsonld_cannot_break_out_of_its_element(client, recruiter, employer, committed):
    with committed():
        job = make_job(recruiter, employer, title="</script><script>alert(1)</script>")
    html = client.get(job.get_absolute_url()).content.decode()
    assert "</script><script>alert(1)" not in html


def test_keyword_search_with_city_and_industry_filters(client, recruiter, employer, committed, regions):
    with committed():
        beijing = make_job(recruiter, employer)
        make_job(recruiter, employer, title="生物制药质量专员", region_codes=["310115"])
        make_job(recruiter, employer, title="生物制药销售", industry="F", occupation="sales")
    result = client.get("/employment/jobs/", {"q": "海淀 生物制药", "industry": "C"}).context["results"]
    assert [j.pk for j in result.jobs] == [beijing.pk]
    in_beijing = client.get("/employment/jobs/", {"q": "生物制药", "region": "110000", "industry": "C"})
    assert [j.pk for j in in_beijing.context["results"].jobs] == [beijing.pk]
    shanghai = client.get("/employment/jobs/", {"q": "生物制药", "region": "310000"}).context["results"]
    assert [j.title for j in shanghai.jobs] == ["生物制药质量专员"]
    api = client.get("/api/v1/employment/jobs", {"q": "生物制药", "region": "110000"}).json()
    assert api["count"] == 2


def test_filters_without_keywords_and_sorts(client, recruiter, employer, committed):
    with committed():
        low = make_job(recruiter, employer, title="助理", salary_min=4000, salary_max=6000, education=0, disciplines=[])
        high = make_job(recruiter, employer, title="首席科学家", salary_min=30000, salary_max=50000, education=5)
    by_salary = client.get("/employment/jobs/", {"sort": "salary"}).context["results"].jobs
    assert [j.pk for j in by_salary] == [high.pk, low.pk]
    assert [j.pk for j in client.get("/employment/jobs/", {"salary": "30000"}).context["results"].jobs] == [high.pk]
    bachelor = client.get("/employment/jobs/", {"education": "3"}).context["results"].jobs
    assert [j.pk for j in bachelor] == [low.pk]
    assert [j.pk for j in client.get("/employment/jobs/", {"major": "08"}).context["results"].jobs] == [low.pk]
    searched = client.get("/employment/jobs/", {"q": "首席科学家 OR 助理", "sort": "salary"})
    assert searched.status_code == 200
    keyword_major = client.get("/employment/jobs/", {"q": "助理", "major": "08", "posted": "7"}).context["results"]
    assert [j.pk for j in keyword_major.jobs] == [low.pk]


def test_unknown_filter_values_are_reported_not_500(client, regions):
    response = client.get("/employment/jobs/", {"region": "999999", "industry": "Z", "sort": "x"})
    assert response.status_code == 200
    assert set(response.context["errors"]) == {"行业", "排序"}  # named as the form labels them
    # an unknown place is said next to the place chooser
    assert response.context["region_form"].errors["region"]
    api = client.get("/api/v1/employment/jobs", {"region": "999999"})
    assert api.status_code == 422 and "region" in api.json()["fields"]


def test_job_list_query_count_is_pinned(client, recruiter, employer, committed, django_assert_max_num_queries):
    with committed():
        for n in range(12):
            make_job(recruiter, employer, title=f"生物制药岗位{n}", region_codes=["110108", "310115"])
    with django_assert_max_num_queries(12):
        response = client.get("/employment/jobs/", {"q": "生物制药"})
    assert len(response.context["results"].jobs) == 12
    with django_assert_max_num_queries(12):
        client.get("/employment/jobs/", {"region": "110000", "sort": "newest"})


def test_saved_searches(client, graduate_user, regions):
    client.force_login(graduate_user)
    client.post("/employment/searches/", {"name": "北京生物", "query": "q=生物制药&region=110000"})
    page = client.get("/employment/jobs/")
    assert [s.name for s in page.context["saved"]] == ["北京生物"]
    saved = page.context["saved"][0]
    client.post(f"/employment/searches/{saved.pk}/delete/")
    assert client.get("/employment/jobs/").context["saved"] == []


def test_expired_jobs_leave_the_index_on_the_daily_refresh(job, client):
    from zhijiao.employment import services

    assert client.get("/employment/jobs/", {"q": "生物制药"}).context["results"].total == 1
    yesterday = timezone.localdate() - timedelta(days=1)
    Job.objects.filter(pk=job.pk).update(date_posted=yesterday - timedelta(days=30), valid_through=yesterday)
    services.jobs_index_refresh()
    assert client.get("/employment/jobs/", {"q": "生物制药"}).context["results"].total == 0


def test_a_pending_employer_verified_later_publishes(client, regions, employment_staff, committed):
    employer = make_employer(status=EmployerProfile.Status.PENDING)
    recruiter = make_recruiter(employer)
    job = make_job(recruiter, employer, publish=False)
    verify_employer(employer)
    client.force_login(recruiter)
    with committed():
        client.post(f"/employment/jobs/{job.pk}/publish/", {"action": "publish"})
    job.refresh_from_db()
    assert job.status == Job.Status.PUBLISHED


def _city_list(client, **params):
    return [j.pk for j in client.get("/employment/jobs/", {"region": "110100", **params}).context["results"].jobs]


def test_the_city_list_follows_every_change_to_a_job_and_its_employer(
    client, recruiter, employer, platform_admin, committed
):
    with committed():
        job = make_job(recruiter, employer, title="质量工程师")
        draft = make_job(recruiter, employer, title="草稿岗位", publish=False)
        shanghai = make_job(recruiter, employer, title="上海岗位", region_codes=["310115"])
    assert _city_list(client) == [job.pk]
    assert _city_list(client, industry="C", posted="1") == [job.pk]
    assert _city_list(client, industry="I") == []
    assert [j.pk for j in client.get("/employment/jobs/", {"region": "310000"}).context["results"].jobs] == [
        shanghai.pk
    ]
    profile = EmployerProfile.objects.get(organization=employer)
    services.employer_suspend(actor=platform_admin, profile=profile, reason="资质存疑")
    assert _city_list(client) == []
    services.employer_suspend(actor=platform_admin, profile=profile, reason="", suspend=False)
    assert _city_list(client) == [job.pk]
    services.job_publish(actor=recruiter, job=draft)
    assert set(_city_list(client)) == {job.pk, draft.pk}
    services.job_close(actor=recruiter, job=job)
    assert _city_list(client) == [draft.pk]
    yesterday = timezone.localdate() - timedelta(days=1)
    Job.objects.filter(pk=draft.pk).update(date_posted=yesterday, valid_through=yesterday)
    services.job_areas_refresh(job_ids=[draft.pk])
    assert _city_list(client) == []


def test_counts_beyond_the_cap_say_more_than(client, recruiter, employer, committed, monkeypatch):
    from zhijiao.employment.selectors import jobs as selectors

    with committed():
        for n in range(4):
            make_job(recruiter, employer, title=f"研发岗位{n}")
    monkeypatch.setattr(selectors, "BROWSE_COUNT_CAP", 3)
    page = client.get("/employment/jobs/", {"region": "110000"})
    assert "超过 3 个岗位" in page.content.decode()
    assert len(page.context["results"].jobs) == 4
    api = client.get("/api/v1/employment/jobs", {"region": "110000"}).json()
    assert api["count"] == 3 and api["count_exact"] is False and len(api["items"]) == 4
    exact = client.get("/api/v1/employment/jobs", {"region": "310000"}).json()
    assert exact["count"] == 0 and exact["count_exact"] is True
