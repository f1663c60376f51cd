"""Applications: apply once, the employer's pipeline with times and places, notifications, withdrawal, and
who may see what (a graduate only their own, an employer only its own jobs' applications)."""

import pytest

from zhijiao.accounts.tests.factories import make_user
from zhijiao.employment.models import Application, Job
from zhijiao.employment.tests.factories import make_employer, make_graduate, make_recruiter, make_resume

pytestmark = pytest.mark.django_db


def _apply(client, job, resume):
    return client.post(
        f"/api/v1/employment/jobs/{job.pk}/applications", {"resume_id": resume.pk}, content_type="application/json"
    )


def test_graduate_applies_once(client, graduate_user, resume, job, recruiter):
    client.force_login(graduate_user)
    first = _apply(client, job, resume)
    second = _apply(client, job, resume)
    assert first.status_code == 201 and first.json()["status"] == "submitted"
    assert second.status_code == 409 and second.json()["code"] == "already_applied"
    application = Application.objects.get()
    assert application.resume_snapshot["full_name"] == "李同学"
    assert recruiter.notifications.filter(kind="application").exists()


def test_apply_through_the_page(client, graduate_user, resume, job):
    client.force_login(graduate_user)
    page = client.get(job.get_absolute_url())
    assert "投递" in page.content.decode()
    response = client.post(f"/employment/jobs/{job.pk}/apply/", {"resume": resume.pk})
    application = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == application.get_absolute_url()


def test_cannot_apply_with_someone_elses_resume_or_to_a_closed_job(client, graduate_user, job, recruiter):
    other = make_resume(make_user())
    client.force_login(graduate_user)
    assert _apply(client, job, other).status_code == 404
    own = make_resume(graduate_user)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.CLOSED)
    assert _apply(client, job, own).status_code == 404


def _applied(client, graduate_user, resume, job):
    client.force_login(graduate_user)
    _apply(client, job, resume)
    client.logout()
    return Application.objects.get()


def test_pipeline_moves_with_times_places_and_notifications(client, graduate_user, resume, job, recruiter):
    application = _applied(client, graduate_user, resume, job)
    client.force_login(recruiter)
    detail = client.get(application.get_absolute_url())
    assert detail.status_code == 200
    application.refresh_from_db()
    assert application.status == "viewed"
    refused = client.post(
        f"/employment/applications/{application.pk}/move/", {"status": "interview", "place": "会议室"}, follow=True
    )
    assert "请填写笔试或面试的时间" in refused.content.decode()
    client.post(
        f"/employment/applications/{application.pk}/move/",
        {
            "status": "written_test",
            "scheduled_at": "2030-05-01T09:00",
            "place": "北京市海淀区中关村大街 1 号",
            "note": "带身份证",
        },
    )
    response = client.post(
        f"/api/v1/employment/applications/{application.pk}/events",
        {"status": "interview", "scheduled_at": "2030-05-08T14:00:00+08:00", "link": "https://meeting.example.com/1"},
        content_type="application/json",
    )
    assert response.status_code == 201
    client.post(f"/employment/applications/{application.pk}/move/", {"status": "offer", "note": "欢迎加入"})
    application.refresh_from_db()
    assert application.status == "offer"
    events = list(application.events.values_list("status", flat=True))
    assert events == ["submitted", "viewed", "written_test", "interview", "offer"]
    assert application.events.get(status="written_test").place.startswith("北京市")
    titles = list(graduate_user.notifications.values_list("title", flat=True))
    assert any("笔试" in t for t in titles) and any("录用通知" in t for t in titles)
    bad = client.post(
        f"/api/v1/employment/applications/{application.pk}/events",
        {"status": "viewed"},
        content_type="application/json",
    )
    assert bad.status_code == 409 and bad.json()["code"] == "invalid_transition"


