"""Taking an assessment through the API: start and resume, answers saved as they are given, the server's clock,
submission and grading, time-out, shuffling, pinned question versions, and who is refused."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from zhijiao.accounts.tests.factories import make_user
from zhijiao.courses.models import BlockProgress, Score

from .. import services
from ..models import Attempt, AttemptItem, AttemptStep
from .attempt_factories import make_exam_course, make_learner, make_run
from .factories import SAMPLES

pytestmark = pytest.mark.django_db

API = "/api/v1/assessment"


@pytest.fixture
def exam(lead: Any) -> Any:
    return make_exam_course(lead)


@pytest.fixture
def run(lead: Any, exam: Any) -> Any:
    return make_run(lead, exam[0])


@pytest.fixture
def learner(run: Any) -> Any:
    return make_learner(run, display_name="李明轩")


def start(client: Any, user: Any, run: Any, block: Any) -> Any:
    client.force_login(user)
    return client.post(f"{API}/runs/{run.pk}/assessments/{block.content_id}/attempts")


def save(client: Any, attempt_id: int, position: int, response: Any) -> Any:
    return client.put(
        f"{API}/attempts/{attempt_id}/answers/{position}", {"response": response}, content_type="application/json"
    )


def by_type(attempt: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["type"]: item for item in attempt["items"]}


def right_answers(attempt: dict[str, Any]) -> dict[int, Any]:
    """The right answers in the learner's shown option order (the test knows the samples' keys)."""
    answers = {}
    for item in attempt["items"]:
        data = SAMPLES[item["type"]]["data"]
        if item["type"] == "single":
            answers[item["position"]] = item["options"].index(data["options"][data["answer"]])
        elif item["type"] == "multiple":
            answers[item["position"]] = sorted(item["options"].index(data["options"][i]) for i in data["answer"])
        elif item["type"] == "truefalse":
            answers[item["position"]] = True
        elif item["type"] == "fill":
            answers[item["position"]] = ["pop", "入栈"]
        else:
            answers[item["position"]] = "哈希表用于缓存、索引和去重。"
    return answers


def test_a_learner_takes_an_exam_resumes_it_and_gets_the_objective_grade_at_once(client, run, exam, learner):
    _course, block, _questions = exam
    started = start(client, learner, run, block)
    assert started.status_code == 201, started.json()
    attempt = started.json()
    assert attempt["status"] == "in_progress"
    assert 3590 <= attempt["seconds_left"] <= 3600
    assert [item["answer"] for item in attempt["items"]] == [None] * 5  # no answer key while it runs
    assert "answer" not in str([item["options"] for item in attempt["items"]])

    answers = right_answers(attempt)
    for position, response in answers.items():
        saved = save(client, attempt["id"], position, response)
        assert saved.status_code == 200, saved.json()
    # Coming back resumes the same attempt with what was saved.
    again = start(client, learner, run, block).json()
    assert again["id"] == attempt["id"]
    assert {item["position"]: item["response"] for item in again["items"]} == {
        position: (sorted(r) if isinstance(r, list) and position != by_type(again)["fill"]["position"] else r)
        for position, r in answers.items()
    }

    submitted = client.post(f"{API}/attempts/{attempt['id']}/submit")
    assert submitted.status_code == 200, submitted.json()
    result = submitted.json()
    assert result["status"] == "submitted"  # the essay waits for the teaching team
    assert result["pending"] == 1
    items = by_type(result)
    assert items["essay"]["status"] == "staff"
    assert [items[t]["earned"] for t in ("single", "multiple", "truefalse", "fill")] == ["2.00", "3.00", "1.00", "2.00"]
    assert items["single"]["answer"] == answers[items["single"]["position"]]  # shown after submission by default
    assert BlockProgress.objects.get(user=learner, content_id=block.content_id).completed_at is not None

    # Submitting twice is harmless.
    twice = client.post(f"{API}/attempts/{attempt['id']}/submit")
    assert twice.status_code == 200
    assert AttemptStep.objects.filter(attempt_id=attempt["id"], action="submit").count() == 1
    # Saving after submission is refused, clearly.
    late = save(client, attempt["id"], 1, 0)
    assert late.status_code == 409
    assert "已经提交" in late.json()["message"]


def test_a_handed_in_exam_waiting_for_its_essay_grade_reads_as_waiting_on_the_progress_page(client, run, exam, learner):
    course, block, _questions = exam
    attempt = start(client, learner, run, block).json()
    for position, response in right_answers(attempt).items():
        save(client, attempt["id"], position, response)
    client.post(f"{API}/attempts/{attempt['id']}/submit")
    page = client.get(f"/courses/{course.pk}/progress/").content.decode()
    assert "已提交，待评分" in page and "1 项已提交的测评正在等待评分" in page
    assert "未提交，按 0 分计" not in page
    mine = client.get(f"/api/v1/courses/{course.pk}/grade").json()
    assert mine["waiting"] == 1 and mine["missing"] == 0
    assert [item["state"] for item in mine["items"]] == ["waiting"]


def test_grading_the_essay_reports_the_score_to_the_runs_grades(client, run, exam, learner, lead):
    _course, block, _questions = exam
    attempt = start(client, learner, run, block).json()
    for position, response in right_answers(attempt).items():
        save(client, attempt["id"], position, response)
    client.post(f"{API}/attempts/{attempt['id']}/submit")
    essay = AttemptItem.objects.get(attempt_id=attempt["id"], version__type="essay")
    essay.status, essay.earned = "graded", Decimal("7.00")
    essay.save()
    services.attempt_rescore(Attempt.objects.get(pk=attempt["id"]))
    result = client.get(f"{API}/attempts/{attempt['id']}/result").json()
    assert result["status"] == "graded"
    assert result["earned"] == "15.00" and result["possible"] == "18.00"
    score = Score.objects.get(run=run, user=learner, content_id=block.content_id)
    assert score.earned == Decimal("15.00")


def test_saving_an_answer_is_two_reads_and_one_insert_under_the_attempt_lock(
    client, run, exam, learner, django_assert_max_num_queries
):
    _course, block, _questions = exam
    attempt = start(client, learner, run, block).json()
    # the session, the user, the item with its attempt locked, the insert (and the savepoint around them in a test)
    # +1: the API's request limit, counted in the database without Redis (core.counters)
    with django_assert_max_num_queries(7):
        assert save(client, attempt["id"], 1, 0).status_code == 200
    # the locked read's SQL is built once, on PostgreSQL too (where the question number travels as a typed Int2)
    from django.db import connections

    from zhijiao.core.prepared import _PLAIN

    from ..services.attempts import _LOCKED_ITEM

    plans = connections["default"].__dict__["_zhijiao_prepared"]
    used = [plan for key, plan in plans.items() if key[0] is _LOCKED_ITEM._key]
    assert used and all(plan is not _PLAIN for plan in used)


def test_an_answer_after_time_out_is_refused_and_the_attempt_is_submitted_as_it_stood(client, run, exam, learner):
    _course, block, _questions = exam
    attempt = start(client, learner, run, block).json()
    single = by_type(attempt)["single"]
    save(client, attempt["id"], single["position"], right_answers(attempt)[single["position"]])
    Attempt.objects.filter(pk=attempt["id"]).update(deadline_at=timezone.now() - timedelta(seconds=1))
    refused = save(client, attempt["id"], 2, [0])
    assert refused.status_code == 409
    assert "时间已到" in refused.json()["message"]
    stored = Attempt.objects.get(pk=attempt["id"])
    assert stored.status == "graded" and stored.submitted_by == "timeout"  # the unanswered essay earns nothing
    assert AttemptItem.objects.get(attempt=stored, position=single["position"]).earned == Decimal("2.00")


def test_the_worker_sweep_submits_expired_attempts(client, run, exam, learner):
    _course, block, _questions = exam
    attempt = start(client, learner, run, block).json()
    assert services.attempts_expire_due() == 0
    Attempt.objects.filter(pk=attempt["id"]).update(deadline_at=timezone.now() - timedelta(minutes=1))
    assert services.attempts_expire_due() == 1
    assert Attempt.objects.get(pk=attempt["id"]).submitted_by == "timeout"


def test_reading_an_expired_attempt_submits_it(client, run, exam, learner):
    _course, block, _questions = exam
    attempt = start(client, learner, run, block).json()
    Attempt.objects.filter(pk=attempt["id"]).update(deadline_at=timezone.now() - timedelta(minutes=1))
    read = client.get(f"{API}/attempts/{attempt['id']}").json()
    assert read["status"] == "graded" and read["submitted_by"] == "timeout" and read["seconds_left"] == 0


def test_another_learners_attempt_is_not_found(client, run, exam, learner):
    _course, block, _questions = exam
    attempt = start(client, learner, run, block).json()
    classmate = make_learner(run, display_name="王芳")
    client.force_login(classmate)
    assert client.get(f"{API}/attempts/{attempt['id']}").status_code == 404
    assert save(client, attempt["id"], 1, 0).status_code == 404
    assert client.post(f"{API}/attempts/{attempt['id']}/submit").status_code == 404
    assert not AttemptStep.objects.filter(attempt_id=attempt["id"]).exists()


def test_a_user_not_enrolled_cannot_start(client, run, exam):
    _course, block, _questions = exam
    response = start(client, make_user(display_name="路人甲"), run, block)
    assert response.status_code == 403
    assert not Attempt.objects.exists()


def test_a_teacher_cannot_answer(client, run, exam, learner, lead):
    _course, block, _questions = exam
    attempt = start(client, learner, run, block).json()
    assert start(client, lead, run, block).status_code == 403
    assert save(client, attempt["id"], 1, 0).status_code == 404
    assert not AttemptStep.objects.filter(attempt_id=attempt["id"]).exists()


def test_a_position_not_in_the_attempt_and_a_bad_response_are_refused(client, run, exam, learner):
    _course, block, _questions = exam
    attempt = start(client, learner, run, block).json()
    missing = save(client, attempt["id"], 99, 0)
    assert missing.status_code == 422
    single = by_type(attempt)["single"]["position"]
    assert save(client, attempt["id"], single, 7).status_code == 422
    assert save(client, attempt["id"], single, "A").status_code == 422
    assert not AttemptStep.objects.filter(attempt_id=attempt["id"]).exists()


def test_a_question_edited_during_a_live_exam_changes_no_running_attempt(client, run, exam, learner, lead):
    _course, block, questions = exam
    attempt = start(client, learner, run, block).json()
    single = questions[0]
    services.question_revise(
        actor=lead,
        question=single,
        note="改答案",
        type="single",
        stem="<p>改过的题干</p>",
        data={"options": ["先进先出", "后进先出", "随机存取", "按优先级出"], "answer": 0},
        points=Decimal("2"),
    )
    client.force_login(learner)
    read = client.get(f"{API}/attempts/{attempt['id']}").json()
    item = by_type(read)["single"]
    assert item["stem"] == "<p>栈的特点是？</p>"
    save(client, attempt["id"], item["position"], item["options"].index("后进先出"))
    result = client.post(f"{API}/attempts/{attempt['id']}/submit").json()
    assert by_type(result)["single"]["earned"] == "2.00"  # graded by the pinned version's key


def test_options_are_shuffled_per_learner_and_answers_map_back(client, lead):
    course, block, _questions = make_exam_course(lead, shuffle_options=True, shuffle_questions=True)
    run = make_run(lead, course)
    orders = set()
    for n in range(6):
        user = make_learner(run, display_name=f"学生{n}")
        attempt = start(client, user, run, block).json()
        single = by_type(attempt)["single"]
        orders.add(tuple(single["options"]))
        save(client, attempt["id"], single["position"], single["options"].index("后进先出"))
        result = client.post(f"{API}/attempts/{attempt['id']}/submit").json()
        assert by_type(result)["single"]["earned"] == "2.00"
    assert len(orders) > 1


def test_the_attempt_limit_and_the_window(client, lead):
    course, block, _questions = make_exam_course(lead, attempts_allowed=1)
    run = make_run(lead, course)
    learner = make_learner(run)
    attempt = start(client, learner, run, block).json()
    client.post(f"{API}/attempts/{attempt['id']}/submit")
    again = start(client, learner, run, block)
    assert again.status_code == 409
    assert "次数已用完" in again.json()["message"]

    closed_course, closed_block, _questions = make_exam_course(lead, closes_after_days=0, close_time="00:00")
    closed_run = make_run(lead, closed_course)
    refused = start(client, make_learner(closed_run), closed_run, closed_block)
    assert refused.status_code == 409
    assert "截止" in refused.json()["message"]


def test_a_missing_picked_question_is_a_clear_refusal(client, lead):
    course, block, _questions = make_exam_course(lead)
    run = make_run(lead, course)
    learner = make_learner(run)
    block_data = dict(block.data)
    block_data["picks"] = [{"question": "00000000-0000-0000-0000-000000000001", "version": 1}]
    from zhijiao.courses import services as courses

    courses.block_update(actor=lead, block=block, data=block_data)
    courses.course_publish(actor=lead, course=course)
    refused = start(client, learner, run, block)
    assert refused.status_code == 409
    assert "已不在题库中" in refused.json()["message"]


def test_the_exam_opens_once_everything_else_is_studied(client, run, exam):
    _course, block, _questions = exam
    newcomer = make_learner(run, studied=False)
    locked = start(client, newcomer, run, block)
    assert locked.status_code == 409
    assert "学习要求" in locked.json()["message"]
    from zhijiao.courses import services as courses
    from zhijiao.courses.models import Block

    for other in Block.objects.filter(course=run.course).exclude(type="exam"):
        courses.progress_record(actor=newcomer, run=run, content_id=str(other.content_id), opened=True)
    assert start(client, newcomer, run, block).status_code == 201


def test_two_tabs_starting_at_the_same_moment_get_the_same_attempt(client, run, exam, learner, monkeypatch):
    """The losing tab of a concurrent start: the other tab's attempt is created after this one found none open and
    just before it inserts its own; the insert hits the one-open-attempt constraint and the learner resumes the
    other tab's attempt."""
    from ..services import attempts as attempt_services

    _course, block, _questions = exam
    real_paper = attempt_services._paper
    other: list[Any] = []

    def paper_while_the_other_tab_starts(*args: Any, **kwargs: Any) -> Any:
        if not other:  # the first tab draws its paper: the other tab starts meanwhile (drawing with the real one)
            other.append(None)
            other[0] = services.attempt_start(actor=learner, run=run, content_id=str(block.content_id))
        return real_paper(*args, **kwargs)

    monkeypatch.setattr(attempt_services, "_paper", paper_while_the_other_tab_starts)
    response = start(client, learner, run, block)
    assert response.status_code in (200, 201)
    assert other[0] is not None and response.json()["id"] == other[0].pk
    assert Attempt.objects.filter(user=learner, run=run, content_id=block.content_id).count() == 1
    assert Attempt.objects.get(pk=other[0].pk).status == "in_progress"
    assert AttemptItem.objects.filter(attempt_id=other[0].pk).count() == len(response.json()["items"])
