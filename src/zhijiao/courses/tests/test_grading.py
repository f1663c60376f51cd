"""Grading: the policy as checked data, scores from any source updating one learner's grade in a few queries,
dropped lowest and missing items, overrides that a later report does not undo, unlock rules, and regrading a whole
run in the worker after a policy change."""

import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from zhijiao.accounts.models import User
from zhijiao.accounts.tests.factories import make_user
from zhijiao.core.errors import DomainError
from zhijiao.core.models import AuditLog
from zhijiao.courses import selectors, services
from zhijiao.courses.grading import compute_grade, default_policy, parse_policy
from zhijiao.courses.models import Course, CourseGrade, Enrolment, GradedItem, Regrade, Run, Score

pytestmark = pytest.mark.django_db

QUIZ = [uuid.UUID(int=i) for i in range(1, 5)]
EXAM = uuid.UUID(int=99)


def make_run(course: Course, *, ended: bool = False) -> Run:
    now = timezone.now()
    return Run.objects.create(
        course=course,
        title="2026 春季学期",
        enrol_opens_at=now - timedelta(days=120),
        enrol_closes_at=now - timedelta(days=60),
        starts_at=now - timedelta(days=100),
        ends_at=now - timedelta(days=1) if ended else now + timedelta(days=30),
        grading_policy=default_policy().as_json(),
    )


@pytest.fixture
def run(course: Course) -> Run:
    return make_run(course)


@pytest.fixture
def learner(run: Run) -> User:
    user = make_user(display_name="李同学")
    Enrolment.objects.create(run=run, user=user)
    return user


def record(run: Run, user: User, content_id: uuid.UUID, category: str, earned: str, possible: str = "100") -> Score:
    return services.score_record(
        run=run, user=user, content_id=content_id, category=category, earned=earned, possible=possible, source="quiz"
    )


def grade_of(run: Run, user: User) -> CourseGrade:
    return CourseGrade.objects.get(run=run, user=user)


# --- The policy -----------------------------------------------------------------------------------------------------


def test_an_empty_policy_reads_as_the_default_and_new_runs_start_with_it(course: Course, lead: User) -> None:
    assert parse_policy({}) == default_policy()
    now = timezone.now()
    run = services.run_create(
        actor=lead,
        course=course,
        title="秋季",
        kind=Run.Kind.OPEN,
        enrol_opens_at=now,
        enrol_closes_at=now + timedelta(days=10),
        starts_at=now,
        ends_at=now + timedelta(days=90),
    )
    policy = parse_policy(run.grading_policy)
    assert [(c.key, c.weight) for c in policy.categories] == [
        ("quiz", 20),
        ("homework", 20),
        ("discussion", 10),
        ("exam", 50),
    ]
    assert (policy.pass_line, policy.excellent_line) == (60, 85)
    assert policy.unlock[0].target == "exam" and policy.unlock[0].condition == "completion"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"categories": []}, "categories"),
        ({"categories": [{"key": "quiz", "label": "测验", "weight": "90"}]}, "categories"),
        ({"categories": [{"key": "Quiz!", "label": "测验", "weight": "100"}]}, "categories.0.key"),
        ({"categories": [{"key": "quiz", "label": "", "weight": "100"}]}, "categories.0.label"),
        ({"categories": [{"key": "quiz", "label": "测验", "weight": "abc"}]}, "categories.0.weight"),
        (
            {"categories": [{"key": "quiz", "label": "测验", "weight": "100", "drop_lowest": -1}]},
            "categories.0.drop_lowest",
        ),
        ({"pass_line": "120"}, "pass_line"),
        ({"pass_line": "80", "excellent_line": "70"}, "excellent_line"),
        ({"unlock": [{"target": "nope", "condition": "completion", "at_least": 100}]}, "unlock.0.target"),
        ({"unlock": [{"target": "exam", "condition": "luck", "at_least": 100}]}, "unlock.0.condition"),
        (
            {"unlock": [{"target": "exam", "condition": "category", "category": "exam", "at_least": 60}]},
            "unlock.0.category",
        ),
    ],
)
def test_a_bad_policy_is_refused_with_the_field_named_and_nothing_changes(
    run: Run, lead: User, change: dict[str, Any], field: str
) -> None:
    document = {**default_policy().as_json(), **change}
    before = dict(run.grading_policy)
    with pytest.raises(ValidationError) as caught:
        services.run_grading_policy_set(actor=lead, run=run, policy=document)
    assert field in caught.value.message_dict
    run.refresh_from_db()
    assert run.grading_policy == before


def test_only_the_runs_teachers_set_the_policy(run: Run, learner: User, platform_admin: User) -> None:
    stranger = make_user()
    for actor in (learner, stranger):
        with pytest.raises(PermissionDenied):
            services.run_grading_policy_set(actor=actor, run=run, policy=default_policy().as_json())


