"""Grading by people through the API: the teaching team's queue and grades, peer review on demand with the trimmed
mean, the review deadline's pass; each protected operation refused to the roles that may not."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from zhijiao.accounts.tests.factories import make_user
from zhijiao.courses.models import CourseGrade, RunStaff, Score, TeamRole
from zhijiao.notifications.models import Notification

from .. import services
from ..models import AttemptItem, AttemptStatus, AttemptStep, ItemStatus, PeerReview
from .factories import HOMEWORK, current, homework_rules, make_question, make_run, make_submission, publish

pytestmark = pytest.mark.django_db
API = "/api/v1/assessment"


@pytest.fixture
def run(course, lead):
    publish(course, lead)
    return make_run(course=course)


@pytest.fixture
def short(lead, course):
    """A short answer question with a two-criterion rubric (2 + 3 points)."""
    return current(make_question(actor=lead, course=course, type="short"))


@pytest.fixture
def essay(lead, course):
    """A peer-graded essay: one criterion worth its 10 points."""
    return current(make_question(actor=lead, course=course, type="essay"))


@pytest.fixture
def learner():
    return make_user(display_name="学生甲")


def _grade(client, item, **body):
    return client.post(f"{API}/grading/items/{item.pk}/grade", body, content_type="application/json")


# --- The grading queue ---------------------------------------------------------------------------------------------


def test_the_queue_lists_waiting_answers_oldest_first_and_filters(client, lead, run, short, essay) -> None:
    now = timezone.now()
    later = make_submission(run=run, user=make_user(display_name="后交"), version=short, status="staff",
                            submitted_at=now - timedelta(hours=1))  # fmt: skip
    first = make_submission(run=run, user=make_user(display_name="先交"), version=short, status="staff",
                            submitted_at=now - timedelta(hours=5))  # fmt: skip
    make_submission(run=run, user=make_user(), version=essay, status="peer")  # review still open: not listed
    client.force_login(lead)
    listed = client.get(f"{API}/runs/{run.pk}/grading-queue").json()
    assert [row["learner"] for row in listed["items"]] == ["先交", "后交"]
    assert listed["items"][0]["attempt_id"] == first.pk and listed["count"] == 2
    assert client.get(f"{API}/runs/{run.pk}/grading-queue", {"status": "peer"}).json()["count"] == 0
    other = client.get(f"{API}/runs/{run.pk}/grading-queue", {"content_id": "00000000-0000-0000-0000-000000000009"})
    assert other.json()["count"] == 0
    assert later.pk


def test_a_teacher_grades_against_the_rubric_and_the_learner_is_told(client, lead, run, short, learner) -> None:
    attempt = make_submission(run=run, user=learner, version=short, status="staff", response="<b>顺序表</b>连续存储")
    item = attempt.items.get()
    client.force_login(lead)
    shown = client.get(f"{API}/grading/items/{item.pk}").json()
    assert [row["criterion"] for row in shown["question"]["rubric"]] == ["存储方式", "效率比较"]
    assert shown["response"] == "<b>顺序表</b>连续存储"
    graded = _grade(client, item, scores=["2", "1.5"], feedback="效率部分不完整<script>alert(1)</script>")
    assert graded.status_code == 200, graded.content
    body = graded.json()
    assert body["earned"] == "3.50" and body["status"] == "graded"
    assert "<script" not in body["feedback"] and body["feedback"].startswith("效率部分不完整")
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED and attempt.earned == Decimal("3.50")
    assert Score.objects.get(run=run, user=learner).earned == Decimal("3.50")
    assert CourseGrade.objects.filter(enrolment__user=learner).exists()
    note = Notification.objects.get(user=learner, kind="assessment_graded")
    assert "第一次作业" in note.title
    assert client.get(f"{API}/runs/{run.pk}/grading-queue").json()["count"] == 0


def test_grading_twice_overwrites_and_keeps_both_in_the_steps(client, assistant, run, short, learner) -> None:
    item = make_submission(run=run, user=learner, version=short, status="staff").items.get()
    client.force_login(assistant)  # assistants grade too
    assert _grade(client, item, scores=["1", "1"]).status_code == 200
    again = _grade(client, item, scores=["2", "3"], feedback="复核后满分")
    assert again.json()["earned"] == "5.00"
    steps = again.json()["steps"]
    assert [step["action"] for step in steps] == ["grade", "regrade"]
    assert steps[1]["data"]["previous"] == "2.00"
    assert Score.objects.get(run=run, user=learner).earned == Decimal("5.00")


def test_bad_scores_and_long_feedback_are_field_errors(client, lead, run, short, essay, learner) -> None:
    item = make_submission(run=run, user=learner, version=short, status="staff").items.get()
    client.force_login(lead)
    over = _grade(client, item, scores=["3", "1"])
    assert over.status_code == 422 and "scores.0" in over.json()["fields"]
    few = _grade(client, item, scores=["1"])
    assert few.status_code == 422 and "scores" in few.json()["fields"]
    negative = _grade(client, item, scores=["1", "-1"])
    assert negative.status_code == 422 and "scores.1" in negative.json()["fields"]
    long = _grade(client, item, scores=["1", "1"], feedback="好" * 2001)
    assert long.status_code == 422 and "feedback" in long.json()["fields"]
    item.refresh_from_db()
    assert item.status == ItemStatus.STAFF and item.earned is None
    assert not AttemptStep.objects.filter(action="grade").exists()


def test_a_question_without_rubric_takes_a_plain_score(client, lead, course, run, learner) -> None:
    version = current(make_question(actor=lead, course=course, type="file"))
    item = make_submission(run=run, user=learner, version=version, status="staff", response=7).items.get()
    client.force_login(lead)
    assert _grade(client, item, score="10.5").status_code == 422
    assert _grade(client, item, score="8").json()["earned"] == "8.00"


def test_a_learner_cannot_see_the_queue_or_grade(client, run, short, learner) -> None:
    item = make_submission(run=run, user=learner, version=short, status="staff").items.get()
    client.force_login(learner)
    listed = client.get(f"{API}/runs/{run.pk}/grading-queue")
    assert listed.status_code == 403 and "教学团队" in listed.json()["message"]
    assert client.get(f"{API}/grading/items/{item.pk}").status_code == 403
    refused = _grade(client, item, scores=["2", "3"])
    assert refused.status_code == 403 and "教学团队" in refused.json()["message"]
    item.refresh_from_db()
    assert item.earned is None


def test_another_runs_teacher_cannot_grade(client, course, run, short, learner) -> None:
    other_run = make_run(course=course, title="另一学期")
    teacher = make_user(display_name="别班老师")
    RunStaff.objects.create(run=other_run, user=teacher, role=TeamRole.TEACHER)
    item = make_submission(run=run, user=learner, version=short, status="staff").items.get()
    client.force_login(teacher)
    assert client.get(f"{API}/runs/{run.pk}/grading-queue").status_code == 403
    assert client.get(f"{API}/runs/{other_run.pk}/grading-queue").status_code == 200
    assert _grade(client, item, scores=["2", "3"]).status_code == 403
    assert client.get(f"{API}/grading/items/{item.pk}").status_code == 403


def test_the_queue_takes_few_queries(client, lead, run, short, django_assert_max_num_queries) -> None:
    for _ in range(12):
        make_submission(run=run, user=make_user(), version=short, status="staff")
    client.force_login(lead)
    # +1: the API's request limit, counted in the database without Redis (core.counters)
    with django_assert_max_num_queries(15):
        response = client.get(f"{API}/runs/{run.pk}/grading-queue", {"limit": 50})
    assert response.json()["count"] == 12


# --- Peer review ---------------------------------------------------------------------------------------------------


def _next(client, run):
    return client.post(
        f"{API}/runs/{run.pk}/peer-reviews/next", {"content_id": str(HOMEWORK)}, content_type="application/json"
    )


def _review(client, review_id, score, comment=""):
    return client.post(
        f"{API}/peer-reviews/{review_id}", {"scores": [score], "comment": comment}, content_type="application/json"
    )


def test_trimmed_mean() -> None:
    assert services.trimmed_mean([Decimal("6"), Decimal("9"), Decimal("10")]) == Decimal("9.00")
    assert services.trimmed_mean([Decimal("6"), Decimal("9")]) == Decimal("7.50")
    assert services.trimmed_mean([Decimal("1"), Decimal("2"), Decimal("2"), Decimal("9")]) == Decimal("2.00")
    assert services.trimmed_mean([Decimal("7")]) == Decimal("7.00")


def test_four_learners_review_each_other_and_get_trimmed_means(client, run, essay) -> None:
    learners = [make_user(display_name=name) for name in ("甲", "乙", "丙", "丁")]
    attempts = [make_submission(run=run, user=user, version=essay, response=f"{user}的论述") for user in learners]
    given = {"甲": "10", "乙": "6", "丙": "8", "丁": "9"}
    for _round in range(3):
        for user in learners:
            client.force_login(user)
            got = _next(client, run).json()
            review = got["review"]
            assert review is not None
            assert "作者" not in str(review) and str(user) not in review["response"]
            assert _review(client, review["id"], given[str(user)], "论点清楚").status_code == 200
    # Each learner reviewed the three others once; each answer got three reviews (from the other three).
    assert PeerReview.objects.filter(submitted_at__isnull=False).count() == 12
    for attempt, user in zip(attempts, learners, strict=True):
        item = AttemptItem.objects.get(attempt=attempt)
        totals = sorted(Decimal(given[str(other)]) for other in learners if other != user)
        assert item.status == ItemStatus.GRADED
        assert item.earned == totals[1]  # three reviews: the middle one
        attempt.refresh_from_db()
        assert attempt.status == AttemptStatus.GRADED
    client.force_login(learners[0])
    done = _next(client, run).json()
    assert done["review"] is None and done["done"] == 3 and done["required"] == 3
    mine = client.get(f"{API}/peer-reviews", {"run_id": run.pk}).json()
    assert len(mine) == 3 and all(row["submitted_at"] for row in mine)


def test_a_reviewer_gets_the_least_reviewed_answer_never_their_own(client, run, essay) -> None:
    reviewer, a, b = make_user(), make_user(), make_user()
    make_submission(run=run, user=reviewer, version=essay)
    busy = make_submission(run=run, user=a, version=essay).items.get()
    quiet = make_submission(run=run, user=b, version=essay).items.get()
    PeerReview.objects.create(item=busy, reviewer=make_user(), due_at=timezone.now() + timedelta(days=9))
    client.force_login(reviewer)
    first = _next(client, run).json()["review"]
    assert PeerReview.objects.get(pk=first["id"]).item_id == quiet.pk
    # Asking again before submitting returns the same open review.
    assert _next(client, run).json()["review"]["id"] == first["id"]


def test_the_reviewer_cap_holds(client, run, essay) -> None:
    rules = homework_rules(essay, reviewers=1, required=2)
    author = make_user()
    make_submission(run=run, user=author, version=essay, rules=rules)
    first, second = make_user(), make_user()
    for user in (first, second):
        make_submission(run=run, user=user, version=essay, rules=rules)
    client.force_login(first)
    assert _next(client, run).json()["review"] is not None
    assert _review(client, PeerReview.objects.get(reviewer=first).pk, "8").status_code == 200
    assert _next(client, run).json()["review"] is not None  # the other answer still needs its one reviewer
    client.force_login(second)
    got = _next(client, run).json()["review"]
    # Of the two answers second may review, the author's is capped (one reviewer done); first's is open to them.
    assert got is not None
    assert PeerReview.objects.get(pk=got["id"]).item.attempt.user_id == first.pk


def test_the_score_is_hidden_until_the_learner_did_their_reviews(client, run, essay) -> None:
    rules = homework_rules(essay, reviewers=1, required=1)
    a, b = make_user(), make_user()
    attempt_a = make_submission(run=run, user=a, version=essay, rules=rules)
    make_submission(run=run, user=b, version=essay, rules=rules)
    client.force_login(b)
    _review(client, _next(client, run).json()["review"]["id"], "7")
    attempt_a.refresh_from_db()
    assert attempt_a.status == AttemptStatus.GRADED
    from .. import selectors

    assert not selectors.score_visible(attempt=attempt_a)
    client.force_login(a)
    _review(client, _next(client, run).json()["review"]["id"], "9")
    assert selectors.score_visible(attempt=attempt_a)


def test_bad_reviews_are_refused(client, run, essay) -> None:
    a, b = make_user(), make_user()
    make_submission(run=run, user=a, version=essay)
    make_submission(run=run, user=b, version=essay)
    client.force_login(a)
    review_id = _next(client, run).json()["review"]["id"]
    assert "scores.0" in _review(client, review_id, "11").json()["fields"]
    assert "comment" in _review(client, review_id, "5", "长" * 2001).json()["fields"]
    assert _review(client, review_id, "5", "<img src=x onerror=alert(1)>不错").status_code == 200
    assert PeerReview.objects.get(pk=review_id).comment == "不错"
    twice = _review(client, review_id, "6")
    assert twice.status_code == 409 and twice.json()["code"] == "already_reviewed"


def test_only_a_learner_who_submitted_asks_for_reviews(client, run, essay, lead) -> None:
    make_submission(run=run, user=make_user(), version=essay)
    stranger = make_user()
    client.force_login(stranger)
    refused = _next(client, run)
    assert refused.status_code == 403 and "提交" in refused.json()["message"]


def test_nobody_submits_someone_elses_review(client, run, essay) -> None:
    a, b, c = make_user(), make_user(), make_user()
    for user in (a, b, c):
        make_submission(run=run, user=user, version=essay)
    client.force_login(a)
    review_id = _next(client, run).json()["review"]["id"]
    client.force_login(c)
    assert _review(client, review_id, "5").status_code == 404


def test_after_the_deadline_answers_are_graded_or_sent_to_the_teaching_team(client, lead, run, essay) -> None:
    users = [make_user() for _ in range(4)]
    attempts = [make_submission(run=run, user=user, version=essay) for user in users]
    items = [attempt.items.get() for attempt in attempts]
    due = timezone.now() + timedelta(days=1)
    # The first answer has two finished reviews, the second one, the others none.
    for item, totals in ((items[0], ["6", "8"]), (items[1], ["9"])):
        for total in totals:
            PeerReview.objects.create(
                item=item, reviewer=make_user(), due_at=due, total=Decimal(total), submitted_at=timezone.now()
            )
    assert services.peer_reviews_close_due().graded == 0  # not due yet
    later = timezone.now() + timedelta(days=400)
    result = services.peer_reviews_close_due(now=later)
    assert (result.graded, result.to_staff) == (1, 3)
    items[0].refresh_from_db()
    assert items[0].status == ItemStatus.GRADED and items[0].earned == Decimal("7.00")
    assert AttemptItem.objects.filter(status=ItemStatus.STAFF).count() == 3
    client.force_login(lead)
    assert client.get(f"{API}/runs/{run.pk}/grading-queue").json()["count"] == 3
    assert services.peer_reviews_close_due(now=later) == services.CloseResult()


def test_the_worker_scheduler_runs_the_deadline_pass(run, essay) -> None:
    from zhijiao.core.schedule import claim_and_enqueue, registered

    rules = homework_rules(essay, closes_after_days=0, review_days=1)
    make_submission(run=run, user=make_user(), version=essay, rules=rules)
    # The run started 30 days ago; the homework closed then and its reviews were due a day later.
    entry = next(entry for entry in registered() if entry.name == "assessment.peer_reviews_close")
    assert claim_and_enqueue(entry)  # the immediate backend runs it at once
    assert AttemptItem.objects.get().status == ItemStatus.STAFF


def test_overdue_peer_answers_show_in_the_queue_before_the_pass_and_graded_ones_on_request(
    client, lead, run, essay, short
) -> None:
    overdue = homework_rules(essay, closes_after_days=0, review_days=1)
    waiting = make_submission(run=run, user=make_user(), version=essay, rules=overdue).items.get()
    done = make_submission(run=run, user=make_user(), version=short, status="staff").items.get()
    client.force_login(lead)
    peer = client.get(f"{API}/runs/{run.pk}/grading-queue", {"status": "peer"}).json()
    assert [row["id"] for row in peer["items"]] == [waiting.pk]
    assert _grade(client, done, scores=["1", "1"]).status_code == 200
    graded = client.get(f"{API}/runs/{run.pk}/grading-queue", {"status": "graded"}).json()
    assert [row["id"] for row in graded["items"]] == [done.pk]
    assert client.get(f"{API}/runs/{run.pk}/grading-queue", {"status": "nonsense"}).status_code == 422
