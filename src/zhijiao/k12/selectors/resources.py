"""Resources: the published ones (by kind, after-school column, subject, grade…), one resource with its access
check, an uploader's own and the review queue."""

from dataclasses import dataclass

from django.db.models import QuerySet

from zhijiao.core.actors import Actor, signed_in
from zhijiao.core.errors import NotFound

from ..models import AFTER_SCHOOL_COLUMNS, Column, Resource
from .permissions import can_view_resource


def resource_list(
    *,
    kind: str | None = None,
    column: str | None = None,
    subject_id: int | None = None,
    grade: int | None = None,
    lesson_id: int | None = None,
    book_id: int | None = None,
) -> QuerySet[Resource]:
    """Published resources, optionally narrowed, newest first."""
    qs = Resource.objects.filter(status=Resource.Status.PUBLISHED).select_related("subject")
    if kind:
        qs = qs.filter(kind=kind)
    if column:
        qs = qs.filter(column=column)
    if subject_id:
        qs = qs.filter(subject_id=subject_id)
    if grade:
        qs = qs.filter(grade=grade)
    if lesson_id:
        qs = qs.filter(lesson_id=lesson_id)
    if book_id:
        qs = qs.filter(book_id=book_id)
    return qs.order_by("-published_at", "-id")


def access_resource(*, actor: Actor, resource_id: int) -> Resource:
    resource = (
        Resource.objects.select_related("subject", "book__edition", "book__subject", "unit", "lesson__unit__book")
        .prefetch_related("points", "images")
        .filter(pk=resource_id)
        .first()
    )
    if resource is None or not can_view_resource(actor, resource):
        raise NotFound
    return resource


def resources_owned(*, user: Actor) -> QuerySet[Resource]:
    """What a person uploaded, newest first, whatever its state."""
    if not signed_in(user):
        return Resource.objects.none()
    return Resource.objects.filter(owner=user).order_by("-created_at", "-id")


def review_queue() -> QuerySet[Resource]:
    return Resource.objects.filter(status=Resource.Status.REVIEW).select_related("owner").order_by("updated_at")


@dataclass
class ColumnShelf:
    column: str
    label: str
    resources: list[Resource]


def column_shelves(*, per_column: int = 4) -> list[ColumnShelf]:
    """The after-school columns with their newest resources, for the K-12 home page."""
    shelves = []
    for column in AFTER_SCHOOL_COLUMNS:
        items = list(resource_list(column=column)[:per_column])
        shelves.append(ColumnShelf(column=str(column), label=str(Column(column).label), resources=items))
    return shelves
