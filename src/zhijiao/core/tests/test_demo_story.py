"""The demo tells one story and is full where people look first: featured lessons and points have resources, every
column has a second page, films have credits and a minute of video, notices have attachments, special lists name
real majors, 陈思远 is the same person everywhere, 杨帆's runs on now have learners, answers to grade and forums, and
every date fits the day the demo was loaded."""

import re
from datetime import date
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from zhijiao.accounts.models import User
from zhijiao.courses import selectors as course_selectors
from zhijiao.courses.models import (
    Announcement,
    BlockProgress,
    Certificate,
    Course,
    CourseGrade,
    CourseStaff,
    Enrolment,
    GradedItem,
    Rating,
    Run,
    Score,
    TeamRole,
)
from zhijiao.demo import courses as demo_courses
from zhijiao.demo.exams import SPORTS, STRONG_BASE_MAJORS
from zhijiao.demo.k12 import featured_books
from zhijiao.demo.people import chen_siyuan
from zhijiao.demo.seed import seed_demo
from zhijiao.discussion.models import Participation, Thread
from zhijiao.employment.models import Agreement, ApplicationEvent, Graduate, Job, ResumeEntry
from zhijiao.hall.abroad.models import Application as AbroadApplication
from zhijiao.hall.abroad.models import Service
from zhijiao.hall.exams.models import ExamNotice, ExamSitting, SpecialList
from zhijiao.hall.records.models import AcademicRecord
from zhijiao.k12.models import Assignment, Column, KnowledgePoint, Lesson, Resource
from zhijiao.orgs.models import Membership, Role