def test_graduate_withdraws(client, graduate_user, resume, job):
    application = _applied(client, graduate_user, resume, job)
    client.force_login(graduate_user)
    response = client.post(
        f"/api/v1/employment/applications/{application.pk}/withdraw", content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    again = client.post(f"/api/v1/employment/applications/{application.pk}/withdraw", content_type="application/json")
    assert again.status_code == 409


def test_graduate_cannot_see_another_graduates_application(client, graduate_user, resume, job, university):
    application = _applied(client, graduate_user, resume, job)
    other = make_graduate(make_user(), university).user
    client.force_login(other)
    assert client.get(application.get_absolute_url()).status_code == 404
    assert client.get(f"/api/v1/employment/applications/{application.pk}").status_code == 404
    assert client.post(f"/api/v1/employment/applications/{application.pk}/withdraw").status_code == 404
    assert client.get("/api/v1/employment/applications").json() == []


def test_employer_sees_only_its_own_jobs_applications(client, graduate_user, resume, job, regions):
    application = _applied(client, graduate_user, resume, job)
    other_recruiter = make_recruiter(make_employer())
    client.force_login(other_recruiter)
    assert client.get(application.get_absolute_url()).status_code == 404
    assert client.get(f"/employment/jobs/{job.pk}/applications/").status_code == 404
    moved = client.post(
        f"/api/v1/employment/applications/{application.pk}/events", {"status": "offer"}, content_type="application/json"
    )
    assert moved.status_code == 404
    assert client.get(f"/employment/resumes/{resume.pk}/view/").status_code == 404
    application.refresh_from_db()
    assert application.status == "submitted"


@pytest.mark.parametrize("role", ["student", "employment_staff", "platform_admin"])
def test_other_roles_cannot_move_an_application(client, users, graduate_user, resume, job, role):
    application = _applied(client, graduate_user, resume, job)
    client.force_login(users[role])
    response = client.post(
        f"/api/v1/employment/applications/{application.pk}/events", {"status": "offer"}, content_type="application/json"
    )
    assert response.status_code == 404


def test_recruiter_reads_the_resume_sent_to_them(client, graduate_user, resume, job, recruiter):
    _applied(client, graduate_user, resume, job)
    client.force_login(recruiter)
    assert client.get(f"/employment/resumes/{resume.pk}/view/").status_code == 200
    pdf = client.get(f"/employment/resumes/{resume.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_pipeline_page_query_count_is_pinned(
    client, recruiter, employer, job, university, django_assert_max_num_queries
):
    from zhijiao.employment import services

    for n in range(15):
        user = make_user()
        make_graduate(user, university)
        services.application_submit(graduate=user, job=job, resume=make_resume(user, title=f"简历{n}"))
    client.force_login(recruiter)
    with django_assert_max_num_queries(14):
        response = client.get(f"/employment/jobs/{job.pk}/applications/")
    assert len(response.context["page"].object_list) == 15


def test_resume_editor_versions_and_pdf(client, graduate_user):
    client.force_login(graduate_user)
    response = client.post(
        "/employment/resumes/new/",
        {"title": "研发岗", "full_name": "李同学", "privacy": "private", "phone": "13912345678"},
    )
    resume = graduate_user.resumes.get()
    assert response["Location"] == resume.get_absolute_url()
    client.post(
        resume.get_absolute_url(),
        {
            "part": "entry",
            "section": "internship",
            "title": "北京某药企",
            "subtitle": "实习生",
            "start": "2024-07-01",
            "end": "2024-09-01",
            "detail": "细胞实验",
        },
    )
    bad = client.post(
        resume.get_absolute_url(),
        {"part": "entry", "section": "project", "title": "项目", "start": "2024-07-01", "end": "2024-01-01"},
    )
    assert bad.status_code == 422
    assert resume.entries.count() == 1
    client.post(f"/employment/resumes/{resume.pk}/action/", {"action": "copy"})
    assert graduate_user.resumes.count() == 2
    pdf = client.get(f"/employment/resumes/{resume.pk}/pdf/")
    assert pdf.status_code == 200 and b"%PDF" in b"".join(pdf.streaming_content)[:10]


def test_someone_elses_resume_is_not_found(client, graduate_user, resume):
    client.force_login(make_user())
    assert client.get(resume.get_absolute_url()).status_code == 404
    assert client.get(f"/employment/resumes/{resume.pk}/pdf/").status_code == 404


def test_a_refused_page_action_goes_back_to_the_page_with_the_reason(client, graduate_user, resume, job):
    _applied(client, graduate_user, resume, job)
    client.force_login(graduate_user)
    page = f"http://testserver{resume.get_absolute_url()}"
    response = client.post(f"/employment/resumes/{resume.pk}/action/", {"action": "delete"}, HTTP_REFERER=page)
    assert response.status_code == 303 and response["Location"] == page
    assert "这份简历已用于投递" in client.get(resume.get_absolute_url()).content.decode()
    assert graduate_user.resumes.filter(pk=resume.pk).exists()
