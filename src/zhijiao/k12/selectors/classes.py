"""Reads of the K-12 platform and its access checks, each question answered by one function.

``access_<thing>(actor=…, …)`` raises ``NotFound`` for missing and forbidden alike.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, cast

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from zhijiao.core.cache import content_cached
from zhijiao.core.errors import NotFound
from zhijiao.orgs.models import Organization, Role
from zhijiao.orgs.selectors import has_role, is_platform_admin, memberships_of, region_code_prefix

from ..codes import normalize_code
from ..models import (
    AFTER_SCHOOL_COLUMNS,
    Assignment,
    Book,
    ClassMember,
    Code,
    CodeBatch,
    Collection,
    CollectionItem,
    Column,
    Edition,
    KnowledgePoint,
    Lesson,
    Progress,
    Resource,
    ScanStat,
    SchoolClass,
    Stage,
    Subject,
    Unit,
)

PUBLISHED = Resource.Status.PUBLISHED


# --- Who may do what ----------------------------------------------------------------------------------------


def _signed_in(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and getattr(user, "is_active", True)


def is_k12_staff(user: Any) -> bool:
    """Platform staff: review resources, manage every code batch, see every statistic."""
    return _signed_in(user) and (bool(user.is_staff) or is_platform_admin(user))


def _orgs_with_role(user: Any, role: str, kind: str | None = None) -> list[Organization]:
    if not _signed_in(user):
        return []
    memberships = memberships_of(user).filter(role=role)
    if kind:
        memberships = memberships.filter(organization__kind=kind)
    return [membership.organization for membership in memberships]


def teacher_schools(user: Any) -> list[Organization]:
    """The schools (中小学校) where a person teaches."""
    return _orgs_with_role(user, Role.TEACHER, Organization.Kind.SCHOOL)


def district_agencies(user: Any) -> list[Organization]:
    """The education bureaus where a person works as district staff."""
    return _orgs_with_role(user, Role.DISTRICT_STAFF, Organization.Kind.AGENCY)


def can_upload_resource(user: Any) -> bool:
    """Staff and school teachers upload resources (teachers' go through review)."""
    return is_k12_staff(user) or bool(teacher_schools(user))


def can_review_resources(user: Any) -> bool:
    return is_k12_staff(user)


def can_edit_resource(user: Any, resource: Resource) -> bool:
    """Staff edit any resource; an uploader edits their own while it is not published."""
    if is_k12_staff(user):
        return True
    return (
        _signed_in(user)
        and resource.owner_id == user.pk
        and resource.status in (Resource.Status.DRAFT, Resource.Status.WITHDRAWN)
    )


def can_view_resource(user: Any, resource: Resource) -> bool:
    if resource.status == PUBLISHED:
        return True
    return is_k12_staff(user) or (_signed_in(user) and resource.owner_id == user.pk)


def code_organizations(user: Any) -> list[Organization]:
    """Where a person may make code batches: their district bureaus and the schools they teach in."""
    return district_agencies(user) + teacher_schools(user)


def can_manage_codes(user: Any) -> bool:
    """Staff, district staff and school teachers make code batches."""
    return is_k12_staff(user) or bool(code_organizations(user))


def can_manage_batch(user: Any, batch: CodeBatch) -> bool:
    if is_k12_staff(user):
        return True
    return batch.organization_id is not None and batch.organization_id in {org.pk for org in code_organizations(user)}


def can_see_scan_stats(user: Any) -> bool:
    return is_k12_staff(user) or bool(district_agencies(user))


def can_create_class(user: Any, school: Organization) -> bool:
    return school.kind == Organization.Kind.SCHOOL and has_role(user, Role.TEACHER, organization=school)


def can_manage_class(user: Any, klass: SchoolClass) -> bool:
    """The class's own teacher, or a school administrator of its school."""
    if not _signed_in(user):
        return False
    if klass.teacher_id == user.pk and has_role(user, Role.TEACHER, organization=klass.school):
        return True
    return has_role(user, Role.SCHOOL_ADMIN, organization=klass.school)


def can_manage_collection(user: Any, collection: Collection) -> bool:
    if is_k12_staff(user):
        return True
    return collection.district_id in {org.pk for org in district_agencies(user)}


# --- Catalogue ------------------------------------------------------------------------------------------------


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
        Resource.objects.filter(Q(lesson=lesson) | Q(points__lesson=lesson), status=PUBLISHED)
        .distinct()
        .select_related("subject")
        .prefetch_related("images")
    )
    return _explanation_first(resources)


