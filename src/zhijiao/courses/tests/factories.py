"""Courses for tests: a course with its lead, and whole trees built in a few bulk inserts."""

import itertools

from zhijiao.accounts.models import User
from zhijiao.courses.models import Block, Course, CourseStaff, Node, NodeKind, TeamRole

_seq = itertools.count(1)


def make_course(*, lead: User, title: str = "", **fields: object) -> Course:
    course = Course.objects.create(title=title or f"测试课程{next(_seq)}", created_by=lead, **fields)
    CourseStaff.objects.create(course=course, user=lead, role=TeamRole.LEAD)
    return course


def build_tree(course: Course, *, chapters: int = 2, sections: int = 2, units: int = 2, blocks: int = 2) -> int:
    """chapters × sections × units, each unit with ``blocks`` rich-text blocks; returns the number of blocks."""
    chapter_rows = Node.objects.bulk_create(
        [Node(course=course, kind=NodeKind.CHAPTER, title=f"第{c + 1}章", position=c) for c in range(chapters)]
    )
    section_rows = Node.objects.bulk_create(
        [
            Node(course=course, parent=chapter, kind=NodeKind.SECTION, title=f"{chapter.title}第{s + 1}节", position=s)
            for chapter in chapter_rows
            for s in range(sections)
        ]
    )
    unit_rows = Node.objects.bulk_create(
        [
            Node(course=course, parent=section, kind=NodeKind.UNIT, title=f"{section.title}单元{u + 1}", position=u)
            for section in section_rows
            for u in range(units)
        ]
    )
    block_rows = Block.objects.bulk_create(
        [
            Block(
                course=course,
                unit=unit,
                type="richtext",
                title=f"{unit.title}·{b + 1}",
                position=b,
                data={"html": f"<p>{unit.title} 第{b + 1}段</p>"},
            )
            for unit in unit_rows
            for b in range(blocks)
        ]
    )
    Course.objects.filter(pk=course.pk).update(revision=course.revision + 1)
    course.revision += 1
    return len(block_rows)
