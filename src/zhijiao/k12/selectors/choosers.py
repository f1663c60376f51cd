"""What K-12 people choose by name (core/choosers.py): lessons, knowledge points, resources, collections, books.

Each source answers only what the actor may choose: a teacher assigns published resources and the lessons and
collections that hold some; district staff add published resources to their own collections; those who make 云码
batches pick any book, lesson or knowledge point of the catalogue.
"""

from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import reduce
from operator import and_

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from zhijiao.core.actors import Actor
from zhijiao.core.choosers import Choice, ChooserSource
from zhijiao.core.params import parse_ids, parse_int

from ..models import Book, Collection, KnowledgePoint, Lesson, Resource, Stage
from .permissions import (
    can_manage_codes,
    can_upload_resource,
    district_agencies,
    is_k12_staff,
    teacher_schools,
)


def _ids(values: Sequence[str]) -> list[int]:
    return parse_ids(values, limit=50)


def _words(text: str) -> list[str]:
    return text.split()[:5]


def can_assign(actor: Actor) -> bool:
    """Who picks lessons, resources and collections: teachers (for their classes), district staff and staff."""
    return is_k12_staff(actor) or bool(teacher_schools(actor)) or bool(district_agencies(actor))


# --- books: grouped stage → subject → edition ---------------------------------------------------------------


def _books() -> QuerySet[Book]:
    return Book.objects.select_related("subject", "edition").order_by(
        "subject__stage", "subject__position", "edition__position", "grade", "position", "id"
    )


def book_choice(book: Book, *, exact: bool = False) -> Choice:
    stage = Stage(book.subject.stage).label
    return Choice(
        value=str(book.pk),
        label=str(book),
        short=book.label,
        group=f"{stage} · {book.subject.name} · {book.edition.name}",
        exact=exact,
        obj=book,
    )


def _book_words(book: Book) -> list[str]:
    return [str(Stage(book.subject.stage).label), book.subject.name, book.edition.name, book.label, str(book)]


def books_search(actor: Actor, text: str, limit: int) -> list[Choice]:
    """Every word names the stage, subject, edition or volume (人教版 数学 七年级上册; 初中 物理)."""
    words = _words(text)
    found = []
    for book in _books():  # a few hundred rows: matching in Python keeps "七年级上册" and "初中" simple
        names = _book_words(book)
        if all(any(word in name for name in names) for word in words):
            found.append(book_choice(book, exact=text == str(book)))
    return found[: limit if limit > 30 else 60]


def books_lookup(actor: Actor, values: Sequence[str]) -> list[Choice]:
    by_id = _books().in_bulk(_ids(values))
    return [book_choice(by_id[pk]) for pk in _ids(values) if pk in by_id]


def books_everything(actor: Actor) -> list[Choice]:
    return [book_choice(book) for book in _books()]


# --- lessons and knowledge points -----------------------------------------------------------------------------


def lesson_choice(lesson: Lesson, *, exact: bool = False) -> Choice:
    return Choice(
        value=str(lesson.pk),
        label=lesson.title,
        detail=f"{lesson.unit.book} · {lesson.unit.title}",
        exact=exact,
        obj=lesson,
    )


def _lesson_match(words: list[str], prefix: str = "") -> Q:
    book = f"{prefix}unit__book__"
    return reduce(
        and_,
        [
            Q(**{f"{prefix}title__contains": word})
            | Q(**{f"{prefix}unit__title__contains": word})
            | Q(**{f"{book}subject__name": word})
            | Q(**{f"{book}edition__name__startswith": word})
            for word in words
        ],
    )


def _book_in(scope: Mapping[str, str]) -> int | None:
    """The book a chooser is narrowed to (the one chosen above it, or the one a 云码 batch was made for)."""
    value = scope.get("book", "")
    return parse_int(value)


def _lessons(*, assignable: bool, book: int | None = None) -> QuerySet[Lesson]:
    qs = Lesson.objects.select_related("unit__book__subject", "unit__book__edition")
    if book is not None:
        qs = qs.filter(unit__book_id=book)
    if assignable:  # a lesson with nothing published gives a class nothing to do
        published = Resource.objects.filter(lesson=OuterRef("pk"), status=Resource.Status.PUBLISHED)
        qs = qs.filter(Exists(published))
    return qs


def _lesson_source(*, assignable: bool, book: int | None = None) -> tuple:
    def search(actor: Actor, text: str, limit: int) -> list[Choice]:
        words = _words(text)
        rows = (
            _lessons(assignable=assignable, book=book)
            .filter(_lesson_match(words))
            .order_by("unit__book", "unit", "position")
        )
        return sorted(
            (lesson_choice(lesson, exact=lesson.title == text) for lesson in rows[:limit]),
            key=lambda choice: not choice.exact,
        )

    def lookup(actor: Actor, values: Sequence[str]) -> list[Choice]:
        by_id = _lessons(assignable=assignable, book=book).in_bulk(_ids(values))
        return [lesson_choice(by_id[pk]) for pk in _ids(values) if pk in by_id]

    return search, lookup


def point_choice(point: KnowledgePoint, *, exact: bool = False) -> Choice:
    return Choice(
        value=str(point.pk),
        label=point.title,
        detail=f"{point.lesson.unit.book} · {point.lesson.title}",
        exact=exact,
        obj=point,
    )


def _points(book: int | None = None) -> QuerySet[KnowledgePoint]:
    qs = KnowledgePoint.objects.select_related("lesson__unit__book__subject", "lesson__unit__book__edition")
    return qs.filter(lesson__unit__book_id=book) if book is not None else qs


