"""The assessment pages: the block inside a unit, the attempt page without JavaScript (save all, submit), one
answer saved by the page's script, the result page per the show-answers rule, and escaping."""

from typing import Any

import pytest

from zhijiao.accounts.tests.factories import make_user

from ..models import Attempt, AttemptStep
from .attempt_factories import make_exam_course, make_learner, make_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def exam(lead: Any) -> Any:
    return make_exam_course(lead)


@pytest.fixture
def run(lead: Any, exam: Any) -> Any:
    return make_run(lead, exam[0])


@pytest.fixture
def learner(run: Any) -> Any:
    return make_learner(run, display_name="李明轩")


def test_the_unit_shows_the_exam_and_its_rules(client, run, exam, learner):
    _course, block, _questions = exam
    client.force_login(learner)
    unit = client.get(f"/courses/{run.course_id}/learn/")
    assert unit.status_code in (200, 302)
    fragment = client.get(f"/assessment/blocks/{block.content_id}/", HTTP_HX_REQUEST="true")
    text = fragment.content.decode()
    assert "限时 60 分钟" in text and "共 5 题" in text and "开始作答" in text


def test_a_visitor_is_told_who_takes_it(client, exam):
    _course, block, _questions = exam
    page = client.get(f"/assessment/blocks/{block.content_id}/")
    assert page.status_code == 200
    assert "选课的学习者在这里作答" in page.content.decode()


def test_without_javascript_a_learner_starts_saves_all_and_submits(client, run, exam, learner):
    _course, block, _questions = exam
    client.force_login(learner)
    started = client.post(f"/assessment/blocks/{block.content_id}/start")
    attempt = Attempt.objects.get(user=learner)
    assert started.url == f"/assessment/attempts/{attempt.pk}/"
    page = client.get(started.url).content.decode()
    assert "剩余时间" in page and "<p>栈的特点是？</p>" in page
    items = {i.version.type: i for i in attempt.items.select_related("version")}
    single, fill, essay = items["single"], items["fill"], items["essay"]
    form = {
        f"q{single.position}-present": "1",
        f"q{single.position}": str(single.option_order.index(1)),
        f"q{fill.position}-present": "1",
        f"q{fill.position}-0": "push",
        f"q{fill.position}-1": "pop",
        f"q{essay.position}-present": "1",
        f"q{essay.position}": "<script>alert(1)</script>哈希表",
        "action": "save",
    }
    saved = client.post(started.url, form)
    assert saved.status_code == 302
    again = client.get(started.url).content.decode()
    assert 'value="push"' in again
    assert "&lt;script&gt;alert(1)&lt;/script&gt;哈希表" in again and "<script>alert(1)" not in again
    submitted = client.post(started.url, {**form, "action": "submit"})
    assert submitted.url == f"/assessment/attempts/{attempt.pk}/result/"
    result = client.get(submitted.url).content.decode()
    assert "待批阅" in result and "正确答案" in result
    assert "&lt;script&gt;" in result


def test_the_pages_script_saves_one_answer(client, run, exam, learner):
    _course, block, _questions = exam
    client.force_login(learner)
    client.post(f"/assessment/blocks/{block.content_id}/start")
    attempt = Attempt.objects.get(user=learner)
    tf = attempt.items.get(version__type="truefalse")
    reply = client.post(
        f"/assessment/attempts/{attempt.pk}/answers/{tf.position}",
        {f"q{tf.position}-present": "1", f"q{tf.position}": "true"},
    )
    assert reply.status_code == 200 and reply.json()["ok"] is True
    assert AttemptStep.objects.get(attempt=attempt).data == {"response": True}


def test_answers_are_hidden_when_the_rules_say_never(client, lead):
    course, block, _questions = make_exam_course(lead, show_answers="never")
    run = make_run(lead, course)
    learner = make_learner(run)
    client.force_login(learner)
    client.post(f"/assessment/blocks/{block.content_id}/start")
    attempt = Attempt.objects.get(user=learner)
    client.post(f"/assessment/attempts/{attempt.pk}/", {"action": "submit"})
    result = client.get(f"/assessment/attempts/{attempt.pk}/result/").content.decode()
    assert "正确答案：" not in result and "将按任课教师的设置公布" in result


def test_another_learner_cannot_open_the_attempt_page(client, run, exam, learner):
    _course, block, _questions = exam
    client.force_login(learner)
    client.post(f"/assessment/blocks/{block.content_id}/start")
    attempt = Attempt.objects.get(user=learner)
    client.force_login(make_user(display_name="王芳"))
    assert client.get(f"/assessment/attempts/{attempt.pk}/").status_code == 404
    assert client.get(f"/assessment/attempts/{attempt.pk}/result/").status_code == 404
    assert client.post(f"/assessment/attempts/{attempt.pk}/answers/1", {"q1-present": "1"}).status_code == 404
