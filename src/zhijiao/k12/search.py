"""K-12 resources and lessons in the unified search, filterable by stage, subject, grade, edition and column."""

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zhijiao.core.params import parse_ids, parse_int
from zhijiao.core.platforms import Platform
from zhijiao.search.registry import PUBLIC, Document, DocumentType, FilterField

from .models import Column, Edition, Lesson, Resource, Stage, grade_label


def _grade_labels(values: Iterable[str]) -> dict[str, str]:
    return {value: grade_label(grade) for value in values if (grade := parse_int(value, maximum=12)) is not None}


def _edition_labels(values: Iterable[str]) -> dict[str, str]:
    return {str(pk): name for pk, name in Edition.objects.filter(pk__in=parse_ids(values)).values_list("pk", "name")}


FILTERS = (
    FilterField("stage", _("学段"), lambda values: dict(Stage.choices)),
    FilterField("subject", _("学科")),
    FilterField("grade", _("年级"), _grade_labels),
    FilterField("edition", _("教材版本"), _edition_labels),
    FilterField("column", _("栏目"), lambda values: dict(Column.choices)),
    FilterField("resource_kind", _("资源类型"), lambda values: dict(Resource.Kind.choices)),
)


class ResourceDocuments(DocumentType):
    """Published resources: lesson videos, documents, e-books, after-school columns, homework designs."""

    kind = "k12.resource"
    model = Resource
    label = _("中小学资源")
    filters = FILTERS

    def queryset(self) -> QuerySet[Resource]:
        return Resource.objects.select_related("subject", "book__edition", "lesson__unit").prefetch_related("points")

    def to_document(self, resource: Resource) -> Document | None:
        if not resource.is_published:
            return None
        filters: dict[str, str | list[str]] = {"resource_kind": resource.kind}
        if resource.subject is not None:
            filters["stage"] = resource.subject.stage
            filters["subject"] = resource.subject.name
        if resource.grade:
            filters["grade"] = str(resource.grade)
        if resource.book is not None:
            filters["edition"] = str(resource.book.edition_id)
        if resource.column:
            filters["column"] = resource.column
        body = " ".join(
            part
            for part in (
                resource.description,
                resource.teacher_name,
                resource.school_name,
                resource.tags.replace(",", " "),
                resource.lesson.title if resource.lesson else "",
                " ".join(point.title for point in resource.points.all()),
            )
            if part
        )
        return Document(
            kind=self.kind,
            object_id=str(resource.pk),
            title=resource.title,
            body=body,
            platform=Platform.K12,
            type_label=str(resource.get_kind_display()),
            url=resource.get_absolute_url(),
            filters=filters,
            date=resource.published_at,
            popularity=0.0,
            visibility=PUBLIC,
        )


class LessonDocuments(DocumentType):
    """Every lesson of every textbook, so "一元一次方程" finds the lesson page with its explanation."""

    kind = "k12.lesson"
    model = Lesson
    label = _("课时")
    filters = FILTERS

    def queryset(self) -> QuerySet[Lesson]:
        return Lesson.objects.select_related("unit__book__subject", "unit__book__edition").prefetch_related("points")

    def to_document(self, lesson: Lesson) -> Document | None:
        book = lesson.unit.book
        body = " ".join([str(book), lesson.unit.title, *(point.title for point in lesson.points.all())])
        return Document(
            kind=self.kind,
            object_id=str(lesson.pk),
            title=f"{lesson.title}（{book.subject.name} {book.label}）",
            body=body,
            platform=Platform.K12,
            type_label=str(_("课时")),
            url=lesson.get_absolute_url(),
            filters={
                "stage": book.subject.stage,
                "subject": book.subject.name,
                "grade": str(book.grade),
                "edition": str(book.edition_id),
            },
            date=None,
            popularity=0.0,
            visibility=PUBLIC,
        )
