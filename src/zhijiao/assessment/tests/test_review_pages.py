"""The grading queue and the 互评 pages, without JavaScript: what the teaching team and a learner see and do."""

import pytest
from django.urls import reverse

from zhijiao.accounts.tests.factories import make_user

from .. import services
from ..models import AttemptItem, ItemStatus, PeerReview
from .factories import HOMEWORK, current, make_question, make_run, make_submission, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(course, lead):
    publish(course, lead)
    return make_run(course=course)


@pytest.fixture
def short(lead, course):
    return current(make_question(actor=lead, course=course, type="short"))


@pytest.fixture
def essay(lead, course):
    return current(make_question(actor=lead, course=course, type="essay"))


def _base(run):
    return f"/courses/{run.course_id}/runs/{run.pk}"


def test_a_teacher_grades_the_queue_one_answer_after_another(client, lead, run, short) -> None:
    first = make_submission(run=run, user=make_user(display_name="小林"), version=short, status="staff",
                            response="<script>alert(1)</script>顺序表连续存储")  # fmt: skip
    second = make_submission(run=run, user=make_user(display_name="小周"), version=short, status="staff")
    client.force_login(lead)
    page = client.get(f"{_base(run)}/marking/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "小林" in text and "小周" in text and text.index("小林") < text.index("小周")
    item = first.items.get()
    shown = client.get(f"{_base(run)}/marking/{item.pk}/")
    body = shown.content.decode()
    assert "存储方式" in body and "下一份" in body
    assert "<script>alert(1)" not in body and "&lt;script&gt;" in body
    graded = client.post(f"{_base(run)}/marking/{item.pk}/", {"scores.0": "2", "scores.1": "3", "feedback": "很好"})
    assert graded.status_code == 302
    assert graded["Location"].endswith(f"/marking/{second.items.get().pk}/")
    item.refresh_from_db()
    assert item.status == ItemStatus.GRADED and str(item.earned) == "5.00"
    queue = client.get(f"{_base(run)}/marking/").content.decode()
    assert f'data-item="{item.pk}"' not in queue and f'data-item="{second.items.get().pk}"' in queue


def test_bad_grades_come_back_as_field_errors(client, lead, run, short) -> None:
    item = make_submission(run=run, user=make_user(), version=short, status="staff").items.get()
    client.force_login(lead)
    response = client.post(
        f"{_base(run)}/marking/{item.pk}/", {"scores.0": "9", "scores.1": "1", "feedback": "长" * 2001}
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "分数应在 0 到 2 之间" in body and "评语不能超过 2000 个字" in body
    item.refresh_from_db()
    assert item.status == ItemStatus.STAFF


def test_a_learner_and_another_runs_teacher_are_refused_the_queue(client, course, run, short) -> None:
    from zhijiao.courses.models import RunStaff, TeamRole

    learner = make_user()
    item = make_submission(run=run, user=learner, version=short, status="staff").items.get()
    client.force_login(learner)
    assert client.get(f"{_base(run)}/marking/").status_code == 403
    assert client.post(f"{_base(run)}/marking/{item.pk}/", {"scores.0": "2", "scores.1": "3"}).status_code == 403
    teacher = make_user()
    RunStaff.objects.create(run=make_run(course=course, title="别的学期"), user=teacher, role=TeamRole.TEACHER)
    client.force_login(teacher)
    assert client.get(f"{_base(run)}/marking/{item.pk}/").status_code == 403


def test_the_run_pages_link_to_the_queue(client, lead, run) -> None:
    client.force_login(lead)
    page = client.get(f"{_base(run)}/gradebook/").content.decode()
    assert f"{_base(run)}/marking/" in page


def test_a_learner_reviews_a_peer_blind_on_the_peer_page(client, run, essay) -> None:
    me = make_user(display_name="学生甲")
    make_submission(run=run, user=me, version=essay)
    make_submission(run=run, user=make_user(display_name="作者乙"), version=essay, response="哈希表用于缓存")
    client.force_login(me)
    page = client.get(f"{_base(run)}/peer/")
    assert page.status_code == 200 and "评阅下一份" in page.content.decode()
    asked = client.post(f"{_base(run)}/peer/{HOMEWORK}/next")
    assert asked.status_code == 302
    shown = client.get(asked["Location"]).content.decode()
    assert "哈希表用于缓存" in shown and "作者乙" not in shown and "观点明确" in shown
    done = client.post(asked["Location"], {"scores.0": "8", "comment": "例子不错"})
    assert done.status_code == 302
    assert PeerReview.objects.get(reviewer=me).total == 8
    page = client.get(f"{_base(run)}/peer/").content.decode()
    assert "已完成互评 1 / 3 份" in page and "作者乙" not in page


def test_nobody_opens_anothers_review_page(client, run, essay) -> None:
    a, b = make_user(), make_user()
    make_submission(run=run, user=a, version=essay)
    make_submission(run=run, user=b, version=essay)
    client.force_login(a)
    location = client.post(f"{_base(run)}/peer/{HOMEWORK}/next")["Location"]
    client.force_login(b)
    assert client.get(location).status_code == 404
    assert client.post(location, {"scores.0": "8"}).status_code == 404
    assert AttemptItem.objects.filter(status=ItemStatus.GRADED).count() == 0


def test_a_learner_without_a_submission_is_told_why(client, run, essay) -> None:
    make_submission(run=run, user=make_user(), version=essay)
    client.force_login(make_user())
    refused = client.post(f"{_base(run)}/peer/{HOMEWORK}/next")
    assert refused.status_code == 403


def test_the_result_page_says_the_score_waits_for_peer_review_and_links_to_it(client, run, essay) -> None:
    me = make_user()
    mine = make_submission(run=run, user=me, version=essay)
    for _n in range(3):
        make_submission(run=run, user=make_user(), version=essay)
    client.force_login(me)
    peer_page = reverse("assessment_review:peer", args=[run.course_id, run.pk])
    page = client.get(reverse("attempts:result", args=[mine.pk])).content.decode()
    assert "还有 1 道题在同学互评中" in page and "待批阅" not in page
    assert "您还需评阅 3 份同学的答案（已完成 0 / 3）" in page and f'href="{peer_page}"' in page
    review = services.review_next(actor=me, run=run, content_id=HOMEWORK)
    assert review is not None
    services.review_submit(actor=me, review=review, scores=["8"], comment="论证清楚")
    page = client.get(reverse("attempts:result", args=[mine.pk])).content.decode()
    assert "您还需评阅 2 份同学的答案（已完成 1 / 3）" in page and f'href="{peer_page}"' in page


def test_the_result_page_of_homework_without_peer_review_says_nothing_of_it(client, run, short) -> None:
    me = make_user()
    mine = make_submission(run=run, user=me, version=short, status=ItemStatus.STAFF)
    client.force_login(me)
    page = client.get(reverse("attempts:result", args=[mine.pk])).content.decode()
    assert "还有 1 道题待批阅" in page and "互评" not in page
