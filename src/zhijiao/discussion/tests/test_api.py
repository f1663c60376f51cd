"""The forum through its API: threads and questions, replies (one level deep), votes, accepted answers, pinning and
closing, reports and hiding, the unanswered queue; sanitising, over-long input, the rate limit; notifications."""

from typing import Any

import pytest

from zhijiao.accounts.models import User
from zhijiao.core.models import AuditLog
from zhijiao.courses.models import Run
from zhijiao.notifications.models import Notification

from ..models import Post, Thread
from .factories import make_thread

pytestmark = pytest.mark.django_db

API = "/api/v1/discussion"


def post(client: Any, url: str, data: Any = None) -> Any:
    return client.post(f"{API}{url}", data or {}, content_type="application/json")


def ask(client: Any, user: User, run: Run, **data: Any) -> Any:
    client.force_login(user)
    payload = {"kind": "question", "title": "递归的时间复杂度怎么算？", "body": "<p>斐波那契递归为什么是指数级？</p>"}
    return post(client, f"/runs/{run.pk}/threads", {**payload, **data})


def test_a_learner_asks_an_assistant_answers_and_the_asker_accepts(client, run, learner, assistant):
    created = ask(client, learner, run)
    assert created.status_code == 201, created.json()
    thread_id = created.json()["id"]

    client.force_login(assistant)
    queue = client.get(f"{API}/runs/{run.pk}/unanswered").json()
    assert [item["id"] for item in queue["threads"]] == [thread_id]
    answer = post(client, f"/threads/{thread_id}/replies", {"body": "<p>画出递归树：每层翻倍。</p>"})
    assert answer.status_code == 201
    assert answer.json()["by_staff"] is True
    assert client.get(f"{API}/runs/{run.pk}/unanswered").json()["threads"] == []
    told = Notification.objects.get(user=learner, kind="discussion_answer")
    assert "递归的时间复杂度怎么算？" in told.title
    assert told.url.endswith(f"#post-{answer.json()['id']}")

    client.force_login(learner)
    accepted = post(client, f"/posts/{answer.json()['id']}/accept")
    assert accepted.status_code == 200
    assert accepted.json()["accepted_post_id"] == answer.json()["id"]
    assert Notification.objects.filter(user=assistant, kind="discussion_accepted").count() == 1
    page = client.get(f"{API}/threads/{thread_id}").json()
    assert page["accepted"]["id"] == answer.json()["id"]


def test_staff_accepting_tells_the_asker(client, run, learner, classmate, lead):
    thread = make_thread(run, learner, kind="question")
    client.force_login(classmate)
    answer = post(client, f"/threads/{thread.pk}/replies", {"body": "看课本第三章"}).json()
    client.force_login(lead)
    assert post(client, f"/posts/{answer['id']}/accept").status_code == 200
    assert Notification.objects.filter(user=learner, kind="discussion_accepted").count() == 1
    assert Notification.objects.filter(user=classmate, kind="discussion_accepted").count() == 1


def test_replies_nest_one_level_and_tell_whom_they_answer(client, run, learner, classmate, assistant):
    thread = make_thread(run, learner)
    client.force_login(classmate)
    first = post(client, f"/threads/{thread.pk}/replies", {"body": "我也想知道"}).json()
    client.force_login(assistant)
    second = post(client, f"/threads/{thread.pk}/replies", {"body": "见第二讲", "parent_id": first["id"]}).json()
    client.force_login(learner)
    third = post(client, f"/threads/{thread.pk}/replies", {"body": "谢谢", "parent_id": second["id"]}).json()
    assert second["parent_id"] == first["id"]
    assert third["parent_id"] == first["id"]  # a reply to a reply stands under the same parent
    assert Notification.objects.filter(user=classmate, kind="discussion_reply").count() == 1  # the assistant's
    assert Notification.objects.filter(user=assistant, kind="discussion_reply").count() == 1  # the learner's
    page = client.get(f"{API}/threads/{thread.pk}").json()
    assert [item["id"] for item in page["replies"]] == [first["id"], second["id"], third["id"]]
    thread.refresh_from_db()
    assert thread.reply_count == 3


