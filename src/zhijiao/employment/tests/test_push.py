"""Job push: preferences, the daily set-based match, notifications with a one-click stop, statistics."""

import pytest
from django.core import mail
from django.utils import timezone

from zhijiao.accounts.tests.factories import make_user
from zhijiao.employment import services
from zhijiao.employment.models import Graduate, JobPush, PushRun
from zhijiao.employment.tests.factories import make_graduate, make_job

pytestmark = pytest.mark.django_db


def test_daily_match_follows_preferences_major_and_education(recruiter, employer, university, regions, settings):
    settings.EMAIL_URL = ""
    wants_beijing = make_graduate(make_user(), university)
    services.push_preferences_update(
        graduate=wants_beijing, region_codes=["110000"], industries=["C"], occupations=[], salary_min=10000
    )
    wants_shanghai = make_graduate(make_user(), university)
    services.push_preferences_update(
        graduate=wants_shanghai, region_codes=["310000"], industries=[], occupations=[], salary_min=None
    )
    engineer = make_graduate(make_user(), university, discipline="08")
    services.push_preferences_update(
        graduate=engineer, region_codes=["110000"], industries=[], occupations=[], salary_min=None
    )
    junior = make_graduate(make_user(), university, education=2)
    stopped = make_graduate(make_user(), university)
    services.push_preferences_update(
        graduate=stopped, region_codes=[], industries=[], occupations=[], salary_min=None, enabled=False
    )

    beijing_job = make_job(recruiter, employer)  # 海淀, industry C, bachelor, disciplines 07/10, up to 20000
    shanghai_job = make_job(recruiter, employer, title="上海岗位", region_codes=["310115"], disciplines=[])
    low_paid = make_job(recruiter, employer, title="低薪岗位", salary_min=3000, salary_max=5000)

    report = services.push_daily()
    pairs = set(JobPush.objects.values_list("graduate_id", "job_id"))
    assert (wants_beijing.pk, beijing_job.pk) in pairs
    assert (wants_beijing.pk, low_paid.pk) not in pairs  # below the salary floor
    assert (wants_beijing.pk, shanghai_job.pk) not in pairs
    assert (wants_shanghai.pk, shanghai_job.pk) in pairs and (wants_shanghai.pk, beijing_job.pk) not in pairs
    assert not any(g == engineer.pk for g, _j in pairs)  # 工学 is not among the Beijing jobs' disciplines
    assert not any(g == junior.pk for g, _j in pairs)  # 大专 below 本科
    assert not any(g == stopped.pk for g, _j in pairs)
    # no region preference: the university's province (北京) is used
    default = make_graduate(make_user(), university)
    services.push_daily()
    assert JobPush.objects.filter(graduate=default, job=beijing_job).exists()
    assert report.recipients == 2 and PushRun.objects.get().recipients >= 2
    note = wants_beijing.user.notifications.get(kind="job_push")
    assert "1 个新岗位" in note.body and note.stop_url.startswith("/employment/push/stop/")
    assert note.links == [
        {
            "title": beijing_job.title,
            "detail": f"{employer.name} · 北京市海淀区 · 12,000–20,000 元/月",
            "url": beijing_job.get_absolute_url(),
        }
    ]


def test_graduates_without_city_preference_get_their_universitys_province(recruiter, employer, university, regions):
    graduate = make_graduate(make_user(), university)
    job = make_job(recruiter, employer)
    services.push_daily()
    assert JobPush.objects.filter(graduate=graduate, job=job).exists()
    again = services.push_daily()
    assert again.pushes == 0  # never the same job twice


