"""The notification centre: messages, unread count in the header, marking read, email when configured."""

import pytest
from django.core import mail

from zhijiao.accounts.tests.factories import make_user
from zhijiao.notifications.models import Notification
from zhijiao.notifications.services import notify

pytestmark = pytest.mark.django_db


def test_list_unread_count_and_mark_read(client):
    user = make_user()
    first = notify(user=user, title="面试通知", body="明天 9 点", url="/employment/", kind="application")
    notify(user=user, title="第二条")
    client.force_login(user)
    page = client.get("/notifications/")
    html = page.content.decode()
    assert page.status_code == 200 and "面试通知" in html
    assert 'class="badge badge-notice">2' in client.get("/").content.decode()
    response = client.post(f"/notifications/{first.pk}/read/")
    assert response.status_code == 302 and response["Location"] == "/employment/"
    first.refresh_from_db()
    assert first.is_read
    client.post("/notifications/read-all/")
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_someone_elses_message_is_not_found(client):
    note = notify(user=make_user(), title="私信")
    client.force_login(make_user())
    assert client.post(f"/notifications/{note.pk}/read/").status_code == 404
    assert "私信" not in client.get("/notifications/").content.decode()


def test_visitors_are_sent_to_sign_in(client):
    assert client.get("/notifications/").status_code == 302


def test_emailed_when_the_user_has_an_address_and_email_is_configured(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_URL = "smtp://localhost:25"
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=make_user(email="a@example.com"), title="录用通知", body="恭喜")
        notify(user=make_user(), title="无邮箱")
    assert [m.subject for m in mail.outbox] == ["录用通知"]
    settings.EMAIL_URL = ""
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=make_user(email="b@example.com"), title="不发邮件")
    assert len(mail.outbox) == 1


def test_opening_a_message_marks_it_read_and_shows_what_it_is_about(client):
    from zhijiao.notifications.services import Link

    user = make_user()
    note = notify(
        user=user,
        title="新岗位",
        body="两个岗位：",
        links=[Link(title="岗位甲", detail="某公司 · 北京市海淀区", url="/employment/jobs/1/"), Link("乙", "/x/")],
    )
    client.force_login(user)
    page = client.get(f"/notifications/{note.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and "岗位甲" in html and "某公司 · 北京市海淀区" in html
    assert f'href="/notifications/{note.pk}/open/0/"' in html
    note.refresh_from_db()
    assert note.is_read
    client.force_login(make_user())
    assert client.get(f"/notifications/{note.pk}/").status_code == 404
    assert client.get(f"/notifications/{note.pk}/open/0/").status_code == 404


def test_a_link_to_another_site_opens_the_message_instead(client):
    from zhijiao.notifications.services import Link

    user = make_user()
    note = notify(user=user, title="外链", links=[Link(title="别处", url="https://evil.example/")])
    client.force_login(user)
    response = client.get(f"/notifications/{note.pk}/open/0/")
    assert response.status_code == 302 and response["Location"] == f"/notifications/{note.pk}/"


def test_the_list_costs_the_same_queries_for_many_messages_with_links(client, django_assert_max_num_queries):
    from zhijiao.notifications.services import Link, Message, notify_many

    user = make_user()
    links = [Link(title=f"岗位{n}", url=f"/employment/jobs/{n}/", detail="某公司") for n in range(10)]
    notify_many(messages=[Message(user_id=user.pk, title=f"推送{n}", links=links) for n in range(20)], kind="t")
    client.force_login(user)
    # session, user, total, unread, memberships (the desks row), the page of messages, session refresh (3)
    with django_assert_max_num_queries(9):
        page = client.get("/notifications/")
    assert page.content.decode().count("/open/9/") == 20
