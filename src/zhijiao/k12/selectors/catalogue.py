"""The textbook catalogue: stages, subjects, editions and books, their units, lessons and knowledge points, and
the published resources of a lesson or point (the teacher's explanation first)."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from zhijiao.core.cache import content_cached
from zhijiao.core.errors import NotFound

from ..models import Book, Edition, KnowledgePoint, Lesson, Resource, Stage, Subject, Unit


def subjects_by_stage() -> dict[str, list[Subject]]:
    def build() -> dict[str, list[Subject]]:
        grouped: dict[str, list[Subject]] = {stage: [] for stage in Stage.values}
        for subject in Subject.objects.all():
            grouped[subject.stage].append(subject)
        return grouped

    return dict(content_cached("k12:subjects", build))


def stage_subjects(*, stage: str) -> list[Subject]:
    if stage not in Stage.values:
        raise NotFound
    return subjects_by_stage()[stage]


def subject_get(*, subject_id: int) -> Subject:
    subject = Subject.objects.filter(pk=subject_id).first()
    if subject is None:
        raise NotFound
    return subject


@dataclass
class EditionShelf:
    edition: Edition
    books: list[Book]


def subject_shelves(*, subject: Subject) -> list[EditionShelf]:
    """The subject's books grouped by edition, in grade order."""
    shelves: dict[int, EditionShelf] = {}
    for book in (
        Book.objects.filter(subject=subject)
        .select_related("edition", "subject")
        .order_by("edition__position", "edition_id", "grade", "position", "id")
    ):
        shelves.setdefault(book.edition_id, EditionShelf(book.edition, [])).books.append(book)
    return list(shelves.values())


def book_get(*, book_id: int) -> Book:
    book = Book.objects.select_related("subject", "edition").filter(pk=book_id).first()
    if book is None:
        raise NotFound
    return book


def book_tree(*, book: Book) -> list[Unit]:
    """Units with their lessons (and each lesson's knowledge points) in three queries."""
    lessons = Lesson.objects.order_by("position").prefetch_related(
        Prefetch("points", queryset=KnowledgePoint.objects.order_by("position"))
    )
    return list(book.units.order_by("position").prefetch_related(Prefetch("lessons", queryset=lessons)))


def lesson_get(*, lesson_id: int) -> Lesson:
    lesson = Lesson.objects.select_related("unit__book__subject", "unit__book__edition").filter(pk=lesson_id).first()
    if lesson is None:
        raise NotFound
    return lesson


def point_get(*, point_id: int) -> KnowledgePoint:
    point = (
        KnowledgePoint.objects.select_related("lesson__unit__book__subject", "lesson__unit__book__edition")
        .filter(pk=point_id)
        .first()
    )
    if point is None:
        raise NotFound
    return point


def _explanation_first(resources: list[Resource]) -> list[Resource]:
    order: dict[str, int] = {Resource.Kind.VIDEO: 0, Resource.Kind.AUDIO: 1}
    return sorted(resources, key=lambda item: (not item.is_explanation, order.get(item.kind, 2), item.pk))


def lesson_resources(*, lesson: Lesson) -> list[Resource]:
    """Published resources of a lesson: the teacher's explanation first, then other videos, audio, the rest."""
    resources = list(
        Resource.objects.filter(Q(lesson=lesson) | Q(points__lesson=lesson), status=Resource.Status.PUBLISHED)
        .distinct()
        .select_related("subject")
        .prefetch_related("images")
    )
    return _explanation_first(resources)


def point_resources(*, point: KnowledgePoint) -> list[Resource]:
    resources = list(
        Resource.objects.filter(points=point, status=Resource.Status.PUBLISHED)
        .select_related("subject")
        .prefetch_related("images")
    )
    if not resources:
        return lesson_resources(lesson=point.lesson)
    return _explanation_first(resources)


def lesson_neighbours(*, lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
    siblings = list(
        Lesson.objects.filter(unit__book_id=lesson.unit.book_id)
        .order_by("unit__position", "position")
        .values_list("pk", flat=True)
    )
    index = siblings.index(lesson.pk)
    previous_id = siblings[index - 1] if index > 0 else None
    next_id = siblings[index + 1] if index + 1 < len(siblings) else None
    found = Lesson.objects.in_bulk([pk for pk in (previous_id, next_id) if pk])
    return found.get(previous_id) if previous_id else None, found.get(next_id) if next_id else None


def edition_list() -> list[Edition]:
    return list(Edition.objects.all())


def books_for_choice() -> QuerySet[Book]:
    return Book.objects.select_related("subject", "edition").order_by(
        "subject__stage", "subject__position", "edition__position", "grade", "position"
    )
