"""Writes that keep the catalogue and the unified search in step with a course: its first publication date, and its
search document rebuilt after commit."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from zhijiao.search.services import index_later

from ..models import Course
from ..search import KIND, next_change, open_run_windows


def course_index_later(*, course: Course) -> None:
    """After commit, rebuild the course's search document; and again when one of its open runs starts or stops
    taking enrolments, so the "正在选课" facet follows the clock. Call it inside the transaction that changed the
    course or one of its runs."""
    index_later(KIND, course.pk)
    upcoming = next_change(open_run_windows(course), now=timezone.now())
    if upcoming is not None:
        index_later(KIND, course.pk, at=upcoming)


@transaction.atomic
def course_mark_published(*, course: Course) -> Course:
    """A course's version was just published: the first publication dates it in the catalogue ("newest"), and the
    search finds it (or its new title and summary) once the transaction commits."""
    if course.published_at is None:
        course.published_at = timezone.now()
        Course.objects.filter(pk=course.pk, published_at__isnull=True).update(published_at=course.published_at)
    course_index_later(course=course)
    return course