def _point_source(book: int | None = None) -> tuple:
    def search(actor: Actor, text: str, limit: int) -> list[Choice]:
        words = _words(text)
        match = reduce(and_, [Q(title__contains=word) | _lesson_match([word], "lesson__") for word in words])
        rows = _points(book).filter(match)
        rows = rows.order_by("lesson__unit__book", "lesson__unit", "lesson__position", "position")
        return sorted((point_choice(p, exact=p.title == text) for p in rows[:limit]), key=lambda c: not c.exact)

    def lookup(actor: Actor, values: Sequence[str]) -> list[Choice]:
        by_id = _points(book).in_bulk(_ids(values))
        return [point_choice(by_id[pk]) for pk in _ids(values) if pk in by_id]

    return search, lookup


points_search, points_lookup = _point_source()


# --- resources and collections --------------------------------------------------------------------------------


def resource_choice(resource: Resource, *, exact: bool = False) -> Choice:
    where = str(resource.lesson.unit.book) if resource.lesson_id and resource.lesson else ""
    detail = " · ".join(part for part in (str(resource.get_kind_display()), where) if part)
    return Choice(value=str(resource.pk), label=resource.title, detail=detail, exact=exact, obj=resource)


def _resources() -> QuerySet[Resource]:
    return Resource.objects.filter(status=Resource.Status.PUBLISHED).select_related(
        "lesson__unit__book__subject", "lesson__unit__book__edition"
    )


def resources_search(actor: Actor, text: str, limit: int) -> list[Choice]:
    """Published resources (the only ones a class or a collection can be given) by title, newest first."""
    match = reduce(and_, [Q(title__contains=word) | Q(tags__contains=word) for word in _words(text)])
    rows = _resources().filter(match).order_by("-published_at", "-id")[:limit]
    return sorted((resource_choice(r, exact=r.title == text) for r in rows), key=lambda c: not c.exact)


def resources_lookup(actor: Actor, values: Sequence[str]) -> list[Choice]:
    by_id = _resources().in_bulk(_ids(values))
    return [resource_choice(by_id[pk]) for pk in _ids(values) if pk in by_id]


def collection_choice(collection: Collection, *, exact: bool = False) -> Choice:
    return Choice(
        value=str(collection.pk), label=collection.title, detail=collection.district.name, exact=exact, obj=collection
    )


def _collections(actor: Actor) -> QuerySet[Collection]:
    """Published collections, and the ones the actor manages (their district's, or every one for staff)."""
    qs = Collection.objects.select_related("district")
    if is_k12_staff(actor):
        return qs
    return qs.filter(Q(is_published=True) | Q(district__in=[org.pk for org in district_agencies(actor)]))


def collections_search(actor: Actor, text: str, limit: int) -> list[Choice]:
    match = reduce(and_, [Q(title__contains=word) for word in _words(text)])
    rows = _collections(actor).filter(match).order_by("title", "id")[:limit]
    return sorted((collection_choice(c, exact=c.title == text) for c in rows), key=lambda c: not c.exact)


def collections_lookup(actor: Actor, values: Sequence[str]) -> list[Choice]:
    by_id = _collections(actor).in_bulk(_ids(values))
    return [collection_choice(by_id[pk]) for pk in _ids(values) if pk in by_id]


def _in_book(source: ChooserSource, search_lookup: tuple) -> ChooserSource:
    """``source`` answering within one book (its knowledge points, its lessons)."""
    search, lookup = search_lookup
    return replace(source, search=search, lookup=lookup)


def chooser_sources() -> list[ChooserSource]:
    """The K-12 choosers, registered from ``K12Config.ready()``."""
    catalogue_search, catalogue_lookup = _lesson_source(assignable=False)
    assign_search, assign_lookup = _lesson_source(assignable=True)

    def makes_codes_or_uploads(actor: Actor) -> bool:
        return can_manage_codes(actor) or can_upload_resource(actor)

    return [
        ChooserSource(
            name="k12-books",
            allowed=can_manage_codes,
            search=books_search,
            lookup=books_lookup,
            everything=books_everything,
            placeholder=_("输入学科、版本或年级，如 人教版 数学 七年级"),
        ),
        lessons := ChooserSource(
            name="k12-lessons",
            allowed=makes_codes_or_uploads,
            search=catalogue_search,
            lookup=catalogue_lookup,
            placeholder=_("输入课时名称"),
            scope_names=("book",),
            scoped=lambda scope: _in_book(lessons, _lesson_source(assignable=False, book=_book_in(scope))),
        ),
        ChooserSource(
            name="k12-lessons-to-assign",
            allowed=can_assign,
            search=assign_search,
            lookup=assign_lookup,
            placeholder=_("输入课时名称"),
        ),
        points := ChooserSource(
            name="k12-points",
            allowed=can_manage_codes,
            search=points_search,
            lookup=points_lookup,
            placeholder=_("输入知识点名称"),
            scope_names=("book",),
            scoped=lambda scope: _in_book(points, _point_source(_book_in(scope))),
        ),
        ChooserSource(
            name="k12-resources",
            allowed=can_assign,
            search=resources_search,
            lookup=resources_lookup,
            placeholder=_("输入资源标题"),
        ),
        ChooserSource(
            name="k12-collections",
            allowed=can_assign,
            search=collections_search,
            lookup=collections_lookup,
            placeholder=_("输入合集名称"),
        ),
    ]