def test_mentions_reach_members_of_the_same_run_only(client, run, learner, classmate, stranger):
    client.force_login(learner)
    made = post(
        client,
        f"/runs/{run.pk}/threads",
        {"title": "小组作业分工", "body": "@王芳你负责第一题，@赵磊 也来看看", "kind": "discussion"},
    )
    assert made.status_code == 201
    assert Notification.objects.filter(user=classmate, kind="discussion_mention").count() == 1
    assert not Notification.objects.filter(user=stranger).exists()


def test_votes_toggle_once_per_member_and_not_on_ones_own_post(client, run, learner, classmate):
    thread = make_thread(run, learner)
    opening = Post.objects.get(thread=thread, is_opening=True)
    client.force_login(classmate)
    assert post(client, f"/posts/{opening.pk}/vote").json() == {"voted": True, "vote_count": 1}
    assert post(client, f"/posts/{opening.pk}/vote").json() == {"voted": False, "vote_count": 0}
    assert post(client, f"/posts/{opening.pk}/vote").json() == {"voted": True, "vote_count": 1}
    client.force_login(learner)
    own = post(client, f"/posts/{opening.pk}/vote")
    assert own.status_code == 409
    assert own.json()["code"] == "own_post"


def test_pin_and_close_by_the_teaching_team(client, run, learner, assistant):
    thread = make_thread(run, learner)
    client.force_login(assistant)
    assert post(client, f"/threads/{thread.pk}/pin", {"pinned": True}).json()["pinned"] is True
    assert post(client, f"/threads/{thread.pk}/close", {"closed": True}).json()["closed"] is True
    client.force_login(learner)
    refused = post(client, f"/threads/{thread.pk}/replies", {"body": "还能回复吗"})
    assert refused.status_code == 409
    assert refused.json()["code"] == "thread_closed"
    listing = client.get(f"{API}/runs/{run.pk}/threads").json()
    assert listing["threads"][0]["pinned"] is True
    assert AuditLog.objects.filter(action="discussion.thread.close").count() == 1


def test_reports_and_hiding_with_a_reason(client, run, learner, classmate, assistant):
    thread = make_thread(run, learner)
    client.force_login(classmate)
    reply = post(client, f"/threads/{thread.pk}/replies", {"body": "广告：代写作业"}).json()
    client.force_login(learner)
    assert post(client, f"/posts/{reply['id']}/report", {"reason": "广告"}).status_code == 201
    again = post(client, f"/posts/{reply['id']}/report", {"reason": "广告"})
    assert again.status_code == 409
    empty = post(client, f"/posts/{reply['id']}/report", {"reason": "  "})
    assert empty.status_code in (409, 422)
    client.force_login(assistant)
    no_reason = post(client, f"/posts/{reply['id']}/hide", {"reason": ""})
    assert no_reason.status_code == 422
    assert "reason" in no_reason.json()["fields"]
    hidden = post(client, f"/posts/{reply['id']}/hide", {"reason": "广告信息"})
    assert hidden.status_code == 200
    entry = AuditLog.objects.get(action="discussion.post.hide")
    assert entry.detail["reason"] == "广告信息"
    client.force_login(learner)
    shown = client.get(f"{API}/threads/{thread.pk}").json()["replies"][0]
    assert shown["hidden"] is True
    assert shown["body"] == ""


