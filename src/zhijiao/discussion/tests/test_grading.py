"""课堂讨论 in the run's grade: an answer to a prompt reports the learner's score through the course engine, the run
learns of its prompts (shown as missing) when its forum or a prompt is read, a prompt may ask for several answers,
hiding an answer takes it off the score, and a run whose policy has no 课堂讨论 category is left alone."""

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhijiao.courses import selectors as courses
from zhijiao.courses import services as course_services
from zhijiao.courses.models import Block, CourseGrade, GradedItem, Score

from .. import services
from ..blocks import DiscussionBlock
from ..models import Post
from ..services.grading import POINTS, prompt_earned
from .test_pages import prompt_block

pytestmark = pytest.mark.django_db


@pytest.fixture
def answer(client: Any, django_capture_on_commit_callbacks: Any) -> Any:
    """Answer a prompt on its page, running what waits for the commit (the score is reported then)."""

    def post(block: dict[str, Any], body: str) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("discussion:block", args=[block["content_id"]]), {"body": body})
        assert response.status_code == 302

    return post


def test_a_learners_answer_shows_in_the_discussion_category_of_their_progress_page(
    client, run, course, learner, answer
):
    block = prompt_block(course)
    client.force_login(learner)
    answer(block, "二分查找每次减半，所以是 log n。")
    score = Score.objects.get(run=run, user=learner, content_id=block["content_id"])
    assert (score.category, score.earned, score.possible, score.source) == (
        "discussion",
        POINTS,
        POINTS,
        "discussion.prompt",
    )
    grade = CourseGrade.objects.get(run=run, user=learner)
    assert Decimal(grade.categories["discussion"]["percent"]) == Decimal("100")
    page = client.get(reverse("courses:progress", args=[course.pk])).content.decode()
    assert "课堂讨论" in page and "课堂讨论：复杂度" in page
    assert "10 / 10" in page


def test_the_gradebook_shows_the_prompt_once_the_forum_is_read_and_a_learner_who_did_not_answer_misses_it(
    client, run, course, lead, learner, classmate, django_assert_max_num_queries, answer
):
    block = prompt_block(course)
    client.force_login(classmate)
    assert client.get(reverse("discussion:forum", args=[run.pk])).status_code == 200
    assert GradedItem.objects.filter(run=run, content_id=block["content_id"], category="discussion").count() == 1
    # The run knows its prompts now: reading the forum again registers nothing (no writes, no extra queries).
    with django_assert_max_num_queries(12):
        client.get(reverse("discussion:forum", args=[run.pk]))
    client.force_login(learner)
    answer(block, "我的看法")
    client.force_login(classmate)
    mine = client.get(reverse("courses:progress", args=[course.pk])).content.decode()
    assert "课堂讨论：复杂度" in mine and "未提交，按 0 分计" in mine
    client.force_login(lead)
    book = client.get(reverse("courses:gradebook", args=[course.pk, run.pk])).content.decode()
    assert "课堂讨论：复杂度" in book


def test_a_prompt_asking_for_two_answers_gives_half_for_one(client, lead, run, course, learner, answer):
    stored = Block.objects.get(unit__course=course, type="discussion")
    course_services.block_update(actor=lead, block=stored, data={"prompt": "谈谈递归", "min_posts": 2})
    course_services.course_publish(actor=lead, course=course)
    course.refresh_from_db()
    block = prompt_block(course)
    assert block["data"]["min_posts"] == 2
    client.force_login(learner)
    answer(block, "第一次发言")
    assert Score.objects.get(user=learner, content_id=block["content_id"]).earned == Decimal("5.00")
    answer(block, "第二次发言")
    answer(block, "第三次发言")
    assert Score.objects.get(user=learner, content_id=block["content_id"]).earned == Decimal("10.00")


def test_the_participation_rule(db):
    assert prompt_earned(answers=0, min_posts=1) == Decimal("0.00")
    assert prompt_earned(answers=1, min_posts=3) == Decimal("3.33")
    assert prompt_earned(answers=5, min_posts=3) == POINTS


def test_the_block_form_checks_how_many_answers_a_prompt_asks_for(db):
    kind = DiscussionBlock()
    assert kind.clean({"prompt": "说说看"}) == {"prompt": "说说看", "min_posts": 1}
    for wrong in (0, 21, "三", True):
        with pytest.raises(ValidationError) as caught:
            kind.clean({"prompt": "说说看", "min_posts": wrong})
        assert "min_posts" in caught.value.message_dict


def test_hiding_a_learners_answer_takes_it_off_their_score_and_showing_it_again_puts_it_back(
    client, run, course, learner, assistant, answer, django_capture_on_commit_callbacks
):
    block = prompt_block(course)
    client.force_login(learner)
    answer(block, "离题的发言")
    reply = Post.objects.get(thread__kind="prompt", author=learner)
    client.force_login(assistant)
    with django_capture_on_commit_callbacks(execute=True):
        hidden = client.post(reverse("discussion:hide", args=[reply.pk]), {"reason": "与题目无关"})
    assert hidden.status_code == 302
    assert Score.objects.get(user=learner, content_id=block["content_id"]).earned == Decimal("0.00")
    with django_capture_on_commit_callbacks(execute=True):
        shown = client.post(reverse("discussion:unhide", args=[reply.pk]), {"reason": "误操作，恢复"})
    assert shown.status_code == 302
    assert Score.objects.get(user=learner, content_id=block["content_id"]).earned == POINTS


def test_a_run_without_a_discussion_category_records_no_discussion_score(client, lead, run, course, learner, answer):
    course_services.run_grading_policy_set(
        actor=lead, run=run, policy={"categories": [{"key": "exam", "label": "期末考试", "weight": "100"}]}
    )
    run.refresh_from_db()
    assert courses.run_policy(run=run).category("discussion") is None
    block = prompt_block(course)
    client.force_login(learner)
    client.get(reverse("discussion:forum", args=[run.pk]))
    answer(block, "我的看法")
    assert not Score.objects.filter(run=run).exists()
    assert not GradedItem.objects.filter(run=run).exists()
    assert services.prompts_register(run=run) == 0
