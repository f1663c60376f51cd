"""Reads of the case library, and its access rules: one function per question.

Who may open what (written once, here; pages, the API and the course block all ask these):

- a case's metadata and abstract: everyone, signed in or not (:func:`access_case`);
- its full text, video and a 小微案例's text: signed-in teachers (高校教师) and students of a member university
  (:class:`LibraryMember`), and platform staff (:func:`can_read_full_text`);
- its teaching note (教学指导手册): teachers of a member university and staff only (:func:`can_read_teaching_note`);
- adopting it for teaching (a course unit, a 案例集): teachers of a member university (:func:`can_adopt`).

A learner who meets a case in a course unit or a 案例集 reads it under the same rules: the course shows its abstract
and the link, the case page decides (a course cannot lend the library's full texts to people outside its members).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijiao.core.actors import Actor, signed_in
from zhijiao.core.cache import content_cached
from zhijiao.core.errors import DomainError, NotFound
from zhijiao.orgs.models import Role
from zhijiao.orgs.selectors import held_memberships

from .categories import PROFESSIONAL_DEGREES, group_of
from .models import Case, CaseCollection, CaseType, CaseUsageDay, LibraryMember

READER_ROLES = (Role.UNIVERSITY_FACULTY, Role.STUDENT)
TEACHER_ROLES = (Role.UNIVERSITY_FACULTY,)
HOT_DAYS = 30
HOT_LIMIT = 10
NEWEST_LIMIT = 10
USAGE_DAYS = 90
RELATED_LIMIT = 6
MEMBERS_CACHE_KEY = "cases:members"


def published_cases() -> QuerySet[Case]:
    return Case.objects.filter(status=Case.Status.PUBLISHED)


# --- Access ------------------------------------------------------------------------------------------------


def member_organization_ids() -> frozenset[int]:
    """The member universities (shared through the content cache; ``services`` clears it when members change)."""
    ids = content_cached(
        MEMBERS_CACHE_KEY,
        lambda: sorted(
            LibraryMember.objects.filter(is_active=True, organization__is_active=True).values_list(
                "organization_id", flat=True
            )
        ),
    )
    return frozenset(ids)


def _member_roles(actor: Actor) -> set[str]:
    """The roles the actor holds in member universities, from the memberships a request reads once."""
    if not signed_in(actor):
        return set()
    members = member_organization_ids()
    return {membership.role for membership in held_memberships(actor) if membership.organization_id in members}


def is_member_reader(actor: Actor) -> bool:
    """A teacher or student of a member university."""
    return bool(_member_roles(actor) & set(READER_ROLES))


def can_read_full_text(actor: Actor, case: Case | None = None) -> bool:
    """Full texts, videos and micro-case texts: teachers and students of member universities, and staff."""
    if not signed_in(actor):
        return False
    return actor.is_staff or is_member_reader(actor)


def can_read_teaching_note(actor: Actor, case: Case | None = None) -> bool:
    """Teaching notes: teachers of member universities, and staff; never students."""
    if not signed_in(actor):
        return False
    return actor.is_staff or bool(_member_roles(actor) & set(TEACHER_ROLES))


def can_adopt(actor: Actor) -> bool:
    """Attaching cases to a course unit or a 案例集: teachers of member universities."""
    return signed_in(actor) and bool(_member_roles(actor) & set(TEACHER_ROLES))


def access_case(*, actor: Actor, case_id: int) -> Case:
    """A case as the public sees it (abstract and metadata); withdrawn cases only for staff."""
    case = Case.objects.select_related("organization").filter(pk=case_id).first()
    if case is None or (case.status != Case.Status.PUBLISHED and not (signed_in(actor) and actor.is_staff)):
        raise NotFound
    return case


def _refuse(actor: Actor, *, teaching_note: bool = False) -> DomainError:
    if not signed_in(actor):
        return DomainError("sign_in_required", _("请先登录：案例全文仅向成员单位的师生开放"), status=403)
    if teaching_note:
        return DomainError("teachers_only", _("教学指导手册仅向成员单位的教师开放"), status=403)
    return DomainError("members_only", _("案例全文和视频仅向案例库成员单位的教师和学生开放"), status=403)


def access_full_text(*, actor: Actor, case_id: int) -> Case:
    """A case whose full text or video the actor may open; 404 when missing, 403 saying why when refused."""
    case = access_case(actor=actor, case_id=case_id)
    if not can_read_full_text(actor, case):
        raise _refuse(actor)
    return case


def access_teaching_note(*, actor: Actor, case_id: int) -> Case:
    case = access_case(actor=actor, case_id=case_id)
    if not case.teaching_note:
        raise NotFound
    if not can_read_teaching_note(actor, case):
        raise _refuse(actor, teaching_note=True)
    return case


def access_collection(*, actor: Actor, collection_id: int) -> CaseCollection:
    """A 案例集 for its teacher, and for the learners and staff of the run it was made for."""
    collection = CaseCollection.objects.select_related("owner", "run").filter(pk=collection_id).first()
    if collection is None or not signed_in(actor):
        raise NotFound
    if collection.owner_id == actor.pk or actor.is_staff:
        return collection
    if collection.run is not None:
        from zhijiao.courses.selectors.runs import is_enrolled
        from zhijiao.courses.selectors.teaching import may_teach_run

        if is_enrolled(actor, collection.run) or may_teach_run(actor, collection.run, change=False):
            return collection
    raise NotFound


def access_own_collection(*, actor: Actor, collection_id: int) -> CaseCollection:
    collection = CaseCollection.objects.filter(pk=collection_id).first()
    if collection is None or not signed_in(actor) or collection.owner_id != actor.pk:
        raise NotFound
    return collection


def collections_of(*, actor: Actor) -> list[CaseCollection]:
    if not signed_in(actor):
        return []
    return list(CaseCollection.objects.filter(owner=actor).select_related("run__course").annotate(size=Count("items")))


def collection_cases(*, collection: CaseCollection) -> list[Any]:
    return list(collection.items.select_related("case").order_by("position"))


# --- Catalogue ---------------------------------------------------------------------------------------------


@dataclass
class CategoryCount:
    code: str
    name: str
    count: int


@dataclass
class CategoryGroup:
    code: str
    name: str
    count: int
    categories: list[CategoryCount] = field(default_factory=list)


def category_counts() -> list[CategoryGroup]:
    """Published cases per professional-degree category, grouped by 学科门类; categories without cases left out."""

    def build() -> list[tuple[str, int]]:
        return list(
            published_cases().order_by().values("category").annotate(n=Count("id")).values_list("category", "n")
        )

    counts = dict(content_cached("cases:category_counts", build))
    groups: dict[str, CategoryGroup] = {}
    for code, name in PROFESSIONAL_DEGREES:
        n = counts.get(code, 0)
        if not n:
            continue
        group_code, group_name = group_of(code)
        group = groups.setdefault(group_code, CategoryGroup(group_code, _(group_name), 0))
        group.count += n
        group.categories.append(CategoryCount(code, _(name), n))
    return list(groups.values())


def type_counts() -> list[tuple[str, str, int]]:
    counts = dict(
        content_cached(
            "cases:type_counts",
            lambda: list(
                published_cases().order_by().values("case_type").annotate(n=Count("id")).values_list("case_type", "n")
            ),
        )
    )
    return [(value, str(label), counts.get(value, 0)) for value, label in CaseType.choices]


def field_counts(*, category: str = "", limit: int = 30) -> list[tuple[str, int]]:
    """The most common fields (领域/行业), within a category when one is chosen."""

    def build() -> list[tuple[str, int]]:
        qs = published_cases().order_by()
        if category:
            qs = qs.filter(category=category)
        return list(
            qs.values("field").annotate(n=Count("id")).order_by("-n", "field").values_list("field", "n")[:limit]
        )

    return list(content_cached(f"cases:field_counts:{category}", build))


@dataclass
class HotCase:
    case: Case
    views: int
    downloads: int
    adoptions: int

    @property
    def score(self) -> int:
        return self.views + 5 * self.downloads + 10 * self.adoptions


def hot_cases(*, limit: int = HOT_LIMIT, days: int = HOT_DAYS) -> list[HotCase]:
    """The hottest cases of the last ``days`` days: page views (analytics' rollups) plus downloads ×5 and adoptions
    ×10 (the library's own daily usage), so a case read in class outranks one only browsed."""
    from zhijiao.analytics import selectors as analytics

    def build() -> list[tuple[int, int, int, int]]:
        since = timezone.localdate() - timedelta(days=days)
        views = analytics.views_of_type(object_type="cases.case", days=days, limit=limit * 5)
        usage = {
            row["case_id"]: (row["d"] or 0, row["a"] or 0)
            for row in CaseUsageDay.objects.filter(day__gt=since)
            .values("case_id")
            .annotate(d=Sum("downloads"), a=Sum("adoptions"))
            .order_by("-a", "-d")[: limit * 5]
        }
        scored = [(pk, views.get(pk, 0), *usage.get(pk, (0, 0))) for pk in set(views) | set(usage)]
        scored.sort(key=lambda row: (-(row[1] + 5 * row[2] + 10 * row[3]), row[0]))
        if len(scored) < limit * 2:  # a young library: the most used of all time fill the list
            seen = {row[0] for row in scored}
            fill = (
                published_cases()
                .exclude(pk__in=seen)
                .order_by("-adoption_count", "-download_count", "-id")
                .values_list("id", "download_count", "adoption_count")[: limit * 2 - len(scored)]
            )
            scored += [(pk, 0, downloads, adoptions) for pk, downloads, adoptions in fill]
        return scored[: limit * 2]

    rows = content_cached(f"cases:hot:{days}:{limit}", build)
    by_id = published_cases().in_bulk([row[0] for row in rows])
    return [HotCase(by_id[pk], v, d, a) for pk, v, d, a in rows if pk in by_id][:limit]


def newest_cases(*, limit: int = NEWEST_LIMIT) -> list[Case]:
    return list(published_cases().order_by("-accepted_at", "-id")[:limit])


def related_cases(*, case: Case, limit: int = RELATED_LIMIT) -> list[Case]:
    """Cases of the same category and field first, then of the same category."""
    same = list(
        published_cases().filter(category=case.category, field=case.field).exclude(pk=case.pk).order_by("-id")[:limit]
    )
    if len(same) < limit:
        same += list(
            published_cases()
            .filter(category=case.category)
            .exclude(pk__in=[case.pk, *[c.pk for c in same]])
            .order_by("-id")[: limit - len(same)]
        )
    return same


@dataclass
class Usage:
    days: list[date]
    views: list[int]
    downloads: list[int]
    adoptions: list[int]

    @property
    def totals(self) -> tuple[int, int, int]:
        return sum(self.views), sum(self.downloads), sum(self.adoptions)


def case_usage(*, case: Case, days: int = USAGE_DAYS) -> Usage:
    """A case's views, downloads and adoptions per day over the last ``days`` days (today included)."""
    from zhijiao.analytics import selectors as analytics

    today = timezone.localdate()
    span = [today - timedelta(days=offset) for offset in range(days - 1, -1, -1)]
    views = analytics.object_views_by_day(object_type="cases.case", object_id=case.pk, since=span[0])
    usage = {
        row.day: row
        for row in CaseUsageDay.objects.filter(case=case, day__gte=span[0]).only("day", "downloads", "adoptions")
    }
    return Usage(
        days=span,
        views=[views.get(day, 0) for day in span],
        downloads=[usage[day].downloads if day in usage else 0 for day in span],
        adoptions=[usage[day].adoptions if day in usage else 0 for day in span],
    )


# --- The catalogue page --------------------------------------------------------------------------------------

PER_PAGE = 20
MAX_PAGE = 500
SORTS = ("newest", "hot", "relevance")
_SEARCH_SORTS = {"newest": "newest", "hot": "popular", "relevance": "relevance"}


@dataclass
class CatalogueQuery:
    q: str = ""
    category: str = ""
    case_type: str = ""
    field: str = ""
    sort: str = ""

    @property
    def order(self) -> str:
        if self.sort in SORTS and (self.sort != "relevance" or self.q):
            return self.sort
        return "relevance" if self.q else "newest"

    def filters(self) -> dict[str, str]:
        return {name: value for name in ("category", "case_type", "field") if (value := getattr(self, name))}

    def params(self) -> dict[str, str]:
        return {"q": self.q, **self.filters(), "sort": self.sort}


def clean_catalogue_query(params: Any) -> tuple[CatalogueQuery, dict[str, list[str]]]:
    """The catalogue's parameters, each checked; a wrong one is dropped and named in the errors."""
    from zhijiao.core.params import has_control_characters

    from .categories import is_category

    errors: dict[str, list[str]] = {}
    query = CatalogueQuery()

    def text(name: str, limit: int) -> str:
        value = params.get(name) or ""
        if not isinstance(value, str):
            value = str(value)
        value = value.strip()
        if has_control_characters(value) or len(value) > limit:
            errors[name] = [_("内容无效")]
            return ""
        return value

    query.q = text("q", 100)
    category = text("category", 4)
    if category and not is_category(category):
        errors["category"] = [_("没有这个专业学位类别")]
        category = ""
    query.category = category
    case_type = text("case_type", 16)
    if case_type and case_type not in CaseType.values:
        errors["case_type"] = [_("没有这种案例类型")]
        case_type = ""
    query.case_type = case_type
    query.field = text("field", 40)
    sort = text("sort", 16)
    if sort and sort not in SORTS:
        errors["sort"] = [_("未知的排序方式")]
        sort = ""
    query.sort = sort
    return query, errors


@dataclass
class CataloguePage:
    query: CatalogueQuery
    page: int
    total: int = 0
    total_exact: bool = True
    cases: list[Case] = field(default_factory=list)
    hits: dict[int, Any] = field(default_factory=dict)
    facets: list[Any] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PER_PAGE))

    @property
    def entries(self) -> list[tuple[Case, Any]]:
        return [(case, self.hits.get(case.pk)) for case in self.cases]