def test_setting_the_policy_is_audited_and_regrades_the_run_in_the_worker(
    run: Run, lead: User, learner: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        record(run, learner, QUIZ[0], "quiz", "50")
        record(run, learner, EXAM, "exam", "90")
    document = default_policy().as_json()
    document["categories"] = [
        {"key": "quiz", "label": "单元测验", "weight": "50"},
        {"key": "exam", "label": "期末考试", "weight": "50"},
    ]
    document["unlock"] = []
    with django_capture_on_commit_callbacks(execute=True):
        services.run_grading_policy_set(actor=lead, run=run, policy=document)
    assert AuditLog.objects.filter(action="courses.grading.policy", actor=lead).exists()
    regrade = selectors.latest_regrade(run=run)
    assert regrade is not None and regrade.status == Regrade.Status.DONE and regrade.learners == 1
    assert regrade.reason == "policy" and regrade.requested_by == lead
    assert grade_of(run, learner).percent == Decimal("70.00")


# --- Scores and the kept grade ----------------------------------------------------------------------------------


def test_a_score_updates_the_learners_grade_with_weights_drops_and_missing_items(run: Run, learner: User) -> None:
    for content_id, earned in zip(QUIZ, ["40", "80", "90", "100"], strict=True):
        record(run, learner, content_id, "quiz", earned)
    grade = grade_of(run, learner)
    # quiz: the lowest (40) dropped → (80+90+100)/300 = 90 %; the only category with items so far
    assert grade.percent == Decimal("90.00") and grade.level == CourseGrade.Level.EXCELLENT
    assert grade.categories["quiz"]["dropped"] == [str(QUIZ[0])]
    record(run, learner, EXAM, "exam", "60")
    grade = grade_of(run, learner)
    # (90 × 20 + 60 × 50) / 70 = 68.57
    assert grade.percent == Decimal("68.57") and grade.level == CourseGrade.Level.PASS
    assert grade.scored == 5


def test_an_assessment_another_learner_misses_counts_as_zero_after_the_regrade(
    run: Run, learner: User, django_capture_on_commit_callbacks: Any
) -> None:
    other = make_user()
    Enrolment.objects.create(run=run, user=other)
    with django_capture_on_commit_callbacks(execute=True):
        record(run, other, EXAM, "exam", "80")
    with django_capture_on_commit_callbacks(execute=True):
        record(run, learner, QUIZ[0], "quiz", "100")  # a new assessment: the run is regraded in the worker
    assert grade_of(run, other).categories["quiz"]["missing"] == [str(QUIZ[0])]
    assert grade_of(run, other).percent == Decimal("57.14")  # (0 × 20 + 80 × 50) / 70


def test_one_learners_update_takes_at_most_ten_queries(
    run: Run, learner: User, django_assert_max_num_queries: Any
) -> None:
    for index, content_id in enumerate(QUIZ):
        record(run, learner, content_id, "quiz", str(50 + index))
    record(run, learner, EXAM, "exam", "70")
    with django_assert_max_num_queries(10):
        record(run, learner, QUIZ[2], "quiz", "95")
    with django_assert_max_num_queries(10):
        record(run, learner, EXAM, "exam", "88")
    assert grade_of(run, learner).categories["exam"]["percent"] == "88.00"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"earned": "120"}, "earned"),
        ({"earned": "-1"}, "earned"),
        ({"earned": "abc"}, "earned"),
        ({"possible": "0", "earned": "0"}, "possible"),
        ({"category": "unknown"}, "category"),
        ({"content_id": "not-a-uuid"}, "content_id"),
    ],
)
def test_a_bad_score_is_refused_and_changes_nothing(
    run: Run, learner: User, change: dict[str, Any], field: str
) -> None:
    arguments = {
        "run": run,
        "user": learner,
        "content_id": QUIZ[0],
        "category": "quiz",
        "earned": "50",
        "possible": "100",
        "source": "quiz",
    }
    with pytest.raises(ValidationError) as caught:
        services.score_record(**{**arguments, **change})
    assert field in caught.value.message_dict
    assert not Score.objects.exists() and not GradedItem.objects.exists()


def test_a_score_for_someone_not_enrolled_is_refused(run: Run) -> None:
    with pytest.raises(DomainError):
        record(run, make_user(), QUIZ[0], "quiz", "50")


# --- Overrides ------------------------------------------------------------------------------------------------------


def test_a_teacher_overrides_with_a_reason_audited_and_a_later_report_keeps_it(
    run: Run, lead: User, learner: User
) -> None:
    record(run, learner, EXAM, "exam", "50")
    services.score_override(actor=lead, run=run, user_id=learner.pk, content_id=EXAM, earned="75", reason="复核加分")
    score = Score.objects.get(run=run, user=learner, content_id=EXAM)
    assert (score.earned, score.overridden, score.override_reason, score.overridden_by) == (
        Decimal("75.00"),
        True,
        "复核加分",
        lead,
    )
    assert grade_of(run, learner).percent == Decimal("75.00")
    entry = AuditLog.objects.get(action="courses.grading.override")
    assert entry.detail["from"] == "50.00" and entry.detail["to"] == "75.00" and entry.detail["reason"] == "复核加分"
    record(run, learner, EXAM, "exam", "40")  # the exam app regrades the attempt: the override stands
    score.refresh_from_db()
    assert score.earned == Decimal("75.00") and score.source_earned == Decimal("40.00")