def test_push_emails_when_configured(
    recruiter, employer, university, regions, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_URL = "smtp://localhost:25"
    graduate = make_graduate(make_user(email="grad@example.com"), university)
    make_job(recruiter, employer)
    with django_capture_on_commit_callbacks(execute=True):
        services.push_daily()
    assert [m.to for m in mail.outbox] == [["grad@example.com"]]
    assert graduate.user.notifications.get().emailed_at is not None


def test_one_click_stop_without_signing_in(client, university, regions):
    graduate = make_graduate(make_user(), university)
    token = services.push_stop_token(graduate)
    page = client.get(f"/employment/push/stop/{token}/")
    assert page.status_code == 200
    response = client.post(f"/employment/push/stop/{token}/")
    assert response.status_code == 200
    graduate.refresh_from_db()
    assert graduate.push_enabled is False
    assert client.post(f"/employment/push/stop/{graduate.pk}:forged/").status_code == 404
    assert client.get(f"/employment/push/stop/{graduate.pk}:forged/").status_code == 404


def test_a_push_lists_its_jobs_each_links_to_its_page_and_the_stop_button_works_from_the_site(
    client, recruiter, employer, university, regions
):
    graduate = make_graduate(make_user(), university)
    first = make_job(recruiter, employer, title="生物制药研发工程师")
    second = make_job(recruiter, employer, title="药物分析研究员", salary_min=6000, salary_max=9000)
    services.push_daily()
    note = graduate.user.notifications.get(kind="job_push")
    assert [link["title"] for link in note.links] == [first.title, second.title]  # best paid first

    client.force_login(graduate.user)
    page = client.get("/notifications/").content.decode()
    assert first.title in page and second.title in page and "9,000" in page
    assert f'href="/notifications/{note.pk}/open/1/"' in page and f'action="{note.stop_url}"' in page
    assert "/employment/push/stop/" not in page.replace(f'action="{note.stop_url}"', "")  # no raw path as text
    response = client.get(f"/notifications/{note.pk}/open/1/")
    assert response.status_code == 302 and response["Location"] == second.get_absolute_url()
    note.refresh_from_db()
    assert note.is_read
    assert client.get(f"/notifications/{note.pk}/open/9/").status_code == 404

    # One click on the button in the notification centre (a real form post, CSRF checked) stops the pushes.
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(graduate.user)
    listing = browser.get("/notifications/")
    token = listing.cookies["csrftoken"].value
    stopped = browser.post(note.stop_url, {"csrfmiddlewaretoken": token})
    assert stopped.status_code == 200 and "已停止岗位推送" in stopped.content.decode()
    graduate.refresh_from_db()
    assert graduate.push_enabled is False


def test_push_email_has_full_links_and_one_click_unsubscribe(
    recruiter, employer, university, regions, settings, django_capture_on_commit_callbacks
):
    from django.test import Client

    settings.EMAIL_URL = "smtp://localhost:25"
    settings.PUBLIC_ORIGIN = "https://edu.example.cn"
    graduate = make_graduate(make_user(email="grad@example.com"), university)
    job = make_job(recruiter, employer)
    with django_capture_on_commit_callbacks(execute=True):
        services.push_daily()
    message = mail.outbox[0]
    assert f"https://edu.example.cn{job.get_absolute_url()}" in message.body and job.title in message.body
    stop = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert stop.startswith("https://edu.example.cn/employment/push/stop/") and stop in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # RFC 8058: the mail program POSTs "List-Unsubscribe=One-Click" to the address, no cookie, no CSRF token.
    answer = Client(enforce_csrf_checks=True).post(
        stop.removeprefix("https://edu.example.cn"), {"List-Unsubscribe": "One-Click"}
    )
    assert answer.status_code == 200
    graduate.refresh_from_db()
    assert graduate.push_enabled is False


def test_an_expired_stop_link_says_so_and_changes_nothing(client, university, regions):
    import time
    from unittest import mock

    graduate = make_graduate(make_user(), university)
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 61 * 86400):
        token = services.push_stop_token(graduate)
    page = client.get(f"/employment/push/stop/{token}/")
    assert page.status_code == 410 and "已过期" in page.content.decode()
    client.post(f"/employment/push/stop/{token}/")
    graduate.refresh_from_db()
    assert graduate.push_enabled is True


def test_preferences_page(client, graduate_user, regions):
    client.force_login(graduate_user)
    response = client.post(
        "/employment/me/push/",
        {"region_codes": "110000,310000", "industries": ["C", "I"], "salary_min": "8000", "enabled": "on"},
    )
    assert response.status_code == 302
    graduate = Graduate.objects.get(user=graduate_user)
    assert graduate.has_region_pref and graduate.has_industry_pref and graduate.push_salary_min == 8000
    bad = client.post("/employment/me/push/", {"region_codes": "999999", "enabled": "on"})
    assert bad.status_code == 422


def test_statistics_on_the_landing_page(client, job, graduate):
    services.push_daily()
    page = client.get("/employment/")
    stats = page.context["stats"]
    assert stats.jobs_open == 1 and stats.jobs_new == 1 and stats.graduates == 1 and stats.pushes_today == 1
    assert PushRun.objects.filter(day=timezone.localdate()).exists()
