"""The learners' side: the course page, enrolling (the kept counts), the learning page (continue, previous/next,
chapters released later), progress per block keeping the enrolment's completion, 我的课程, ratings; and what a
learner is refused: an unreleased chapter, a SPOC of another university, another learner's progress, a progress
event for a block not in the run."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connections
from django.utils import timezone

from zhijiao.accounts.models import User
from zhijiao.accounts.tests.factories import make_user
from zhijiao.core.prepared import _PLAIN
from zhijiao.courses import services
from zhijiao.courses.models import Block, BlockProgress, Course, Enrolment, Node, Rating, Run, RunRelease
from zhijiao.courses.selectors import learning
from zhijiao.orgs.models import Organization, Role
from zhijiao.orgs.tests.factories import add_member

from .factories import build_tree

pytestmark = pytest.mark.django_db

API = "/api/v1/courses"


def post(client: Any, url: str, data: Any) -> Any:
    return client.post(url, data, content_type="application/json")


def make_run(lead: User, course: Course, **fields: Any) -> Run:
    now = timezone.now()
    dates = {
        "enrol_opens_at": now - timedelta(days=1),
        "enrol_closes_at": now + timedelta(days=30),
        "starts_at": now - timedelta(days=1),
        "ends_at": now + timedelta(days=90),
    }
    return services.run_create(
        actor=lead, course=course, **{"title": "2026 秋季学期", "kind": "open", **dates, **fields}
    )


@pytest.fixture
def published(lead: User, course: Course) -> Course:
    build_tree(course, chapters=2, sections=1, units=2, blocks=2)
    services.course_publish(actor=lead, course=course)
    course.refresh_from_db()
    return course


@pytest.fixture
def run(lead: User, published: Course) -> Run:
    return make_run(lead, published)


def units_of(course: Course) -> list[str]:
    return [unit.content_id for unit in learning.learning_index(course=course).units]


def enrol(client: Any, user: User, course: Course, run: Run, **data: str) -> Any:
    client.force_login(user)
    return client.post(f"/courses/{course.pk}/enrol/", {"run": run.pk, **data})


def test_the_course_page_shows_about_runs_teachers_and_ratings(
    client: Any, lead: User, published: Course, run: Run
) -> None:
    Course.objects.filter(pk=published.pk).update(
        first_class_year=2023, prerequisites="离散数学", syllabus="<p>线性表、树、图</p>", credits=Decimal("2.5")
    )
    page = client.get(published.get_absolute_url())
    text = page.content.decode()
    assert page.status_code == 200
    for expected in (
        "数据结构",
        "国家级一流课程",
        "离散数学",
        "线性表、树、图",
        "2.5",
        run.title,
        str(lead),
        "登录后选课",
    ):
        assert expected in text, expected


def test_a_learner_enrols_the_counts_grow_and_the_learning_page_continues(
    client: Any, student: User, published: Course, run: Run
) -> None:
    response = enrol(client, student, published, run)
    assert response.status_code == 302 and response["Location"] == f"/courses/{published.pk}/learn/"
    published.refresh_from_db()
    run.refresh_from_db()
    assert (published.enrolment_count, run.enrolment_count) == (1, 1)
    units = units_of(published)
    first = client.get(f"/courses/{published.pk}/learn/")
    assert first.status_code == 200 and first.context["view"].unit.content_id == units[0]
    assert first.context["view"].previous is None and first.context["view"].following.content_id == units[1]
    client.get(f"/courses/{published.pk}/learn/{units[2]}/")
    again = client.get(f"/courses/{published.pk}/learn/")
    assert again.context["view"].unit.content_id == units[2]  # continue where I left off
    assert Enrolment.objects.get(user=student).last_unit is not None
    mine = client.get("/courses/mine/")
    assert mine.status_code == 200 and "数据结构" in mine.content.decode()


def test_progress_keeps_completion_and_per_unit_ticks(client: Any, student: User, published: Course, run: Run) -> None:
    enrol(client, student, published, run)
    index = learning.learning_index(course=published)
    first_unit = index.units[0]
    for content_id in first_unit.blocks:
        reply = post(client, f"{API}/runs/{run.pk}/progress", {"content_id": content_id, "opened": True})
        assert reply.status_code == 200 and reply.json()["completed"] is True
    enrolment = Enrolment.objects.get(user=student)
    assert enrolment.completion == Decimal("0.250")  # 2 of 8 blocks
    assert str(enrolment.last_unit) == first_unit.content_id and enrolment.last_studied_at is not None
    page = client.get(f"/courses/{published.pk}/learn/{first_unit.content_id}/")
    entry = page.context["view"].chapters[0]["entries"][1]
    assert entry["complete"] is True and entry["done"] == 2
    outline = client.get(f"{API}/{published.pk}/learning").json()
    assert outline["completed"] == 2 and outline["total"] == 8
    assert outline["chapters"][0]["units"][0]["completed"] == 2


def test_an_unreleased_chapter_shows_when_it_opens_and_is_refused(
    client: Any, student: User, published: Course, run: Run
) -> None:
    index = learning.learning_index(course=published)
    later = index.chapters[1]["content_id"]
    RunRelease.objects.create(run=run, content_id=later, opens_at=timezone.now() + timedelta(days=7))
    enrol(client, student, published, run)
    closed_unit = next(unit for unit in index.units if unit.chapter == later)
    outline = client.get(f"/courses/{published.pk}/learn/")
    assert outline.context["view"].chapters[1]["open"] is False
    assert f"/learn/{closed_unit.content_id}/" not in outline.content.decode()
    refused = client.get(f"/courses/{published.pk}/learn/{closed_unit.content_id}/")
    assert refused.status_code == 403 and "尚未开放" in refused.content.decode()
    event = post(client, f"{API}/runs/{run.pk}/progress", {"content_id": closed_unit.blocks[0], "opened": True})
    assert event.status_code == 403 and event.json()["code"] == "chapter_closed"
    assert not BlockProgress.objects.exists()


def test_a_spoc_of_another_university_is_neither_offered_nor_joined(
    client: Any, lead: User, orgs: dict[str, Organization], published: Course, student: User
) -> None:
    spoc = make_run(lead, published, kind="spoc", university=orgs["university"], join_code="DS2026")
    client.force_login(student)
    assert spoc.title not in client.get(published.get_absolute_url()).content.decode()
    refused = enrol(client, student, published, spoc, join_code="DS2026")
    assert refused.status_code == 403 and not Enrolment.objects.exists()
    own = make_user(display_name="本校学生")
    add_member(own, orgs["university"], Role.STUDENT)
    client.force_login(own)
    assert "选课码" in client.get(published.get_absolute_url()).content.decode()
    assert enrol(client, own, published, spoc, join_code="ds2026").status_code == 302
    assert Run.objects.get(pk=spoc.pk).enrolment_count == 1


def test_a_learner_sees_only_their_own_progress(client: Any, student: User, published: Course, run: Run) -> None:
    block = learning.learning_index(course=published).block_ids[0]
    enrol(client, student, published, run)
    post(client, f"{API}/runs/{run.pk}/progress", {"content_id": block, "opened": True})
    classmate = make_user()
    client.force_login(classmate)
    assert client.get(f"{API}/{published.pk}/learning").status_code == 404  # not enrolled: nothing to read
    assert client.get(f"/courses/{published.pk}/learn/").status_code == 302
    enrol(client, classmate, published, run)
    theirs = client.get(f"{API}/{published.pk}/learning").json()
    assert theirs["completed"] == 0
    assert client.get(f"/courses/{published.pk}/learn/").context["view"].completed == 0


def test_a_progress_event_for_a_block_not_in_the_run_is_refused(
    client: Any, lead: User, student: User, published: Course, run: Run
) -> None:
    other = Course.objects.create(title="别的课")
    build_tree(other, chapters=1, sections=1, units=1, blocks=1)
    enrol(client, student, published, run)
    foreign = str(other.blocks.get().content_id)
    response = post(client, f"{API}/runs/{run.pk}/progress", {"content_id": foreign, "opened": True})
    assert response.status_code == 422 and "content_id" in response.json()["fields"]
    assert not BlockProgress.objects.exists()


def test_ratings_need_progress_are_one_per_learner_and_keep_the_sums(
    client: Any, student: User, published: Course, run: Run
) -> None:
    enrol(client, student, published, run)
    url = f"{API}/{published.pk}/rating"
    early = client.put(url, {"stars": 5, "comment": "好"}, content_type="application/json")
    assert early.status_code == 403 and early.json()["code"] == "no_progress"
    block = learning.learning_index(course=published).block_ids[0]
    post(client, f"{API}/runs/{run.pk}/progress", {"content_id": block, "opened": True})
    first = client.put(url, {"stars": 4, "comment": "讲得清楚"}, content_type="application/json")
    assert first.status_code == 200 and first.json()["rating_count"] == 1
    changed = client.post(f"/courses/{published.pk}/rating/", {"stars": "2", "comment": "后面太难"})
    assert changed.status_code == 302
    published.refresh_from_db()
    assert (published.rating_count, published.rating_sum, Rating.objects.count()) == (1, 2, 1)
    bad = client.put(url, {"stars": 9}, content_type="application/json")
    assert bad.status_code == 422
    assert "后面太难" in client.get(published.get_absolute_url()).content.decode()


@pytest.mark.parametrize("who", ["anonymous", "not_enrolled"])
def test_only_learners_rate(client: Any, student: User, published: Course, who: str) -> None:
    if who == "not_enrolled":
        client.force_login(student)
    response = client.put(f"{API}/{published.pk}/rating", {"stars": 5}, content_type="application/json")
    assert response.status_code == {"anonymous": 401, "not_enrolled": 403}[who]
    assert not Rating.objects.exists()


def test_the_learning_page_of_a_thousand_block_course_reads_eight_queries(
    client: Any, lead: User, course: Course, student: User, django_assert_max_num_queries: Any
) -> None:
    assert build_tree(course, chapters=10, sections=5, units=5, blocks=4) == 1000
    services.course_publish(actor=lead, course=course)
    course.refresh_from_db()
    run = make_run(lead, course)
    index = learning.learning_index(course=course)
    for chapter in index.chapters[5:]:
        RunRelease.objects.create(run=run, content_id=chapter["content_id"], opens_at=timezone.now() + timedelta(1))
    enrol(client, student, course, run)
    for content_id in index.block_ids[:300]:
        services.progress_record(actor=student, run=run, content_id=content_id, opened=True)
    unit = index.units[80].content_id
    client.get(f"/courses/{course.pk}/learn/{unit}/")  # warm the process caches once, as a running server has
    # The session, the user, the enrolment with its run and course, the run's release times, the learner's
    # progress, "continue here" moved to this unit, the unread-message count and the memberships (the desk bar).
    with django_assert_max_num_queries(8):
        page = client.get(f"/courses/{course.pk}/learn/{index.units[81].content_id}/")
    assert page.status_code == 200 and page.context["view"].completed == 300
    assert Node.objects.filter(course=course).count() > 0 and Block.objects.filter(course=course).count() == 1000
    # every hot read of the page had its SQL built once, on this database too (none fell back to compiling each time)
    from zhijiao.accounts.backends import USER_BY_PK
    from zhijiao.courses.selectors.runs import _RELEASES
    from zhijiao.notifications.selectors import _UNREAD
    from zhijiao.orgs.selectors import _HELD

    plans = connections["default"].__dict__["_zhijiao_prepared"]
    for query in (USER_BY_PK, _HELD, _UNREAD, learning._LEARNING_ENROLMENT, _RELEASES):
        used = [plan for key, plan in plans.items() if key[0] is query._key]
        assert used and all(plan is not _PLAIN for plan in used)


def test_the_learners_pages_read_in_english(
    client: Any, settings: Any, student: User, published: Course, run: Run
) -> None:
    import re

    enrol(client, student, published, run)
    block = learning.learning_index(course=published).block_ids[0]
    post(client, f"{API}/runs/{run.pk}/progress", {"content_id": block, "opened": True})
    client.get("/courses/mine/")  # shows the Chinese "enrolled" message queued before the switch
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    data = [published.title, run.title, str(student), *(str(m.user) for m in published.staff.all())]
    data += [node.title for node in Node.objects.filter(course=published)]
    data += [block.title for block in Block.objects.filter(course=published)]
    data += [re.sub(r"<[^>]+>", "", block.data.get("html", "")) for block in Block.objects.filter(course=published)]
    for url in (published.get_absolute_url(), f"/courses/{published.pk}/learn/", "/courses/mine/"):
        page = client.get(url)
        assert page.status_code == 200
        text = re.sub(r"<[^>]+>", " ", page.content.decode())
        main = text[text.find("</header>") if "</header>" in text else 0 :]
        for item in sorted(data, key=len, reverse=True):
            main = main.replace(item, "")
        chinese = set(re.findall(r"[\u4e00-\u9fff]+", main)) - {"智", "中文"}  # the logo, the language switch
        assert not chinese, (url, chinese)


@pytest.mark.parametrize("page", ["enrol", "learn", "mine", "rate"])
def test_visitors_are_sent_to_sign_in(client: Any, published: Course, run: Run, page: str) -> None:
    response = {
        "enrol": lambda: client.post(f"/courses/{published.pk}/enrol/", {"run": run.pk}),
        "learn": lambda: client.get(f"/courses/{published.pk}/learn/"),
        "mine": lambda: client.get("/courses/mine/"),
        "rate": lambda: client.post(f"/courses/{published.pk}/rating/", {"stars": "5"}),
    }[page]()
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Enrolment.objects.exists() and not Rating.objects.exists()


def test_the_course_page_reads_a_fixed_number_of_queries(
    client: Any,
    lead: User,
    orgs: dict[str, Organization],
    student: User,
    published: Course,
    run: Run,
    django_assert_max_num_queries: Any,
) -> None:
    for number in range(3):
        make_run(lead, published, title=f"第{number}期")
    make_run(lead, published, title="校内", kind="spoc", university=orgs["university"])
    enrol(client, student, published, run)
    block = learning.learning_index(course=published).block_ids[0]
    post(client, f"{API}/runs/{run.pk}/progress", {"content_id": block, "opened": True})
    services.rating_save(actor=student, course=published, stars=5, comment="好课")
    client.get(published.get_absolute_url())
    with django_assert_max_num_queries(14):
        page = client.get(published.get_absolute_url())
    assert page.status_code == 200 and "好课" in page.content.decode() and "校内" not in page.content.decode()


def test_a_video_resumes_at_the_saved_position_and_counts_at_ninety_percent(
    client: Any, lead: User, course: Course, student: User
) -> None:
    build_tree(course, chapters=1, sections=1, units=1, blocks=2)
    video = Block.objects.filter(course=course).first()
    assert video is not None
    Block.objects.filter(pk=video.pk).update(type="video", data={"file": 1})
    services.course_publish(actor=lead, course=course)
    course.refresh_from_db()
    run = make_run(lead, course)
    enrol(client, student, course, run)
    url = f"{API}/runs/{run.pk}/progress"
    content_id = str(video.content_id)
    assert post(client, url, {"content_id": content_id, "position": 42, "watched": 0.5}).json()["completed"] is False
    page = client.get(f"/courses/{course.pk}/learn/").content.decode()
    assert 'data-position="42"' in page and 'data-watched="0.500"' in page
    assert Enrolment.objects.get(user=student).completion == Decimal("0")
    post(client, url, {"content_id": content_id, "position": 80, "watched": 0.95})
    assert Enrolment.objects.get(user=student).completion == Decimal("0.500")