def catalogue_page(*, actor: Actor, query: CatalogueQuery, page: int = 1) -> CataloguePage:
    """One page of the catalogue: browsing reads the case table, keywords go through the unified search."""
    page = max(1, min(page, MAX_PAGE))
    result = CataloguePage(query=query, page=page)
    offset = (page - 1) * PER_PAGE
    if not query.q:
        qs = published_cases().filter(**query.filters())
        key = "&".join(f"{k}={v}" for k, v in sorted(query.filters().items()))
        result.total = content_cached(f"cases:count:{key}", qs.count)
        if offset >= result.total:
            return result
        order = ["-accepted_at", "-id"] if query.order == "newest" else ["-adoption_count", "-download_count", "-id"]
        result.cases = list(qs.order_by(*order)[offset : offset + PER_PAGE])
        return result

    from zhijiao.search import selectors as search_selectors

    from .search import FACET_NAMES, KIND

    found = search_selectors.search(
        actor=actor,
        q=query.q,
        filters={"type": KIND, **query.filters()},
        sort=_SEARCH_SORTS[query.order],
        limit=PER_PAGE,
        offset=min(offset, search_selectors.MAX_OFFSET),
    )
    result.total, result.total_exact = found.total, found.total_exact
    result.facets = [facet for facet in found.facets if facet.name in FACET_NAMES]
    ids = [int(hit.document.object_id) for hit in found.hits]
    result.hits = {int(hit.document.object_id): hit for hit in found.hits}
    by_id = published_cases().in_bulk(ids)
    result.cases = [by_id[pk] for pk in ids if pk in by_id]
    return result
