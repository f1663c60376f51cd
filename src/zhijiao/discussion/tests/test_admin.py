"""Staff screens: threads, posts and reports list; hiding from the admin asks for a reason and goes through the
service (audit-logged), as the teaching team's button does."""

from typing import Any

import pytest

from zhijiao.accounts.tests.factories import make_user
from zhijiao.core.models import AuditLog

from .. import services
from ..models import Post
from .factories import make_thread

pytestmark = pytest.mark.django_db


def test_staff_hide_reported_posts_with_a_reason(client: Any, run: Any, learner: Any, classmate: Any) -> None:
    thread = make_thread(run, learner)
    reply = services.reply_create(actor=classmate, thread=thread, body="加微信代写作业")
    services.post_report(actor=learner, post=reply, reason="广告")
    staff = make_user(is_staff=True, is_superuser=True)
    client.force_login(staff)
    for screen in ("thread", "post", "report", "vote", "participation"):
        assert client.get(f"/admin/discussion/{screen}/").status_code == 200
    assert client.get(f"/admin/discussion/thread/{thread.pk}/change/").status_code == 200
    asked = client.post("/admin/discussion/post/", {"action": "hide_posts", "_selected_action": [reply.pk]})
    assert asked.status_code == 200 and "隐藏原因" in asked.content.decode()
    reply.refresh_from_db()
    assert reply.hidden_at is None
    done = client.post(
        "/admin/discussion/post/",
        {"action": "hide_posts", "_selected_action": [reply.pk], "reason": "广告信息", "apply": "1"},
        follow=True,
    )
    assert done.status_code == 200
    reply.refresh_from_db()
    assert reply.hidden_reason == "广告信息" and reply.hidden_by == staff
    assert AuditLog.objects.filter(action="discussion.post.hide", actor=staff).count() == 1
    assert reply.reports.get().resolved


def test_teachers_have_no_admin(client: Any, lead: Any) -> None:
    client.force_login(lead)
    assert client.get("/admin/discussion/post/").status_code == 302
    assert not Post.objects.exists()
