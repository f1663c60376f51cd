"""The teaching team's report queue (oldest first, excerpt, how many reported and why; hide with a reason or dismiss,
audit-logged; a badge on the forum) and showing a hidden post again with a reason — and learners refused at each."""

from typing import Any

import pytest
from django.urls import reverse

from zhijiao.core.models import AuditLog

from .. import services
from ..models import Post, Report
from .factories import make_thread

pytestmark = pytest.mark.django_db
API = "/api/v1/discussion"


def reported(run: Any, author: Any, reporters: list[Any], body: str) -> Post:
    thread = make_thread(run, author, title=f"关于{body}")
    post = Post.objects.get(thread=thread, is_opening=True)
    Post.objects.filter(pk=post.pk).update(body=f"<p>{body}</p>")
    post.body = f"<p>{body}</p>"
    for n, reporter in enumerate(reporters):
        services.post_report(actor=reporter, post=post, reason=f"理由{n + 1}：{body}")
    return post


def test_the_report_queue_lists_reported_posts_oldest_first_with_reasons_and_a_badge(
    client, run, learner, classmate, assistant, stranger
):
    first = reported(run, learner, [classmate, assistant], "代写作业联系我")
    second = reported(run, classmate, [learner], "无关的广告")
    client.force_login(assistant)
    forum = client.get(reverse("discussion:forum", args=[run.pk])).content.decode()
    assert reverse("discussion:reports", args=[run.pk]) in forum and '举报处理 <span class="badge">2</span>' in forum
    page = client.get(reverse("discussion:reports", args=[run.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert text.index("代写作业联系我") < text.index("无关的广告")
    assert "2 人举报" in text and "1 人举报" in text
    assert "理由1：代写作业联系我" in text and "理由2：代写作业联系我" in text
    listing = client.get(f"{API}/runs/{run.pk}/reports").json()
    assert [row["post"]["id"] for row in listing["posts"]] == [first.pk, second.pk]
    assert len(listing["posts"][0]["reports"]) == 2


def test_the_teaching_team_hides_a_reported_post_from_the_queue_with_a_reason(
    client, run, learner, classmate, assistant
):
    post = reported(run, learner, [classmate], "代写作业联系我")
    client.force_login(assistant)
    url = reverse("discussion:report_handle", args=[run.pk, post.pk])
    no_reason = client.post(url, {"action": "hide", "reason": ""})
    assert no_reason.status_code == 303
    post.refresh_from_db()
    assert not post.is_hidden
    done = client.post(url, {"action": "hide", "reason": "广告"})
    assert done.status_code == 302
    post.refresh_from_db()
    assert post.is_hidden and post.hidden_reason == "广告"
    assert not Report.objects.filter(resolved=False).exists()
    assert AuditLog.objects.get(action="discussion.post.hide").detail["reason"] == "广告"
    assert "没有待处理的举报" in client.get(reverse("discussion:reports", args=[run.pk])).content.decode()


def test_the_teaching_team_dismisses_reports_and_the_post_stays(client, run, learner, classmate, assistant):
    post = reported(run, learner, [classmate], "正常的提问")
    client.force_login(assistant)
    done = client.post(reverse("discussion:report_handle", args=[run.pk, post.pk]), {"action": "dismiss"})
    assert done.status_code == 302
    post.refresh_from_db()
    assert not post.is_hidden
    assert Report.objects.get().resolved
    assert AuditLog.objects.get(action="discussion.report.dismiss").detail["reports"] == 1
    again = client.post(f"{API}/posts/{post.pk}/dismiss", {}, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "no_open_reports"


def test_learners_are_refused_the_report_queue(client, run, learner, classmate, assistant):
    post = reported(run, learner, [assistant], "代写作业联系我")
    client.force_login(classmate)
    assert client.get(reverse("discussion:reports", args=[run.pk])).status_code == 404
    refused = client.post(
        reverse("discussion:report_handle", args=[run.pk, post.pk]), {"action": "hide", "reason": "x"}
    )
    assert refused.status_code == 404
    assert client.get(f"{API}/runs/{run.pk}/reports").status_code == 404
    api = client.post(f"{API}/posts/{post.pk}/dismiss", {}, content_type="application/json")
    assert api.status_code == 403
    assert "举报处理" not in client.get(reverse("discussion:forum", args=[run.pk])).content.decode()
    post.refresh_from_db()
    assert not post.is_hidden and Report.objects.filter(resolved=False).count() == 1


def test_the_teaching_team_shows_a_hidden_post_again_from_the_thread_page_with_a_reason(
    client, run, learner, classmate, assistant
):
    thread = make_thread(run, learner)
    reply = services.reply_create(actor=classmate, thread=thread, body="被误隐藏的回答")
    services.post_hide(actor=assistant, post=reply, reason="看错了")
    client.force_login(assistant)
    page = client.get(thread.get_absolute_url()).content.decode()
    url = reverse("discussion:unhide", args=[reply.pk])
    assert url in page
    form = client.get(url)
    assert form.status_code == 200 and "看错了" in form.content.decode()
    assert client.post(url, {"reason": ""}).status_code == 422
    done = client.post(url, {"reason": "内容没有问题"})
    assert done.status_code == 302
    reply.refresh_from_db()
    assert not reply.is_hidden
    entry = AuditLog.objects.get(action="discussion.post.unhide")
    assert entry.detail["reason"] == "内容没有问题" and entry.detail["hidden_for"] == "看错了"
    client.force_login(learner)
    assert "被误隐藏的回答" in client.get(thread.get_absolute_url()).content.decode()


def test_learners_cannot_show_a_hidden_post_again(client, run, learner, classmate, assistant):
    thread = make_thread(run, learner)
    reply = services.reply_create(actor=classmate, thread=thread, body="被隐藏的回答")
    services.post_hide(actor=assistant, post=reply, reason="广告")
    client.force_login(learner)
    assert client.get(reverse("discussion:unhide", args=[reply.pk])).status_code == 404
    assert client.post(reverse("discussion:unhide", args=[reply.pk]), {"reason": "我觉得没问题"}).status_code == 404
    api = client.post(f"{API}/posts/{reply.pk}/unhide", {"reason": "我觉得没问题"}, content_type="application/json")
    assert api.status_code == 403
    reply.refresh_from_db()
    assert reply.is_hidden
    client.force_login(assistant)
    no_reason = client.post(f"{API}/posts/{reply.pk}/unhide", {"reason": " "}, content_type="application/json")
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["fields"]
