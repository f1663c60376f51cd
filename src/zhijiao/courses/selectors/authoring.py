"""Reads for the teachers' authoring pages: the discipline chooser, the courses a teacher may write, and where a
chapter or unit of one course may be copied to in their others."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zhijiao.core.actors import Actor, signed_in
from zhijiao.core.choosers import Choice, ChooserSource

from ..models import EDITING_ROLES, Course, Discipline, Node, NodeKind

# --- The discipline chooser (core/choosers.py) ------------------------------------------------------------------


def _first_level() -> QuerySet[Discipline]:
    return Discipline.objects.filter(parent__isnull=False).select_related("parent").order_by("code")


def discipline_choice(discipline: Discipline, *, exact: bool = False) -> Choice:
    category = discipline.parent.name if discipline.parent else ""
    return Choice(
        value=discipline.code,
        label=f"{discipline.code} {discipline.name}",
        short=f"{discipline.code} {discipline.name}",
        detail=category,
        group=f"{discipline.parent.code} {category}" if discipline.parent else "",
        exact=exact,
        obj=discipline,
    )


def disciplines_search(actor: Actor, text: str, limit: int) -> list[Choice]:
    """First-level disciplines whose code or name holds every word; a category's name lists all of its own
    (工学 → 0801 力学 …). About 120 rows: matching in Python keeps it simple."""
    words = text.split()[:5]
    found = []
    for discipline in _first_level():
        names = [discipline.code, discipline.name, discipline.parent.name if discipline.parent else ""]
        if all(any(word in name for name in names) for word in words):
            exact = text in (discipline.code, discipline.name, f"{discipline.code} {discipline.name}")
            found.append(discipline_choice(discipline, exact=exact))
    return sorted(found, key=lambda choice: not choice.exact)[:limit]


def disciplines_lookup(actor: Actor, values: Sequence[str]) -> list[Choice]:
    by_code = {d.code: d for d in _first_level().filter(code__in=[str(v) for v in values][:50])}
    return [discipline_choice(by_code[str(code)]) for code in values if str(code) in by_code]


def disciplines_everything(actor: Actor) -> list[Choice]:
    return [discipline_choice(discipline) for discipline in _first_level()]


def discipline_by_code(code: str) -> Discipline | None:
    return Discipline.objects.select_related("parent").filter(code=code).first()


def chooser_sources() -> list[ChooserSource]:
    """The course engine's choosers, registered from ``CoursesConfig.ready()``."""
    return [
        ChooserSource(
            name="disciplines",
            allowed=lambda actor: True,  # the official catalogue is public
            search=disciplines_search,
            lookup=disciplines_lookup,
            everything=disciplines_everything,
            value_pattern=r"\d{4}",
            placeholder=_("输入学科名称或代码，如 计算机、0812"),
        )
    ]


# --- A teacher's courses ----------------------------------------------------------------------------------------


def courses_editable_by(*, actor: Actor | None) -> QuerySet[Course]:
    """The courses whose lead or teacher the actor is (what they may write and copy into), by title."""
    if not signed_in(actor):
        return Course.objects.none()
    return Course.objects.filter(staff__user=actor, staff__role__in=EDITING_ROLES).order_by("title", "id")


@dataclass(frozen=True)
class CopyTarget:
    """A place a chapter or unit may be copied to: a course (for a chapter) or a chapter or section in it."""

    value: str  # "<course id>" or "<course id>:<node id>"
    course: Course
    node_id: int | None
    label: str
    kind: str = ""  # the kind of node it is ("" for a course)


def copy_targets(*, actor: Actor | None, exclude: Course) -> tuple[list[CopyTarget], list[CopyTarget]]:
    """Where the actor may copy a chapter (their other courses) and a unit (the chapters and sections of those; a
    section goes to the chapters only), in two queries."""
    courses = list(courses_editable_by(actor=actor).exclude(pk=exclude.pk))
    by_id = {course.pk: course for course in courses}
    chapters = [CopyTarget(str(course.pk), course, None, course.title) for course in courses]
    containers = Node.objects.filter(course__in=courses, kind__in=[NodeKind.CHAPTER, NodeKind.SECTION]).order_by(
        "course_id", "parent_id", "position", "id"
    )
    nodes = list(containers.only("id", "course_id", "parent_id", "kind", "title", "position"))
    titles = {node.pk: node.title for node in nodes}
    by_parent: dict[int, list[Node]] = {}
    for node in nodes:
        if node.parent_id is not None:
            by_parent.setdefault(node.parent_id, []).append(node)
    units: list[CopyTarget] = []
    # Per course, each chapter followed by its sections, in the order of the outline.
    for course in courses:
        for node in nodes:
            if node.course_id != course.pk or node.kind != NodeKind.CHAPTER:
                continue
            units.append(CopyTarget(f"{course.pk}:{node.pk}", by_id[course.pk], node.pk, node.title, node.kind))
            for section in by_parent.get(node.pk, []):
                label = f"{titles[node.pk]} › {section.title}"
                units.append(CopyTarget(f"{course.pk}:{section.pk}", by_id[course.pk], section.pk, label, section.kind))
    return chapters, units
