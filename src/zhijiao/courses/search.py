"""Published courses in the unified search (``courses.course``), with the catalogue's filters as facets.

Filters are exact tags:

- ``discipline``: the course's 一级学科 code and its 学科门类 code, so a category filter finds every course under it;
- ``level``: a ``CourseLevel`` value;
- ``university``: the id of the university that offers it;
- ``first_class``: ``"1"`` for a 国家级一流课程;
- ``enrolling``: ``"1"`` while one of its open runs takes enrolments. The value changes with the clock, so indexing a
  course also schedules its next rebuild for the moment a run's enrolment window opens or closes
  (``services.catalogue.course_index_later``).

The document's ``popularity`` is the kept enrolment count, so the search's "popular" order is the catalogue's
"hottest"; its date is the first publication.
"""

from collections.abc import Iterable
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhijiao.core.params import parse_ids
from zhijiao.search.registry import PUBLIC, Document, DocumentType, FilterField

from .models import Course, CourseLevel, Discipline, Run

KIND = "courses.course"


def _discipline_labels(values: Iterable[str]) -> dict[str, str]:
    return dict(Discipline.objects.filter(code__in=list(values)).values_list("code", "name"))


def _university_labels(values: Iterable[str]) -> dict[str, str]:
    from zhijiao.orgs.models import Organization

    ids = parse_ids(values)
    return {str(pk): name for pk, name in Organization.objects.filter(pk__in=ids).values_list("pk", "name")}


FILTERS = (
    FilterField("discipline", pgettext_lazy("course", "学科"), _discipline_labels),
    FilterField("level", _("层次"), lambda values: dict(CourseLevel.choices)),
    FilterField("university", _("开课学校"), _university_labels),
    FilterField("first_class", _("国家级一流课程"), lambda values: {"1": _("国家级一流课程")}),
    FilterField("enrolling", _("正在选课"), lambda values: {"1": _("正在选课")}),
)


def open_run_windows(course: Course) -> list[tuple[datetime, datetime]]:
    """The enrolment windows of a course's open (MOOC) runs that have not closed yet."""
    return list(
        Run.objects.filter(course=course, kind=Run.Kind.OPEN, enrol_closes_at__gt=timezone.now())
        .order_by("enrol_opens_at")
        .values_list("enrol_opens_at", "enrol_closes_at")
    )


def is_enrolling(windows: list[tuple[datetime, datetime]], *, now: datetime) -> bool:
    return any(opens <= now < closes for opens, closes in windows)


def next_change(windows: list[tuple[datetime, datetime]], *, now: datetime) -> datetime | None:
    """When ``is_enrolling`` next changes its answer (a window opens or closes), or None."""
    moments = [moment for window in windows for moment in window if moment > now]
    return min(moments, default=None)


class CourseDocuments(DocumentType):
    """Published courses of every platform (the higher-education MOOCs, vocational courses …)."""

    kind = KIND
    model = Course
    label = _("课程")
    filters = FILTERS

    def queryset(self) -> QuerySet[Course]:
        return Course.objects.filter(published_version__isnull=False).select_related("university", "discipline__parent")

    def to_document(self, course: Course) -> Document | None:
        if course.published_version_id is None:
            return None
        filters: dict[str, str | list[str]] = {"level": course.level}
        discipline = course.discipline
        if discipline is not None:
            filters["discipline"] = [discipline.code] + ([discipline.parent.code] if discipline.parent else [])
        if course.university_id:
            filters["university"] = str(course.university_id)
        if course.is_first_class:
            filters["first_class"] = "1"
        if is_enrolling(open_run_windows(course), now=timezone.now()):
            filters["enrolling"] = "1"
        body = " ".join(
            part
            for part in (
                course.summary,
                course.university.name if course.university else "",
                discipline.name if discipline else "",
                " ".join(str(tag) for tag in course.tags or []),
                course.prerequisites,
            )
            if part
        )
        return Document(
            kind=self.kind,
            object_id=str(course.pk),
            title=course.title,
            body=body,
            platform=course.platform,
            type_label=str(self.label),
            url=course.get_absolute_url(),
            filters=filters,
            date=course.published_at,
            popularity=float(course.enrolment_count),
            visibility=PUBLIC,
        )
