"""Classes and their assignments for teachers, students and parents: access checks, lists and who did what."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Q, QuerySet

from zhijiao.accounts.models import User
from zhijiao.core.actors import Actor, signed_in
from zhijiao.core.errors import NotFound
from zhijiao.orgs.models import Role

from ..models import Assignment, ClassMember, Progress, Resource, SchoolClass
from .permissions import can_manage_class, orgs_with_role


def access_class(*, actor: Actor, class_id: int) -> SchoolClass:
    """A class for its teacher, its school's administrators and its own students; NotFound for anyone else."""
    klass = SchoolClass.objects.select_related("school", "teacher").filter(pk=class_id, is_active=True).first()
    if klass is None:
        raise NotFound
    if can_manage_class(actor, klass):
        return klass
    if signed_in(actor) and ClassMember.objects.filter(klass=klass, student=actor).exists():
        return klass
    raise NotFound


def access_managed_class(*, actor: Actor, class_id: int) -> SchoolClass:
    klass = SchoolClass.objects.select_related("school", "teacher").filter(pk=class_id, is_active=True).first()
    if klass is None or not can_manage_class(actor, klass):
        raise NotFound
    return klass


def classes_taught(*, user: Actor) -> QuerySet[SchoolClass]:
    if not signed_in(user):
        return SchoolClass.objects.none()
    admin_schools = [org.pk for org in orgs_with_role(user, Role.SCHOOL_ADMIN)]
    return (
        SchoolClass.objects.filter(Q(teacher=user) | Q(school__in=admin_schools), is_active=True)
        .select_related("school")
        .annotate(member_count=Count("members", distinct=True))
        .order_by("school__name", "name")
    )


def classes_joined(*, user: Actor) -> QuerySet[SchoolClass]:
    if not signed_in(user):
        return SchoolClass.objects.none()
    return SchoolClass.objects.filter(members__student=user, is_active=True).select_related("school", "teacher")


def class_members(*, klass: SchoolClass) -> QuerySet[ClassMember]:
    return klass.members.select_related("student").order_by("joined_at", "id")


def class_assignments(*, klass: SchoolClass) -> QuerySet[Assignment]:
    return klass.assignments.annotate(item_count=Count("items")).order_by("-due_date", "-id")


def _is_guardian_of_member(user: Actor, klass: SchoolClass) -> bool:
    from zhijiao.accounts.selectors import children_of

    if not signed_in(user):
        return False
    children = [link.child_id for link in children_of(user)]
    return bool(children) and ClassMember.objects.filter(klass=klass, student_id__in=children).exists()


def access_assignment(*, actor: Actor, assignment_id: int) -> Assignment:
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
    if signed_in(actor) and ClassMember.objects.filter(klass=klass, student=actor).exists():
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


def assignments_of_student(*, student: Actor) -> list[StudentAssignment]:
    """A student's assignments in all their classes, with how far they got; nearest due first."""
    if not signed_in(student):
        return []
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
    student: User
    done: int
    total: int
    seconds: int
    last_seen: datetime | None
    items: list[Progress | None] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done >= self.total


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


def progress_of(*, student: Actor, resource: Resource) -> Progress | None:
    if not signed_in(student):
        return None
    return Progress.objects.filter(student=student, resource=resource).first()


def progress_rows(*, student: Actor, resources: list[Resource]) -> QuerySet[Progress]:
    if not signed_in(student):
        return Progress.objects.none()
    return Progress.objects.filter(student=student, resource__in=resources)


@dataclass
class ChildAssignments:
    child: User
    assignments: list[StudentAssignment]


def children_assignments(*, parent: Actor) -> list[ChildAssignments]:
    """What a parent sees: each child's assignments and completion."""
    from zhijiao.accounts.selectors import children_of

    if not signed_in(parent):
        return []
    return [
        ChildAssignments(child=link.child, assignments=assignments_of_student(student=link.child))
        for link in children_of(parent)
    ]