def test_posts_are_sanitised_and_overlong_input_is_a_field_error(client, run, learner):
    client.force_login(learner)
    made = post(
        client,
        f"/runs/{run.pk}/threads",
        {
            "title": "XSS",
            "body": '<p onclick="x()">你好<script>alert(1)</script><a href="javascript:alert(1)">链接</a></p>',
        },
    )
    assert made.status_code == 201
    body = Post.objects.get(thread_id=made.json()["id"]).body
    assert "script" not in body
    assert "onclick" not in body
    assert "javascript" not in body
    long = post(client, f"/runs/{run.pk}/threads", {"title": "长", "body": "字" * 10_001})
    assert long.status_code == 422
    assert "body" in long.json()["fields"]
    long_title = post(client, f"/runs/{run.pk}/threads", {"title": "题" * 121, "body": "内容"})
    assert long_title.status_code == 422
    assert "title" in long_title.json()["fields"]
    only_markup = post(client, f"/runs/{run.pk}/threads", {"title": "空", "body": "<script>1</script>"})
    assert only_markup.status_code == 422
    bad_unit = post(client, f"/runs/{run.pk}/threads", {"title": "单元", "body": "内容", "unit": "not-a-uuid"})
    assert bad_unit.status_code == 422
    assert Thread.objects.count() == 1


def test_posting_is_rate_limited(client, settings, run, learner):
    settings.DISCUSSION_POST_RATE = "2/min"
    client.force_login(learner)
    for n in range(2):
        assert post(client, f"/runs/{run.pk}/threads", {"title": f"第{n}帖", "body": "内容"}).status_code == 201
    third = post(client, f"/runs/{run.pk}/threads", {"title": "第三帖", "body": "内容"})
    assert third.status_code == 429
    assert third.json()["code"] == "rate_limited"
    assert "秒后再试" in third.json()["message"]
    assert third.headers["Retry-After"]
    assert Thread.objects.count() == 2


# --- Refused roles ---------------------------------------------------------------------------------------------


def test_non_members_cannot_read_or_post(client, run, learner, outsider, stranger):
    thread = make_thread(run, learner)
    for user in (outsider, stranger):
        client.force_login(user)
        assert client.get(f"{API}/runs/{run.pk}/threads").status_code == 404
        assert ask(client, user, run).status_code == 404
        assert client.get(f"{API}/threads/{thread.pk}").status_code == 404
        assert post(client, f"/threads/{thread.pk}/replies", {"body": "我来了"}).status_code == 404
    client.logout()
    assert client.get(f"{API}/threads/{thread.pk}").status_code == 401
    assert Post.objects.count() == 1


def test_another_runs_thread_is_not_there(client, run, other_run, learner, stranger):
    theirs = make_thread(other_run, stranger)
    opening = Post.objects.get(thread=theirs)
    client.force_login(learner)
    assert client.get(f"{API}/threads/{theirs.pk}").status_code == 404
    assert post(client, f"/posts/{opening.pk}/vote").status_code == 404
    assert post(client, f"/posts/{opening.pk}/report", {"reason": "x"}).status_code == 404


def test_learners_cannot_pin_close_or_hide(client, run, learner, classmate):
    thread = make_thread(run, classmate)
    opening = Post.objects.get(thread=thread)
    client.force_login(learner)
    assert post(client, f"/threads/{thread.pk}/pin", {"pinned": True}).status_code == 403
    assert post(client, f"/threads/{thread.pk}/close", {"closed": True}).status_code == 403
    assert post(client, f"/posts/{opening.pk}/hide", {"reason": "不喜欢"}).status_code == 403
    assert client.get(f"{API}/runs/{run.pk}/unanswered").status_code == 404
    thread.refresh_from_db()
    assert not thread.pinned and not thread.closed and not thread.hidden


def test_a_learner_cannot_accept_an_answer_to_someone_elses_question(client, run, learner, classmate, assistant):
    thread = make_thread(run, classmate, kind="question")
    client.force_login(assistant)
    answer = post(client, f"/threads/{thread.pk}/replies", {"body": "答案"}).json()
    client.force_login(learner)
    refused = post(client, f"/posts/{answer['id']}/accept")
    assert refused.status_code == 403
    thread.refresh_from_db()
    assert thread.accepted_post_id is None


def test_only_questions_have_accepted_answers(client, run, learner, classmate):
    thread = make_thread(run, learner)
    client.force_login(classmate)
    reply = post(client, f"/threads/{thread.pk}/replies", {"body": "同意"}).json()
    client.force_login(learner)
    assert post(client, f"/posts/{reply['id']}/accept").status_code == 409
