"""The forum's pages: the forum with its tabs, starting a thread, a thread of 1,000 replies (flat query count),
replying, the teaching team's buttons, hidden posts, the 课堂讨论 block in a unit and the participation it counts,
the links from the course pages, and searching within the course."""

from typing import Any

import pytest
from django.urls import reverse

from zhijiao.courses import selectors as courses
from zhijiao.courses.models import BlockProgress
from zhijiao.notifications.models import Notification

from .. import selectors, services
from ..models import Participation, Post, Thread
from .factories import PROMPT, bulk_replies, make_thread

pytestmark = pytest.mark.django_db


def prompt_block(course: Any) -> dict[str, Any]:
    outline = courses.published_outline(course=course)
    return next(
        block for node in courses.walk(outline["nodes"]) for block in node["blocks"] if block["type"] == "discussion"
    )


def test_the_forum_has_its_tabs_and_the_queue_for_the_teaching_team(client, run, learner, assistant):
    make_thread(run, learner, title="期中考试范围是什么？", kind="question")
    make_thread(run, learner, title="一起组队学习吧")
    client.force_login(learner)
    page = client.get(reverse("discussion:forum", args=[run.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "一起组队学习吧" in text and "期中考试范围是什么？" not in text
    assert "待回答" not in text
    questions = client.get(reverse("discussion:forum", args=[run.pk]) + "?tab=question").content.decode()
    assert "期中考试范围是什么？" in questions
    client.force_login(assistant)
    queue = client.get(reverse("discussion:forum", args=[run.pk]) + "?tab=unanswered").content.decode()
    assert "待回答" in queue and "期中考试范围是什么？" in queue


def test_a_member_starts_a_thread_with_the_form(client, run, learner):
    client.force_login(learner)
    url = reverse("discussion:new", args=[run.pk])
    assert client.get(url + "?kind=question").status_code == 200
    empty = client.post(url, {"kind": "question", "title": "", "body": ""})
    assert empty.status_code == 422
    too_long = client.post(url, {"kind": "question", "title": "长", "body": "字" * 10_001})
    assert too_long.status_code == 422
    made = client.post(url, {"kind": "question", "title": "链表和数组的区别", "body": "什么时候用链表？"})
    thread = Thread.objects.get()
    assert made.status_code == 302 and made.url == thread.get_absolute_url()
    assert thread.kind == "question"


def test_a_thread_of_a_thousand_replies_renders_with_a_flat_query_count(
    client, run, learner, classmate, assistant, django_assert_max_num_queries
):
    thread = make_thread(run, learner, kind="question")
    bulk_replies(thread, [classmate, assistant], 1000)
    answer = Post.objects.filter(thread=thread, is_opening=False).order_by("id").last()
    assert answer is not None
    services.answer_accept(actor=learner, post=answer)
    client.force_login(classmate)
    url = thread.get_absolute_url()
    client.get(url)  # warm the per-process outline cache, as a running server has
    with django_assert_max_num_queries(16):
        first = client.get(url)
    with django_assert_max_num_queries(16):
        last = client.get(url + "?page=20")
    assert first.status_code == 200 and last.status_code == 200
    assert "第 1 / 20 页" in first.content.decode()
    assert "第 1000 条回复" in last.content.decode()


def test_replying_voting_and_accepting_on_the_page(client, run, learner, classmate):
    thread = make_thread(run, learner, kind="question")
    client.force_login(classmate)
    replied = client.post(reverse("discussion:reply", args=[thread.pk]), {"body": "看第二章"})
    reply = Post.objects.get(thread=thread, is_opening=False)
    assert replied.status_code == 302 and replied.url.endswith(f"#post-{reply.pk}")
    refused = client.post(reverse("discussion:reply", args=[thread.pk]), {"body": ""})
    assert refused.status_code == 422
    client.force_login(learner)
    voted = client.post(reverse("discussion:vote", args=[reply.pk]), headers={"HX-Request": "true"})
    assert "已赞同" in voted.content.decode()
    client.post(reverse("discussion:accept", args=[reply.pk]))
    thread.refresh_from_db()
    assert thread.accepted_post_id == reply.pk
    assert "采纳的回答" in client.get(thread.get_absolute_url()).content.decode()


def test_a_hidden_post_shows_as_hidden_to_others_and_the_reason_to_the_team(client, run, learner, classmate, assistant):
    thread = make_thread(run, learner)
    reply = services.reply_create(actor=classmate, thread=thread, body="不当言论原文")
    client.force_login(assistant)
    form = client.get(reverse("discussion:hide", args=[reply.pk]))
    assert form.status_code == 200
    assert client.post(reverse("discussion:hide", args=[reply.pk]), {"reason": ""}).status_code == 422
    client.post(reverse("discussion:hide", args=[reply.pk]), {"reason": "人身攻击"})
    staff_view = client.get(thread.get_absolute_url()).content.decode()
    assert "不当言论原文" in staff_view and "人身攻击" in staff_view
    client.force_login(learner)
    learner_view = client.get(thread.get_absolute_url()).content.decode()
    assert "此内容已被隐藏" in learner_view and "不当言论原文" not in learner_view
    assert client.get(reverse("discussion:hide", args=[reply.pk])).status_code == 404


def test_learners_are_refused_the_teaching_teams_buttons(client, run, learner, classmate):
    thread = make_thread(run, classmate)
    client.force_login(learner)
    client.post(reverse("discussion:pin", args=[thread.pk]), {"pinned": "1"})
    client.post(reverse("discussion:close", args=[thread.pk]), {"closed": "1"})
    thread.refresh_from_db()
    assert not thread.pinned and not thread.closed


def test_reporting_from_the_page(client, run, learner, classmate):
    thread = make_thread(run, classmate)
    opening = Post.objects.get(thread=thread)
    client.force_login(learner)
    assert client.get(reverse("discussion:report", args=[opening.pk])).status_code == 200
    done = client.post(reverse("discussion:report", args=[opening.pk]), {"reason": "与课程无关"})
    assert done.status_code == 302
    opening.refresh_from_db()
    assert opening.report_count == 1


def test_outsiders_and_other_runs_see_no_forum(client, run, other_run, learner, stranger, outsider):
    thread = make_thread(run, learner)
    for user in (stranger, outsider):
        client.force_login(user)
        assert client.get(reverse("discussion:forum", args=[run.pk])).status_code == 404
        assert client.get(thread.get_absolute_url()).status_code == 404
        assert client.post(reverse("discussion:reply", args=[thread.pk]), {"body": "x"}).status_code == 404
    assert Post.objects.count() == 1


def test_the_course_and_learning_pages_link_the_forum(client, run, course, learner):
    client.force_login(learner)
    forum = reverse("discussion:forum", args=[run.pk])
    assert forum in client.get(course.get_absolute_url()).content.decode()
    assert forum in client.get(reverse("courses:learn", args=[course.pk]), follow=True).content.decode()
    assert client.get(reverse("discussion:course", args=[course.pk])).url == forum


def test_the_discussion_block_takes_answers_and_counts_participation(client, run, course, learner, assistant):
    block = prompt_block(course)
    client.force_login(learner)
    unit_page = client.get(reverse("courses:learn", args=[course.pk])).content.decode()
    assert PROMPT in unit_page
    url = reverse("discussion:block", args=[block["content_id"]])
    assert url in unit_page
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<form" in fragment.content.decode()
    answered = client.post(url, {"body": "二分查找每次减半，所以是 log n。"}, headers={"HX-Request": "true"})
    assert "二分查找每次减半" in answered.content.decode()
    client.post(url, {"body": "补充：哈希表平均 O(1)。"})
    rows = selectors.participation_for(run, learner)
    assert rows[block["content_id"]].reply_count == 2
    assert BlockProgress.objects.get(user=learner, content_id=block["content_id"]).completed_at is not None
    thread = Thread.objects.get(kind="prompt")
    assert thread.reply_count == 2
    client.force_login(assistant)
    client.post(url, {"body": "老师的点评"})
    assert Participation.objects.count() == 1  # the teaching team's answers count for nobody
    assert not Notification.objects.filter(kind="discussion_reply").exists()


def test_a_prompt_is_not_done_by_reporting_it_watched_only_by_answering(client, run, course, learner):
    block = prompt_block(course)
    client.force_login(learner)
    reported = client.post(
        f"/api/v1/courses/runs/{run.pk}/progress",
        {"content_id": block["content_id"], "opened": True, "watched": 1.0},
        content_type="application/json",
    )
    assert reported.status_code == 200
    assert BlockProgress.objects.get(user=learner, content_id=block["content_id"]).completed_at is None
    services.prompt_reply(actor=learner, run=run, content_id=block["content_id"], body="我的看法")
    assert BlockProgress.objects.get(user=learner, content_id=block["content_id"]).completed_at is not None


def test_participation_signal_is_sent_after_commit(run, course, learner, django_capture_on_commit_callbacks):
    received: list[dict[str, Any]] = []

    def listener(sender: Any, **kwargs: Any) -> None:
        received.append(kwargs)

    services.participated.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.prompt_reply(
                actor=learner, run=run, content_id=prompt_block(course)["content_id"], body="我的看法"
            )
    finally:
        services.participated.disconnect(listener)
    assert received[0]["user_id"] == learner.pk and received[0]["run_id"] == run.pk


def test_a_prompt_answer_needs_a_discussion_block_of_the_course(run, learner):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.prompt_reply(actor=learner, run=run, content_id="00000000-0000-0000-0000-000000000000", body="x")


def test_threads_and_answers_are_found_within_the_course_by_members_only(
    client, run, learner, classmate, assistant, stranger, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        thread = make_thread(run, learner, kind="question", title="快速排序为什么不稳定")
        services.reply_create(actor=assistant, thread=thread, body="因为分区时相等元素可能交换位置")
    client.force_login(classmate)
    found = client.get(reverse("discussion:forum", args=[run.pk]) + "?q=相等元素").content.decode()
    assert "快速排序为什么不稳定" in found
    from zhijiao.search import selectors as search

    assert search.search(actor=classmate, q="快速排序").total == 1
    assert search.search(actor=stranger, q="快速排序").total == 0


def test_the_forum_pages_read_in_english(client, settings, run, course, learner, assistant):
    from zhijiao.portal.tests.languages import interface_chinese

    thread = make_thread(run, learner, kind="question", title="Big O")
    reply = services.reply_create(actor=assistant, thread=thread, body="Draw the recursion tree.")
    services.answer_accept(actor=learner, post=reply)
    hidden = services.reply_create(actor=learner, thread=thread, body="spam")
    services.post_hide(actor=assistant, post=hidden, reason="spam")
    block = prompt_block(course)
    data: tuple[str, ...] = (course.title, run.title, str(learner), str(assistant), PROMPT, block["title"])
    data += ("请老师讲讲大 O 记号。",)
    data += tuple(unit.title for unit in courses.learning_index(course=course).units)
    for user in (learner, assistant):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        forum = reverse("discussion:forum", args=[run.pk])
        for url in (
            forum,
            forum + "?tab=question",
            forum + "?tab=unanswered",
            forum + "?q=recursion",
            reverse("discussion:new", args=[run.pk]),
            thread.get_absolute_url(),
            reverse("discussion:report", args=[reply.pk]),
            reverse("discussion:block", args=[block["content_id"]]),
        ):
            page = client.get(url).content.decode()
            assert interface_chinese(page, *data) == [], (url, interface_chinese(page, *data))


def test_a_visitor_reads_the_prompt_block_and_is_asked_to_sign_in_to_answer(client, course):
    url = reverse("discussion:block", args=[prompt_block(course)["content_id"]])
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<form" not in fragment.content.decode()
    assert client.post(url, {"body": "匿名发言"}).status_code == 302
    assert not Post.objects.exists()


def test_the_run_management_pages_link_the_forums_queue(client, run, course, lead):
    client.force_login(lead)
    page = client.get(reverse("courses:run_settings", args=[course.pk, run.pk])).content.decode()
    assert reverse("discussion:forum", args=[run.pk]) + "?tab=unanswered" in page
    queue = client.get(reverse("discussion:forum", args=[run.pk]) + "?tab=unanswered")
    assert "所有提问都已回复" in queue.content.decode()


def test_posting_too_often_from_the_page_is_refused_with_a_message(client, settings, run, learner):
    settings.DISCUSSION_POST_RATE = "1/min"
    thread = make_thread(run, learner)
    client.force_login(learner)
    url = reverse("discussion:reply", args=[thread.pk])
    assert client.post(url, {"body": "第一条"}).status_code == 302
    back = {"Referer": f"http://testserver{thread.get_absolute_url()}"}
    refused = client.post(url, {"body": "第二条"}, headers=back, follow=True)
    assert "发言太频繁了" in refused.content.decode()
    assert Post.objects.filter(thread=thread).count() == 2  # the opening post and the first reply
