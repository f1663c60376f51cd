"""Catalogue fixtures: media in a temporary folder, and published higher-education courses made through the
course engine's services (so they are dated and indexed the way teachers' courses are)."""

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache

from zhijiao.accounts.models import User
from zhijiao.courses import services
from zhijiao.courses.models import Course, CourseVersion, Discipline
from zhijiao.courses.selectors import content as content_selectors
from zhijiao.courses.tests.factories import build_tree, make_course
from zhijiao.orgs.models import Organization
from zhijiao.orgs.tests.factories import make_organization


@pytest.fixture(autouse=True)
def catalogue_settings(settings: Any, tmp_path: Any, disciplines: None) -> Iterator[None]:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    content_selectors._outline_cache.clear()
    cache.clear()
    yield
    content_selectors._outline_cache.clear()


@pytest.fixture
def lead(university_faculty: User) -> User:
    return university_faculty


@pytest.fixture
def bnu(orgs: dict[str, Organization]) -> Organization:
    return orgs["university"]


@pytest.fixture
def tsinghua(db: None) -> Organization:
    return make_organization(Organization.Kind.UNIVERSITY, "清华大学")


def discipline(code: str) -> Discipline:
    return Discipline.objects.get(code=code)


@pytest.fixture
def publish(lead: User, bnu: Organization, django_capture_on_commit_callbacks: Any) -> Callable[..., Course]:
    """A course written and published by ``lead`` (indexed after commit); about fields as keywords."""

    def make(
        title: str, *, code: str = "0812", enrolments: int = 0, ratings: tuple[int, int] = (0, 0), **fields: Any
    ) -> Course:
        fields.setdefault("university", bnu)
        fields.setdefault("summary", f"{title}：面向本科生的在线开放课程。")
        course = make_course(lead=lead, title=title, discipline=discipline(code), **fields)
        build_tree(course, chapters=1, sections=1, units=1, blocks=1)
        with django_capture_on_commit_callbacks(execute=True):
            services.course_publish(actor=lead, course=course)
        Course.objects.filter(pk=course.pk).update(
            enrolment_count=enrolments, rating_count=ratings[0], rating_sum=ratings[1]
        )
        course.refresh_from_db()
        return course

    return make


def bulk_published(lead: User, university: Organization, count: int, *, code: str = "0812") -> list[Course]:
    """Many published courses in a few inserts (no search documents): for pages and query counts."""
    subject = discipline(code)
    courses = Course.objects.bulk_create(
        [
            Course(
                title=f"批量课程{n:03d}",
                university=university,
                discipline=subject,
                created_by=lead,
                enrolment_count=n,
                rating_count=n % 7,
                rating_sum=(n % 7) * 4,
                credits=Decimal("2.0"),
            )
            for n in range(count)
        ]
    )
    versions = CourseVersion.objects.bulk_create(
        [CourseVersion(course=course, number=1, revision=0, outline={"nodes": []}, block_count=1) for course in courses]
    )
    for course, version in zip(courses, versions, strict=True):
        course.published_version = version
    Course.objects.bulk_update(courses, ["published_version"])
    return courses
