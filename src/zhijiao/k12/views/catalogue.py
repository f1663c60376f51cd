"""The catalogue's pages: the K-12 home, stages, subjects, books, lessons and knowledge points, after-school
columns, and search within K-12. Public and cached for visitors."""

from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from zhijiao.analytics.selectors import hot_objects
from zhijiao.analytics.services import mark_viewed
from zhijiao.core.pagecache import public_page
from zhijiao.core.params import query_int
from zhijiao.portal.selectors import platform_page

from .. import selectors
from ..models import AFTER_SCHOOL_COLUMNS, Column, Resource, Stage, grade_label

# A column page lists twelve items: a phone screen or two, and the columns' shelves on the K-12 home show three.
COLUMN_PAGE_SIZE = 12


@require_safe
@public_page
def index(request: HttpRequest) -> HttpResponse:
    grouped = selectors.subjects_by_stage()
    context = {
        "page": platform_page(key="k12"),
        "stages": [(value, label, grouped[value]) for value, label in Stage.choices],
        "hot": hot_objects(platform="k12", days=7, limit=8),
        "columns": selectors.column_shelves(per_column=3),
        "extra_columns": [Column.FAMILY, Column.HOMEWORK],
    }
    return render(request, "k12/index.html", context)


@require_safe
@public_page
def stage(request: HttpRequest, stage: str) -> HttpResponse:
    subjects = selectors.stage_subjects(stage=stage)
    return render(request, "k12/stage.html", {"stage": Stage(stage), "subjects": subjects})


@require_safe
@public_page
def subject(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.subject_get(subject_id=pk)
    shelves = selectors.subject_shelves(subject=found)
    return render(request, "k12/subject.html", {"subject": found, "shelves": shelves})


@require_safe
@public_page
def book(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.book_get(book_id=pk)
    mark_viewed(request, found)
    return render(request, "k12/book.html", {"book": found, "units": selectors.book_tree(book=found)})


def player_context(request: HttpRequest, resources: list[Resource]) -> dict[str, Any]:
    """The resource to play first (with where this learner stopped) and the others, for lesson, point and 云码 pages."""
    main = next((item for item in resources if item.is_playable), None)
    progress = selectors.progress_of(student=request.user, resource=main) if main else None
    return {"main": main, "others": [item for item in resources if item is not main], "progress": progress}


@require_safe
@public_page
def lesson(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.lesson_get(lesson_id=pk)
    mark_viewed(request, found)
    previous, following = selectors.lesson_neighbours(lesson=found)
    context = {
        "lesson": found,
        "book": found.unit.book,
        "points": list(found.points.order_by("position")),
        "previous": previous,
        "next": following,
        **player_context(request, selectors.lesson_resources(lesson=found)),
    }
    return render(request, "k12/lesson.html", context)


@require_safe
@public_page
def point(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.point_get(point_id=pk)
    mark_viewed(request, found.lesson)
    context = {
        "point": found,
        "lesson": found.lesson,
        "book": found.lesson.unit.book,
        **player_context(request, selectors.point_resources(point=found)),
    }
    return render(request, "k12/point.html", context)


@require_safe
@public_page
def column(request: HttpRequest, column: str) -> HttpResponse:
    if column not in Column.values:
        raise Http404
    subject_id = query_int(request, "subject")
    grade = query_int(request, "grade", maximum=12)
    qs = selectors.resource_list(column=column, subject_id=subject_id, grade=grade)
    page = Paginator(qs, COLUMN_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "column": Column(column),
        "page_obj": page,
        "after_school": [Column(value) for value in AFTER_SCHOOL_COLUMNS],
        "subjects": [item for group in selectors.subjects_by_stage().values() for item in group],
        "grades": [(value, grade_label(value)) for value in range(1, 13)],
        "chosen_subject": str(subject_id or ""),
        "chosen_grade": str(grade or ""),
    }
    return render(request, "k12/column.html", context)


def search_redirect(request: HttpRequest) -> HttpResponse:
    """Search within K-12: the unified search, filtered to this platform."""
    query = urlencode({"platform": "k12", "q": request.GET.get("q", "")[:100]})
    return redirect(f"{reverse('search:results')}?{query}")