def test_an_override_needs_a_reason_and_a_score_within_the_maximum(run: Run, lead: User, learner: User) -> None:
    record(run, learner, EXAM, "exam", "50")
    with pytest.raises(ValidationError) as caught:
        services.score_override(actor=lead, run=run, user_id=learner.pk, content_id=EXAM, earned="101", reason="")
    assert {"reason"} <= set(caught.value.message_dict)
    with pytest.raises(ValidationError) as caught:
        services.score_override(actor=lead, run=run, user_id=learner.pk, content_id=EXAM, earned="101", reason="复核")
    assert "earned" in caught.value.message_dict
    assert Score.objects.get(content_id=EXAM).earned == Decimal("50.00")


def test_a_learner_and_a_teaching_assistant_cannot_override(run: Run, learner: User) -> None:
    from zhijiao.courses.models import RunStaff, TeamRole

    record(run, learner, EXAM, "exam", "50")
    assistant = make_user()
    RunStaff.objects.create(run=run, user=assistant, role=TeamRole.ASSISTANT)
    for actor in (learner, assistant):
        with pytest.raises(PermissionDenied):
            services.score_override(
                actor=actor, run=run, user_id=learner.pk, content_id=EXAM, earned="100", reason="自己改"
            )
    assert Score.objects.get(content_id=EXAM).earned == Decimal("50.00")


# --- Unlock rules, the distribution, the pure computation ------------------------------------------------------


def test_the_final_exam_opens_once_every_unit_is_finished(run: Run, learner: User) -> None:
    assert not selectors.assessment_unlocked(run=run, user_id=learner.pk, content_id=str(EXAM), category="exam")
    assert selectors.assessment_unlocked(run=run, user_id=learner.pk, content_id=str(QUIZ[0]), category="quiz")
    Enrolment.objects.filter(run=run, user=learner).update(completion=Decimal("1"))
    assert selectors.assessment_unlocked(run=run, user_id=learner.pk, content_id=str(EXAM), category="exam")


def test_an_unlock_rule_on_another_category(run: Run, lead: User, learner: User) -> None:
    document = default_policy().as_json()
    document["unlock"] = [{"target": "exam", "condition": "category", "category": "quiz", "at_least": "60"}]
    services.run_grading_policy_set(actor=lead, run=run, policy=document)
    run.refresh_from_db()
    record(run, learner, QUIZ[0], "quiz", "50")
    assert not selectors.assessment_unlocked(run=run, user_id=learner.pk, content_id=str(EXAM), category="exam")
    record(run, learner, QUIZ[0], "quiz", "70")
    assert selectors.assessment_unlocked(run=run, user_id=learner.pk, content_id=str(EXAM), category="exam")


def test_the_distribution_counts_kept_grades_in_ten_point_bands(run: Run) -> None:
    for earned in ["5", "59.5", "60", "85", "100"]:
        user = make_user()
        Enrolment.objects.create(run=run, user=user)
        record(run, user, EXAM, "exam", earned)
    bands, counts = selectors.grade_summary(run=run)
    assert bands == [1, 0, 0, 0, 0, 1, 1, 0, 1, 1]
    assert counts == {"fail": 2, "pass": 1, "excellent": 2}


def test_drop_lowest_never_drops_the_only_item() -> None:
    policy = parse_policy({"categories": [{"key": "quiz", "label": "测验", "weight": "100", "drop_lowest": 3}]})
    from zhijiao.courses.grading import Item, Mark

    percent, detail, level = compute_grade(
        policy, [Item("a", "quiz", Decimal("10"))], {"a": Mark(Decimal("3"), Decimal("10"))}
    )
    assert percent == Decimal("30.00") and detail["quiz"]["dropped"] == [] and level == "fail"


def test_regrading_a_run_writes_every_learner_including_those_without_scores(run: Run, lead: User) -> None:
    users = [make_user() for _ in range(5)]
    for user in users:
        Enrolment.objects.create(run=run, user=user)
    for index, user in enumerate(users[:4]):
        record(run, user, EXAM, "exam", str(50 + index * 10))
    CourseGrade.objects.filter(run=run).update(percent=Decimal("1"))
    assert services.run_regrade(run=run) == 5
    percents = sorted(CourseGrade.objects.filter(run=run).values_list("percent", flat=True))
    assert percents == [Decimal("0"), Decimal("50"), Decimal("60"), Decimal("70"), Decimal("80")]
