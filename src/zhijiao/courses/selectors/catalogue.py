"""A platform's course catalogue (``/higher/`` for the higher-education MOOCs): browse by discipline with counts,
filter, sort and page; keywords go through the unified search (``courses.course`` documents, whose tags are the
same filters); the hottest courses (page views from analytics plus enrolments) and the newest.

Every read is flat: a page of the catalogue is one ``COUNT`` and one page of rows joined to their university and
discipline, sorted on the kept counts (``Course.enrolment_count``, ``rating_sum`` / ``rating_count``) with the
indexes on platform, discipline and popularity, so 27,000 courses and a million enrolments cost no more than a
hundred. The discipline counts, the university list, the hottest and the newest are shared through the content
cache (plain ids and numbers; rows are loaded per request in one query).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, FloatField, OuterRef, QuerySet, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijiao.core.actors import Actor
from zhijiao.core.cache import content_cached
from zhijiao.core.params import page_number, parse_int

from ..models import Course, CourseLevel, Discipline, Run
from ..search import FILTERS, KIND

PER_PAGE = 20
# Deeper pages than this are refused: with 27,000 courses, narrow by discipline or keywords instead.
MAX_PAGE = 100
HOT_LIMIT = 10
HOT_DAYS = 30
NEWEST_LIMIT = 8
UNIVERSITY_CHOICES = 200
DISCIPLINE_CACHE_SECONDS = 3600
# "Best rated" ranks by a damped mean: every course starts with RATING_PRIOR imaginary 3-star ratings, so one
# learner's 5 stars do not put a course above one that a thousand learners rated 4.8.
RATING_PRIOR = 5
SORTS = ("relevance", "hot", "newest", "rating")
SEARCH_SORTS = {"relevance": "relevance", "hot": "popular", "newest": "newest"}
FACET_NAMES = tuple(item.name for item in FILTERS)


@dataclass(frozen=True)
class CatalogueQuery:
    """What a visitor asked the catalogue for; every value already checked (``clean_catalogue_query``)."""

    q: str = ""
    discipline: str = ""  # a 学科门类 (2 digits) or 一级学科 (4 digits) code
    level: str = ""
    university: str = ""  # an organisation id
    first_class: bool = False
    enrolling: bool = False
    sort: str = ""  # "" is relevance with keywords, hottest without

    @property
    def order(self) -> str:
        return self.sort or ("relevance" if self.q else "hot")

    def params(self) -> dict[str, str]:
        """The query string that asks for this again (empty values left out)."""
        values = {
            "q": self.q,
            "discipline": self.discipline,
            "level": self.level,
            "university": self.university,
            "first_class": "1" if self.first_class else "",
            "enrolling": "1" if self.enrolling else "",
            "sort": self.sort,
        }
        return {name: value for name, value in values.items() if value}

    def search_filters(self) -> dict[str, str]:
        filters = {name: value for name, value in self.params().items() if name in FACET_NAMES}
        return filters


@dataclass
class DisciplineCount:
    code: str
    name: str
    count: int
    children: list[DisciplineCount] = field(default_factory=list)


@dataclass
class CataloguePage:
    query: CatalogueQuery
    page: int
    per_page: int
    total: int = 0
    total_exact: bool = True
    courses: list[Course] = field(default_factory=list)
    # With keywords: the search's facets over the matches, and each course's highlighted title and snippet.
    facets: list[Any] = field(default_factory=list)
    hits: dict[int, Any] = field(default_factory=dict)

    @property
    def entries(self) -> list[tuple[Course, Any]]:
        """Each course of the page with its search hit (None when browsing)."""
        return [(course, self.hits.get(course.pk)) for course in self.courses]

    @property
    def pages(self) -> int:
        return max(1, min((self.total + self.per_page - 1) // self.per_page, MAX_PAGE))


@dataclass(frozen=True)
class HotCourse:
    """One of the hottest courses: its page views over the last ``HOT_DAYS`` days and its enrolments."""

    course: Course
    views: int

    @property
    def score(self) -> int:
        return self.views + self.course.enrolment_count


# --- Reference data ----------------------------------------------------------------------------------------------


def _discipline_rows() -> list[tuple[int, str, str, int | None]]:
    # The official catalogue changes only with a migration: kept for an hour even where content caching is off.
    return content_cached(
        "courses:disciplines",
        lambda: list(Discipline.objects.order_by("code").values_list("id", "code", "name", "parent_id")),
        seconds=DISCIPLINE_CACHE_SECONDS,
    )


def discipline_codes() -> dict[str, list[int]]:
    """Each code of the catalogue with the ids of the first-level disciplines it stands for."""
    rows = _discipline_rows()
    by_id = {pk: code for pk, code, _name, _parent in rows}
    codes: dict[str, list[int]] = {}
    for pk, code, _name, parent_id in rows:
        if parent_id is None:
            codes.setdefault(code, [])
        else:
            codes[code] = [pk]
            codes.setdefault(by_id[parent_id], []).append(pk)
    return codes


def published_courses(*, platform: str) -> QuerySet[Course]:
    """The courses of a platform that learners can find: those with a published version."""
    return Course.objects.filter(platform=platform, published_version__isnull=False)


def _with_card(qs: QuerySet[Course]) -> QuerySet[Course]:
    """What a catalogue card shows (university, discipline) in the same query."""
    return qs.select_related("university", "discipline")


def discipline_counts(*, platform: str) -> list[DisciplineCount]:
    """学科门类 with their 一级学科 and how many published courses each holds; empty ones left out."""
    counts: dict[int, int] = content_cached(
        f"courses:discipline_counts:{platform}",
        lambda: dict(
            published_courses(platform=platform)
            .filter(discipline__isnull=False)
            .order_by()
            .values("discipline_id")
            .annotate(n=Count("id"))
            .values_list("discipline_id", "n")
        ),
    )
    categories: dict[int, DisciplineCount] = {}
    rows = _discipline_rows()
    for pk, code, name, parent_id in rows:
        if parent_id is None:
            categories[pk] = DisciplineCount(code=code, name=name, count=0)
    for pk, code, name, parent_id in rows:
        count = counts.get(pk, 0)
        if parent_id is not None and count and parent_id in categories:
            category = categories[parent_id]
            category.children.append(DisciplineCount(code=code, name=name, count=count))
            category.count += count
    return [category for category in categories.values() if category.count]


def university_choices(*, platform: str) -> list[tuple[int, str, int]]:
    """(id, name, course count) of the universities offering the most published courses."""
    return content_cached(
        f"courses:universities:{platform}",
        lambda: [
            (row["university_id"], row["university__name"], row["n"])
            for row in published_courses(platform=platform)
            .filter(university__isnull=False)
            .order_by()
            .values("university_id", "university__name")
            .annotate(n=Count("id"))
            .order_by("-n", "university__name")[:UNIVERSITY_CHOICES]
        ],
    )


# --- The query ---------------------------------------------------------------------------------------------------


def _flag(value: Any) -> bool | None:
    text = str(value or "").strip().lower()
    if text in ("", "0", "false"):
        return False
    if text in ("1", "true", "on"):
        return True
    return None


def clean_catalogue_query(params: Mapping[str, Any]) -> tuple[CatalogueQuery, dict[str, list[str]]]:
    """The catalogue query in a query string, and a message per refused parameter (the rest still apply)."""
    errors: dict[str, list[str]] = {}

    def text(name: str) -> str:
        return str(params.get(name) or "").strip()

    q = " ".join(text("q").split())[:100]
    discipline = text("discipline")
    if discipline and discipline not in discipline_codes():
        errors["discipline"] = [_("没有这个学科：%(value)s") % {"value": discipline[:20]}]
        discipline = ""
    level = text("level")
    if level and level not in CourseLevel.values:
        errors["level"] = [_("未知的课程层次")]
        level = ""
    university = text("university")
    if university and parse_int(university) is None:
        errors["university"] = [_("学校编号应为数字")]
        university = ""
    flags: dict[str, bool] = {}
    for name in ("first_class", "enrolling"):
        value = _flag(params.get(name))
        if value is None:
            errors[name] = [_("只能是 1 或 0")]
        flags[name] = bool(value)
    sort = text("sort")
    if sort and sort not in SORTS:
        errors["sort"] = [_("未知的排序方式")]
        sort = ""
    elif sort == "relevance" and not q:
        sort = ""
    elif sort == "rating" and q:
        errors["sort"] = [_("按关键词搜索时可按相关度、最热或最新排序")]
        sort = ""
    query = CatalogueQuery(q=q, discipline=discipline, level=level, university=university, sort=sort, **flags)
    return query, errors


def clean_page(value: Any) -> int:
    """A page number between 1 and ``MAX_PAGE`` (anything else reads as the first page)."""
    return page_number(value, maximum=MAX_PAGE)


# --- Pages -------------------------------------------------------------------------------------------------------


def _browse(*, platform: str, query: CatalogueQuery) -> QuerySet[Course]:
    qs = published_courses(platform=platform)
    if query.discipline:
        qs = qs.filter(discipline_id__in=discipline_codes()[query.discipline])
    if query.level:
        qs = qs.filter(level=query.level)
    if query.university:
        qs = qs.filter(university_id=int(query.university))
    if query.first_class:
        qs = qs.filter(first_class_year__isnull=False)
    if query.enrolling:
        now = timezone.now()
        qs = qs.filter(
            Exists(
                Run.objects.filter(
                    course=OuterRef("pk"), kind=Run.Kind.OPEN, enrol_opens_at__lte=now, enrol_closes_at__gt=now
                )
            )
        )
    if query.order == "newest":
        # Plain DESC so the (platform, -published_at) index serves it on PostgreSQL too (NULLS LAST would not match
        # it: 51 ms instead of 2 on 27,000 courses); every published course has a date (``course_mark_published``).
        return qs.order_by("-published_at", "-id")
    if query.order == "rating":
        damped = (Cast(F("rating_sum"), FloatField()) + Value(3.0 * RATING_PRIOR)) / (
            Cast(F("rating_count"), FloatField()) + Value(float(RATING_PRIOR))
        )
        return qs.alias(damped=damped).order_by("-damped", "-rating_count", "-id")
    return qs.order_by("-enrolment_count", "-id")


def catalogue_page(
    *, actor: Actor, platform: str, query: CatalogueQuery, page: int = 1, per_page: int = PER_PAGE
) -> CataloguePage:
    """One page of the catalogue: without keywords straight from the course table, with keywords through the
    unified search (its facets come along)."""
    page = max(1, min(page, MAX_PAGE))
    result = CataloguePage(query=query, page=page, per_page=per_page)
    offset = (page - 1) * per_page
    if not query.q:
        qs = _browse(platform=platform, query=query)
        # Counting 27,000 rows is most of a page's SQL (~10 ms on SQLite); every sort and page of one filter shares
        # the count through the content cache.
        filters = "&".join(f"{name}={value}" for name, value in sorted(query.search_filters().items()))
        result.total = content_cached(f"courses:count:{platform}:{filters}", qs.count)
        if offset >= result.total:
            return result
        if query.order == "rating":
            # No index serves the damped mean: sorting narrow (id, …) rows and then reading the page's twenty halves
            # the time of sorting whole joined rows (22 → 10 ms on 27,000 courses, SQLite).
            ids = list(qs.values_list("id", flat=True)[offset : offset + per_page])
            by_id = _with_card(Course.objects.all()).in_bulk(ids)
            result.courses = [by_id[pk] for pk in ids if pk in by_id]
        else:
            result.courses = list(_with_card(qs)[offset : offset + per_page])
        return result

    from zhijiao.search import selectors as search_selectors

    found = search_selectors.search(
        actor=actor,
        q=query.q,
        filters={"type": KIND, "platform": platform, **query.search_filters()},
        sort=SEARCH_SORTS[query.order],
        limit=per_page,
        offset=offset,
    )
    result.total, result.total_exact = found.total, found.total_exact
    result.facets = [facet for facet in found.facets if facet.name in FACET_NAMES]
    ids = [int(hit.document.object_id) for hit in found.hits]
    result.hits = {int(hit.document.object_id): hit for hit in found.hits}
    by_id = _with_card(published_courses(platform=platform).filter(pk__in=ids)).in_bulk(ids)
    result.courses = [by_id[pk] for pk in ids if pk in by_id]
    return result


def hot_courses(*, platform: str, limit: int = HOT_LIMIT) -> list[HotCourse]:
    """The hottest published courses: page views over the last ``HOT_DAYS`` days (analytics' rollups) plus
    enrolments (the kept count). Candidates are the most viewed and the most enrolled, a few times ``limit`` of
    each; the ranking is cached, the rows are one query."""
    from zhijiao.analytics import selectors as analytics

    def build() -> list[tuple[int, int]]:
        views = analytics.views_of_type(object_type=KIND, platform=platform, days=HOT_DAYS, limit=limit * 5)
        courses = published_courses(platform=platform)
        enrolments = dict(courses.order_by("-enrolment_count", "-id").values_list("id", "enrolment_count")[: limit * 5])
        unseen = [pk for pk in views if pk not in enrolments]
        if unseen:
            enrolments.update(courses.filter(pk__in=unseen).values_list("id", "enrolment_count"))
        ranked = sorted(enrolments.items(), key=lambda item: (-(item[1] + views.get(item[0], 0)), item[0]))
        return [(pk, views.get(pk, 0)) for pk, _count in ranked[:limit]]

    rows = content_cached(f"courses:hot:{platform}:{limit}", build)
    by_id = _with_card(published_courses(platform=platform)).in_bulk([pk for pk, _views in rows])
    return [HotCourse(course=by_id[pk], views=views) for pk, views in rows if pk in by_id]


def newest_courses(*, platform: str, limit: int = NEWEST_LIMIT) -> list[Course]:
    """The most recently first-published courses."""
    ids = content_cached(
        f"courses:newest:{platform}:{limit}",
        lambda: list(
            published_courses(platform=platform)
            .filter(published_at__isnull=False)
            .order_by("-published_at", "-id")
            .values_list("id", flat=True)[:limit]
        ),
    )
    by_id = _with_card(Course.objects.filter(published_version__isnull=False)).in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]