def point_resources(*, point: KnowledgePoint) -> list[Resource]:
    resources = list(
        Resource.objects.filter(points=point, status=PUBLISHED).select_related("subject").prefetch_related("images")
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


# --- Resources ------------------------------------------------------------------------------------------------


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
    qs = Resource.objects.filter(status=PUBLISHED).select_related("subject")
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


def access_resource(*, actor: Any, resource_id: int) -> Resource:
    resource = (
        Resource.objects.select_related("subject", "book__edition", "book__subject", "unit", "lesson__unit__book")
        .prefetch_related("points", "images")
        .filter(pk=resource_id)
        .first()
    )
    if resource is None or not can_view_resource(actor, resource):
        raise NotFound
    return resource


def resources_owned(*, user: Any) -> QuerySet[Resource]:
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


# --- Codes ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResolvedCode:
    """What /q/<code> needs, small enough to cache: ids and the state, no model instances."""

    code_id: int
    code: str
    status: str
    lesson_id: int | None
    point_id: int | None
    book_id: int | None
    version: int


def code_cache_key(code: str) -> str:
    return f"k12:code:{code}"


CODE_CACHE_SECONDS = 300


def resolve_code(*, code: str) -> ResolvedCode | None:
    """The code's state and target (cached five minutes; services clear it on every change)."""
    value = normalize_code(code)
    if not value or len(value) > 16:
        return None
    key = code_cache_key(value)
    cached = cache.get(key)
    if cached is not None:
        return cached or None
    row = (
        Code.objects.filter(code=value)
        .values(
            "pk",
            "code",
            "status",
            "lesson_id",
            "point_id",
            "version",
            "lesson__unit__book_id",
            "point__lesson__unit__book_id",
            "batch__book_id",
        )
        .first()
    )
    resolved = (
        ResolvedCode(
            code_id=row["pk"],
            code=row["code"],
            status=row["status"],
            lesson_id=row["lesson_id"],
            point_id=row["point_id"],
            book_id=row["lesson__unit__book_id"] or row["point__lesson__unit__book_id"] or row["batch__book_id"],
            version=row["version"],
        )
        if row
        else None
    )
    cache.set(key, resolved or False, CODE_CACHE_SECONDS)
    return resolved


def batches_for(*, actor: Any) -> QuerySet[CodeBatch]:
    qs = CodeBatch.objects.select_related("book__subject", "book__edition", "organization").annotate(
        code_count=Count("codes")
    )
    if is_k12_staff(actor):
        return qs
    return qs.filter(organization__in=[org.pk for org in code_organizations(actor)])


def access_batch(*, actor: Any, batch_id: int) -> CodeBatch:
    batch = (
        CodeBatch.objects.select_related("book__subject", "book__edition", "organization", "collection")
        .filter(pk=batch_id)
        .first()
    )
    if batch is None or not can_manage_batch(actor, batch):
        raise NotFound
    return batch


def batch_codes(*, batch: CodeBatch) -> QuerySet[Code]:
    return batch.codes.select_related("lesson__unit", "point__lesson").order_by("id")


def access_code(*, actor: Any, code_id: int) -> Code:
    code = Code.objects.select_related("batch", "lesson", "point").filter(pk=code_id).first()
    if code is None or not can_manage_batch(actor, code.batch):
        raise NotFound
    return code


@dataclass
class ScanReport:
    days: list[date]
    daily: list[int]
    top: list[dict[str, Any]]
    regions: list[dict[str, Any]]
    total: int


def _scan_scope(actor: Any) -> QuerySet[ScanStat]:
    qs = ScanStat.objects.all()
    if is_k12_staff(actor):
        return qs
    agencies = district_agencies(actor)
    if not agencies:
        return qs.none()
    condition = Q()
    for agency in agencies:
        prefix = region_code_prefix(agency.region)
        condition |= Q(code__batch__organization__region__code__startswith=prefix) | Q(region__startswith=prefix)
    return qs.filter(condition)


def scan_report(*, actor: Any, days: int = 30, today: date | None = None) -> ScanReport:
    """Scans per day, the most scanned codes and the regions they came from, over the last ``days`` days."""
    if not can_see_scan_stats(actor):
        raise NotFound
    today = today or timezone.localdate()
    since = today - timedelta(days=days - 1)
    qs = _scan_scope(actor).filter(day__gte=since)
    per_day = dict(qs.order_by().values_list("day").annotate(total=Sum("count")).values_list("day", "total"))
    day_list = [since + timedelta(days=offset) for offset in range(days)]
    top: list[dict[str, Any]] = cast(
        list[dict[str, Any]],
        list(
            qs.order_by()
            .values("code__code", "code__lesson__title", "code__point__title", "code__batch__title")
            .annotate(total=Sum("count"))
            .order_by("-total", "code__code")[:20]
        ),
    )
    regions: list[dict[str, Any]] = cast(
        list[dict[str, Any]],
        list(
            qs.exclude(region="")
            .order_by()
            .values("region")
            .annotate(total=Sum("count"))
            .order_by("-total", "region")[:20]
        ),
    )
    from zhijiao.orgs.models import Region

    names = dict(Region.objects.filter(code__in=[row["region"] for row in regions]).values_list("code", "name"))
    for row in regions:
        row["name"] = names.get(row["region"], row["region"])
    return ScanReport(
        days=day_list,
        daily=[int(per_day.get(day, 0)) for day in day_list],
        top=top,
        regions=regions,
        total=sum(int(value) for value in per_day.values()),
    )


# --- Collections ----------------------------------------------------------------------------------------------


def collections_for(*, actor: Any) -> QuerySet[Collection]:
    qs = Collection.objects.select_related("district", "subject").annotate(item_count=Count("items"))
    if is_k12_staff(actor):
        return qs
    return qs.filter(district__in=[org.pk for org in district_agencies(actor)])


def access_collection(*, actor: Any, collection_id: int) -> Collection:
    collection = Collection.objects.select_related("district", "subject").filter(pk=collection_id).first()
    if collection is None or not (collection.is_published or can_manage_collection(actor, collection)):
        raise NotFound
    return collection


def collection_items(*, collection: Collection) -> list[CollectionItem]:
    return list(
        collection.items.select_related("resource__subject", "resource__lesson__unit__book__edition").order_by(
            "position"
        )
    )


# --- Classes --------------------------------------------------------------------------------------------------


def access_class(*, actor: Any, class_id: int) -> SchoolClass:
    """A class for its teacher, its school's administrators and its own students; NotFound for anyone else."""
    klass = SchoolClass.objects.select_related("school", "teacher").filter(pk=class_id, is_active=True).first()
    if klass is None:
        raise NotFound
    if can_manage_class(actor, klass):
        return klass
    if _signed_in(actor) and ClassMember.objects.filter(klass=klass, student=actor).exists():
        return klass
    raise NotFound


def access_managed_class(*, actor: Any, class_id: int) -> SchoolClass:
    klass = SchoolClass.objects.select_related("school", "teacher").filter(pk=class_id, is_active=True).first()
    if klass is None or not can_manage_class(actor, klass):
        raise NotFound
    return klass


def classes_taught(*, user: Any) -> QuerySet[SchoolClass]:
    if not _signed_in(user):
        return SchoolClass.objects.none()
    admin_schools = [org.pk for org in _orgs_with_role(user, Role.SCHOOL_ADMIN)]
    return (
        SchoolClass.objects.filter(Q(teacher=user) | Q(school__in=admin_schools), is_active=True)
        .select_related("school")
        .annotate(member_count=Count("members", distinct=True))
        .order_by("school__name", "name")
    )


def classes_joined(*, user: Any) -> QuerySet[SchoolClass]:
    if not _signed_in(user):
        return SchoolClass.objects.none()
    return SchoolClass.objects.filter(members__student=user, is_active=True).select_related("school", "teacher")


def class_members(*, klass: SchoolClass) -> QuerySet[ClassMember]:
    return klass.members.select_related("student").order_by("joined_at", "id")


def class_assignments(*, klass: SchoolClass) -> QuerySet[Assignment]:
    return klass.assignments.annotate(item_count=Count("items")).order_by("-due_date", "-id")


def _is_guardian_of_member(user: Any, klass: SchoolClass) -> bool:
    from zhijiao.accounts.selectors import children_of

    if not _signed_in(user):
        return False
    children = [link.child_id for link in children_of(user)]
    return bool(children) and ClassMember.objects.filter(klass=klass, student_id__in=children).exists()


def access_assignment(*, actor: Any, assignment_id: int) -> Assignment:
    """An assignment for its class's teacher, the class's students and their parents."""
    assignment = (
        Assignment.objects.select_related("klass__school", "klass__teacher", "lesson", "collection")
        .filter(pk=assignment_id, klass__is_active=True)
        .first()
    )
    if assignment is None:
        raise NotFound
    klass = assignment.klass
    if can_manage_class(actor, klass):
        return assignment
    if _signed_in(actor) and ClassMember.objects.filter(klass=klass, student=actor).exists():
        return assignment
    if _is_guardian_of_member(actor, klass):
        return assignment
    raise NotFound


def assignment_resources(*, assignment: Assignment) -> list[Resource]:
    return [item.resource for item in assignment.items.select_related("resource").order_by("position")]


@dataclass
class StudentAssignment:
    assignment: Assignment
    total: int
    done: int
    seconds: int

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done >= self.total

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def _progress_map(student_ids: list[int], resource_ids: list[int]) -> dict[tuple[int, int], Progress]:
    rows = Progress.objects.filter(student_id__in=student_ids, resource_id__in=resource_ids)
    return {(row.student_id, row.resource_id): row for row in rows}


def assignments_of_student(*, student: Any) -> list[StudentAssignment]:
    """A student's assignments in all their classes, with how far they got; nearest due first."""
    assignments = list(
        Assignment.objects.filter(klass__members__student=student, klass__is_active=True)
        .select_related("klass")
        .prefetch_related("items")
        .order_by("due_date", "id")
    )
    resource_ids = sorted({item.resource_id for assignment in assignments for item in assignment.items.all()})
    progress = _progress_map([student.pk], resource_ids)
    result = []
    for assignment in assignments:
        ids = [item.resource_id for item in assignment.items.all()]
        rows = [progress.get((student.pk, rid)) for rid in ids]
        result.append(
            StudentAssignment(
                assignment=assignment,
                total=len(ids),
                done=sum(1 for row in rows if row is not None and row.completed_at is not None),
                seconds=sum(row.seconds_spent for row in rows if row is not None),
            )
        )
    return result


@dataclass
class StudentRow:
    student: Any
    done: int
    total: int
    seconds: int
    last_seen: Any
    items: list[Progress | None] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done >= self.total

    @property
    def minutes(self) -> int:
        return round(self.seconds / 60)


def assignment_report(*, assignment: Assignment) -> list[StudentRow]:
    """Per student of the class: resources completed, time spent, last activity (three queries)."""
    members = list(class_members(klass=assignment.klass))
    resource_ids = [item.resource_id for item in assignment.items.order_by("position")]
    progress = _progress_map([member.student_id for member in members], resource_ids)
    rows = []
    for member in members:
        items = [progress.get((member.student_id, rid)) for rid in resource_ids]
        present = [item for item in items if item is not None]
        rows.append(
            StudentRow(
                student=member.student,
                done=sum(1 for item in present if item.completed_at is not None),
                total=len(resource_ids),
                seconds=sum(item.seconds_spent for item in present),
                last_seen=max((item.updated_at for item in present), default=None),
                items=items,
            )
        )
    return rows


def progress_of(*, student: Any, resource: Resource) -> Progress | None:
    if not _signed_in(student):
        return None
    return Progress.objects.filter(student=student, resource=resource).first()


def progress_rows(*, student: Any, resources: list[Resource]) -> QuerySet[Progress]:
    if not _signed_in(student):
        return Progress.objects.none()
    return Progress.objects.filter(student=student, resource__in=resources)


@dataclass
class ChildAssignments:
    child: Any
    assignments: list[StudentAssignment]


def children_assignments(*, parent: Any) -> list[ChildAssignments]:
    """What a parent sees: each child's assignments and completion."""
    from zhijiao.accounts.selectors import children_of

    if not _signed_in(parent):
        return []
    return [
        ChildAssignments(child=link.child, assignments=assignments_of_student(student=link.child))
        for link in children_of(parent)
    ]


# --- District usage -------------------------------------------------------------------------------------------


@dataclass
class DistrictUsage:
    district: Organization
    students: int
    active_week: int
    active_month: int
    top_resources: list[dict[str, Any]]
    scans_month: int

    @property
    def week_share(self) -> int:
        return round(100 * self.active_week / self.students) if self.students else 0

    @property
    def month_share(self) -> int:
        return round(100 * self.active_month / self.students) if self.students else 0


def access_district(*, actor: Any, district_id: int | None = None) -> Organization:
    agencies = district_agencies(actor)
    if district_id is None and agencies:
        return agencies[0]
    for agency in agencies:
        if agency.pk == district_id:
            return agency
    raise NotFound


def district_usage(*, district: Organization, today: date | None = None) -> DistrictUsage:
    """The share of the district's students active this week and month, top resources and scans (30 days)."""
    today = today or timezone.localdate()
    prefix = region_code_prefix(district.region)
    from zhijiao.orgs.models import Membership

    student_ids = Membership.objects.filter(
        role=Role.STUDENT,
        is_active=True,
        organization__kind=Organization.Kind.SCHOOL,
        organization__region__code__startswith=prefix,
    ).values("user_id")
    students = student_ids.distinct().count()
    now = timezone.now()
    recent = Progress.objects.filter(student_id__in=student_ids)
    active_week = recent.filter(updated_at__gte=now - timedelta(days=7)).values("student_id").distinct().count()
    active_month = recent.filter(updated_at__gte=now - timedelta(days=30)).values("student_id").distinct().count()
    top: list[dict[str, Any]] = cast(
        list[dict[str, Any]],
        list(
            recent.filter(updated_at__gte=now - timedelta(days=30))
            .order_by()
            .values("resource_id", "resource__title")
            .annotate(learners=Count("student_id", distinct=True), seconds=Sum("seconds_spent"))
            .order_by("-learners", "-seconds", "resource_id")[:10]
        ),
    )
    scans = (
        ScanStat.objects.filter(day__gte=today - timedelta(days=29))
        .filter(Q(region__startswith=prefix) | Q(code__batch__organization=district))
        .aggregate(total=Sum("count"))["total"]
        or 0
    )
    return DistrictUsage(
        district=district,
        students=students,
        active_week=active_week,
        active_month=active_month,
        top_resources=top,
        scans_month=int(scans),
    )


def edition_list() -> list[Edition]:
    return list(Edition.objects.all())


def books_for_choice() -> QuerySet[Book]:
    return Book.objects.select_related("subject", "edition").order_by(
        "subject__stage", "subject__position", "edition__position", "grade", "position"
    )