@pytest.fixture
def seeded(db: None, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seed_demo(scale="small")


def _k12(client: Any) -> None:
    books = featured_books()
    assert len(books) > 50
    published = Q(resources__status=Resource.Status.PUBLISHED)
    lessons = Lesson.objects.filter(unit__book__in=books).annotate(n=Count("resources", filter=published))
    assert lessons.count() > 600 and not lessons.filter(n=0).exists()
    points = KnowledgePoint.objects.filter(lesson__unit__book__in=books).annotate(
        n=Count("resources", filter=published)
    )
    assert points.count() > 1200 and not points.filter(n=0).exists()
    # What a visitor sees: the player and something listed under it, on the lessons and points of a few books.
    for book in books[:3] + books[-2:]:
        lesson = Lesson.objects.filter(unit__book=book).order_by("unit__position", "position").first()
        assert lesson is not None
        point = lesson.points.order_by("position").first()
        for url in (lesson.get_absolute_url(), point.get_absolute_url() if point else ""):
            html = client.get(url).content.decode() if url else ""
            assert "暂无资源" not in html and "<video" in html, url

    for column in Column.values:
        assert Resource.objects.filter(column=column, status=Resource.Status.PUBLISHED).count() >= 12, column
        second = client.get(f"/k12/columns/{column}/?page=2")
        assert second.status_code == 200 and "k12-kind" in second.content.decode(), column
    films = list(Resource.objects.filter(column=Column.FILM, kind=Resource.Kind.VIDEO))
    assert len(films) >= 12
    for film in films:
        assert film.title.startswith("《") and ("导演" in film.description or "出品" in film.description)
        assert " 年 · " in film.description and film.duration_seconds >= 60
        assert film.size_bytes < 300_000 and default_storage.size(str(film.file.name)) == film.size_bytes
    today = timezone.localdate()
    assert Assignment.objects.filter(due_date__lt=today).exists() and Assignment.objects.filter(due_date__gt=today)


def _hall(now: Any) -> None:
    notices = ExamNotice.objects.filter(status=ExamNotice.Status.PUBLISHED).annotate(n=Count("attachments"))
    assert notices.count() > 10 and not notices.filter(n=0).exists()
    assert notices.filter(attachments__name__endswith=".xlsx").exists()
    strong = SpecialList.objects.get(program=SpecialList.Program.STRONG_BASE)
    assert set(strong.candidates.values_list("major", flat=True)) <= set(STRONG_BASE_MAJORS)
    sports = SpecialList.objects.get(program=SpecialList.Program.SPORTS)
    assert set(sports.candidates.values_list("major", flat=True)) <= set(SPORTS)
    for special in (strong, sports):
        assert special.notice_start < now < special.notice_end
    for sitting in ExamSitting.objects.all():
        assert sitting.held_on < timezone.localdate(now), sitting.session  # no scores for a test not yet held
        assert timezone.localdate(sitting.release_at) > sitting.held_on
    assert ExamSitting.objects.filter(release_at__gt=now).exists() and ExamSitting.objects.filter(release_at__lte=now)


def _chen_siyuan(today: date) -> None:
    persona = chen_siyuan(today)
    user = User.objects.select_related("identity").get(phone=persona.phone)
    assert user.identity.real_name == persona.name
    assert user.identity.birth_date.year == persona.bachelor_start.year - 18

    records = list(AcademicRecord.objects.filter(id_number_index=user.identity.id_number_index))
    assert len(records) == 3
    assert {(r.university.name, r.programme, r.entry_date, r.end_date) for r in records} == {
        (persona.university, persona.major, persona.bachelor_start, persona.bachelor_end)
    }
    graduate = Graduate.objects.select_related("university").get(user=user)
    assert (graduate.university.name, graduate.major, graduate.graduation_year) == (
        persona.university,
        persona.major,
        persona.bachelor_end.year,
    )
    education = {
        (e.title, e.start, e.end): e.subtitle
        for e in ResumeEntry.objects.filter(resume__owner=user, section="education")
    }
    assert education == {
        (persona.university, persona.bachelor_start, persona.bachelor_end): f"{persona.major} 本科",
        (
            persona.master_institution,
            persona.master_start,
            persona.master_end,
        ): f"{persona.master_major} 硕士（中国香港）",
    }
    agreement = Agreement.objects.select_related("university").get(graduate=user)
    assert agreement.status == Agreement.Status.SIGNED and agreement.university.name == persona.university
    assert "生物医药" in agreement.terms["employer"] and "生物制药" in agreement.terms["job_title"]
    assert agreement.terms["major"] == persona.major and agreement.terms["graduation_year"] == graduate.graduation_year
    assert date.fromisoformat(agreement.terms["report_by"]) > today

    applications = {a.service: a for a in AbroadApplication.objects.filter(applicant=user)}
    assert set(applications) == {Service.DEGREE, Service.RETURNEE}
    for application in applications.values():
        data = application.data
        assert (data["institution"], data["major"]) == (persona.master_institution, persona.master_major)
        start, end = date.fromisoformat(data["study_start"]), date.fromisoformat(data["study_end"])
        assert persona.bachelor_end < start < end < today  # after the bachelor's, not overlapping it, and finished
    assert date.fromisoformat(applications[Service.DEGREE].data["awarded_on"]) < today


def _dates(now: Any) -> None:
    today = timezone.localdate(now)
    assert not Job.objects.filter(status=Job.Status.PUBLISHED, valid_through__lt=today).exists()
    for agreement in Agreement.objects.all():
        assert date.fromisoformat(agreement.terms["report_by"]) >= today
    # An application that moved past its written test or interview had them in the past; one waiting at it, ahead.
    events = ApplicationEvent.objects.filter(scheduled_at__isnull=False).select_related("application")
    assert events.filter(scheduled_at__gt=now).exists()
    for event in events:
        if event.application.status != event.status:
            assert event.scheduled_at < now, (event.status, event.application.status)


def _courses(client: Any, now: Any) -> None:
    courses = list(
        Course.objects.filter(platform="higher", published_version__isnull=False).select_related("discipline")
    )
    assert len(courses) >= 60
    codes = [c.discipline.code if c.discipline else "" for c in courses]
    assert len(set(codes)) >= 10 and all(len(code) == 4 for code in codes)
    assert len({c.university_id for c in courses}) >= 20
    titles = {c.title for c in courses}
    assert set(demo_courses.NAMED) <= titles and set(demo_courses.IDEOLOGY) <= titles
    for course in courses:
        assert course.syllabus and course.summary and course.tags and course.credit_hours and course.credits
        assert course.published_at is not None and course.published_at < now
    assert sum(1 for c in courses if c.first_class_year) >= 20

    # Every enrolment's completion and last unit are what its progress rows say; the kept counts match the rows.
    outlines = {c.pk: course_selectors.published_outline(course=c) for c in courses}
    blocks: dict[int, set[str]] = {}
    units: dict[int, set[str]] = {}
    for course_id, outline in outlines.items():
        nodes = list(course_selectors.walk(outline["nodes"]))
        blocks[course_id] = {b["content_id"] for n in nodes for b in n["blocks"]}
        units[course_id] = {n["content_id"] for n in nodes if n["kind"] == "unit"}
        kinds = {b["type"] for n in nodes for b in n["blocks"]}
        assert {"video", "document", "richtext"} <= kinds
        assert {"chapter", "unit"} <= {n["kind"] for n in nodes}
    done: dict[int, set[str]] = {}
    for user_id, content_id in BlockProgress.objects.filter(completed_at__isnull=False).values_list(
        "user_id", "content_id"
    ):
        done.setdefault(user_id, set()).add(str(content_id))
    enrolments = list(Enrolment.objects.select_related("run"))
    chapter_of = {
        b["content_id"]: chapter["content_id"]
        for outline in outlines.values()
        for chapter in outline["nodes"]
        for n in course_selectors.walk([chapter])
        for b in n["blocks"]
    }
    for enrolment in enrolments:
        mine = blocks[enrolment.run.course_id]
        studied = mine & done.get(enrolment.user_id, set())
        share = len(studied) / len(mine)
        releases = course_selectors.release_times(enrolment.run)
        assert all(
            course_selectors.chapter_is_open(enrolment.run, chapter_of[b], releases=releases, now=now) for b in studied
        ), "progress in a chapter not yet released"
        assert abs(float(enrolment.completion) - share) < 0.001
        assert enrolment.last_unit is None or str(enrolment.last_unit) in units[enrolment.run.course_id]
    for run in Run.objects.all():
        assert run.enrolment_count == sum(1 for e in enrolments if e.run_id == run.pk)
    for course in courses:
        assert course.enrolment_count == sum(1 for e in enrolments if e.run.course_id == course.pk)
        stars = list(Rating.objects.filter(course=course).values_list("stars", flat=True))
        assert (course.rating_count, course.rating_sum) == (len(stars), sum(stars))
    assert Rating.objects.exclude(comment="").count() >= 50 and Announcement.objects.count() >= 5

    # Runs on now for every course; the finished runs granted certificates to the learners who met their rule
    # (issued to those with a real-name identity, waiting for the others), and only to them.
    for course in courses:
        assert Run.objects.filter(course=course, starts_at__lt=now, ends_at__gt=now, enrol_closes_at__gt=now)
    finished = Run.objects.filter(ends_at__lt=now)
    assert finished.exists()
    # They were graded too: a certificate also needs the pass line, and says 合格 or 优秀.
    for run in finished:
        assert run.certificates_issued_at is not None
        levels = dict(CourseGrade.objects.filter(run=run).values_list("user_id", "level"))
        completed = {e.user_id for e in enrolments if e.run_id == run.pk and e.completion >= run.certificate_completion}
        met = {user for user in completed if levels.get(user) in ("pass", "excellent")}
        assert met and len(met) < len(completed) < run.enrolment_count
        certificates = dict(Certificate.objects.filter(run=run).values_list("user_id", "level"))
        assert set(certificates) == met and all(certificates[user] == levels[user] for user in met)
    assert Certificate.objects.filter(status=Certificate.Status.ISSUED).exists()
    assert {"pass", "excellent"} <= set(Certificate.objects.values_list("level", flat=True))
    # The forums' current runs scored 课堂讨论: every prompt is a graded item, every answer a score in the grade.
    prompts = list(Thread.objects.filter(kind="prompt").select_related("run"))
    assert prompts
    for thread in prompts:
        key = thread.block_content_id
        assert key is not None
        assert GradedItem.objects.filter(run=thread.run, content_id=key, category="discussion").exists()
        answered = Score.objects.filter(run=thread.run, content_id=key, source="discussion.prompt")
        assert answered.count() == Participation.objects.filter(run=thread.run, content_id=key).count() > 0
        grade = CourseGrade.objects.get(run=thread.run, user_id=answered.first().user_id)  # type: ignore[union-attr]
        assert float(grade.categories["discussion"]["percent"]) > 0

    teacher = User.objects.get(phone=demo_courses.TEACHER_PHONE)
    led = set(CourseStaff.objects.filter(user=teacher, role=TeamRole.LEAD).values_list("course__title", flat=True))
    assert led == set(demo_courses.TEACHER_COURSES)
    chen = chen_siyuan(timezone.localdate(now))
    chen_courses = {
        e.run.course.title: e for e in Enrolment.objects.filter(user__phone=chen.phone).select_related("run__course")
    }
    assert set(chen_courses) == {title for title, _ in demo_courses.CHEN_STUDIES}
    assert len({e.completion for e in chen_courses.values()}) == len(chen_courses)
    covid = chen_courses[demo_courses.COVID]
    assert covid.run.ends_at < now and covid.completion == 1

    # What a learner opens: a unit with a playable video, and the video itself.
    course = next(c for c in courses if c.title == demo_courses.MENTAL_HEALTH)
    unit = next(n for n in course_selectors.walk(outlines[course.pk]["nodes"]) if n["kind"] == "unit")
    page = client.get(f"/courses/{course.pk}/units/{unit['content_id']}/")
    assert page.status_code == 200 and "<video" in page.content.decode()
    video = next(b for b in unit["blocks"] if b["type"] == "video")
    media = client.get(f"/courses/{course.pk}/media/{video['content_id']}/file", HTTP_RANGE="bytes=0-99")
    assert media.status_code == 206 and media["Content-Type"] == "video/mp4"


def _teacher_runs(client: Any, now: Any) -> None:
    """杨帆 signs in: every run on now of the two courses 杨帆 leads (《教育心理学》's open run and its SPOC too) lists
    learners at different progress and a gradebook of them, has answers waiting in the grading queue (批阅) and a forum
    with discussions and answered questions; a SPOC's learners are its university's students."""
    teacher = User.objects.get(phone=demo_courses.TEACHER_PHONE)
    client.force_login(teacher)
    live = list(
        Run.objects.filter(course__title__in=demo_courses.TEACHER_COURSES, starts_at__lt=now, ends_at__gt=now)
        .select_related("course")
        .order_by("id")
    )
    assert sorted((run.course.title, run.kind) for run in live) == [
        ("大学生心理健康", Run.Kind.OPEN),
        ("教育心理学", Run.Kind.OPEN),
        ("教育心理学", Run.Kind.SPOC),
    ]
    for run in live:
        course = run.course
        listing = client.get(reverse("courses:run_list", args=[course.pk])).content.decode()
        assert reverse("courses:run_settings", args=[course.pk, run.pk]) in listing
        enrolled = list(Enrolment.objects.filter(run=run).select_related("user"))
        assert len(enrolled) >= 10 and len({e.completion for e in enrolled}) >= 4, run
        page = client.get(reverse("courses:run_learners", args=[course.pk, run.pk]))
        html = page.content.decode()
        assert page.status_code == 200 and "还没有人选课" not in html
        assert all(escape(str(e.user)) in html for e in enrolled)
        html = client.get(reverse("courses:gradebook", args=[course.pk, run.pk])).content.decode()
        assert html.count("data-user=") >= 10, run
        if run.kind == Run.Kind.SPOC:
            students = Membership.objects.filter(organization=run.university_id, role=Role.STUDENT)
            assert set(students.values_list("user_id", flat=True)) >= {e.user_id for e in enrolled}
        queue = reverse("assessment_review:queue", args=[course.pk, run.pk])
        html = client.get(queue).content.decode()
        assert "没有待批阅的答案" not in html and len(re.findall(re.escape(queue) + r"\d+/", html)) >= 3, run
        forum = reverse("discussion:forum", args=[run.pk])
        html = client.get(forum).content.decode()
        assert len(set(re.findall(r"/discussion/threads/\d+/", html))) >= 3, run
        html = client.get(forum, {"tab": "question"}).content.decode()
        assert "已解决" in html and "还没有提问" not in html, run
    client.logout()


def test_the_demo_tells_one_story_on_the_day_it_is_loaded(seeded: None, client: Any) -> None:
    now = timezone.now()
    _k12(client)
    _hall(now)
    _chen_siyuan(timezone.localdate(now))
    _dates(now)
    _courses(client, now)
    _teacher_runs(client, now)
