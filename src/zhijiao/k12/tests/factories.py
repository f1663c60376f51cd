"""Test data for the K-12 platform: a small book tree, resources with real file bytes, codes, classes."""

import io
import itertools
from functools import cache
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from zhijiao.k12.models import (
    Book,
    Code,
    CodeBatch,
    CodeTarget,
    Edition,
    KnowledgePoint,
    Lesson,
    Resource,
    SchoolClass,
    Stage,
    Subject,
    Unit,
    Volume,
)

_seq = itertools.count(1)


@cache
def mp4_bytes() -> bytes:
    """A real, playable few-second H.264/AAC MP4, made once per test process."""
    import tempfile
    from pathlib import Path

    from zhijiao.demo.k12 import encode_mp4

    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "clip.mp4")
        encode_mp4(path, title="测试视频", subtitle="单元测试", seconds=4)
        return Path(path).read_bytes()


@cache
def pdf_bytes() -> bytes:
    from zhijiao.demo.k12 import handout_pdf

    return handout_pdf("测试学案", ["第一段。"])


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 0, 0)).save(out, format="PNG")
    return out.getvalue()


def make_book(
    *, stage: str = Stage.JUNIOR, subject: str = "数学", edition: str = "人教版", grade: int = 7, lessons: int = 2
) -> Book:
    subject_obj, _ = Subject.objects.get_or_create(stage=stage, name=subject)
    edition_obj, _ = Edition.objects.get_or_create(name=edition)
    book = Book.objects.create(subject=subject_obj, edition=edition_obj, grade=grade, volume=Volume.UPPER)
    unit = Unit.objects.create(book=book, position=1, title="第一单元 有理数")
    for number in range(1, lessons + 1):
        lesson = Lesson.objects.create(unit=unit, position=number, title=f"正数和负数（{number}）")
        KnowledgePoint.objects.create(lesson=lesson, position=1, title=f"相反意义的量{number}")
    return book


def first_lesson(book: Book) -> Lesson:
    return Lesson.objects.filter(unit__book=book).order_by("position").first()  # type: ignore[return-value]


def make_resource(
    *,
    lesson: Lesson | None = None,
    kind: str = Resource.Kind.VIDEO,
    status: str = Resource.Status.PUBLISHED,
    owner: Any = None,
    data: bytes | None = None,
    **fields: Any,
) -> Resource:
    n = next(_seq)
    resource = Resource(
        kind=kind,
        title=fields.pop("title", f"测试资源{n}"),
        status=status,
        lesson=lesson,
        unit=lesson.unit if lesson else None,
        book=lesson.unit.book if lesson else None,
        subject=lesson.unit.book.subject if lesson else fields.pop("subject", None),
        grade=lesson.unit.book.grade if lesson else fields.pop("grade", None),
        owner=owner,
        published_at=timezone.now() if status == Resource.Status.PUBLISHED else None,
        **fields,
    )
    if kind == Resource.Kind.VIDEO:
        resource.is_explanation = fields.get("is_explanation", True)
        payload, name, mime = (data or mp4_bytes()), f"clip{n}.mp4", "video/mp4"
        resource.duration_seconds = resource.duration_seconds or 4
    elif kind in (Resource.Kind.DOCUMENT, Resource.Kind.EBOOK):
        payload, name, mime = (data or pdf_bytes()), f"doc{n}.pdf", "application/pdf"
    else:
        payload, name, mime = b"", "", ""
    if kind == Resource.Kind.LINK and not resource.url:
        resource.url = "https://www.dpm.org.cn/"
    if payload:
        resource.file.save(name, ContentFile(payload), save=False)
        resource.mime_type = mime
        resource.size_bytes = len(payload)
    resource.save()
    return resource


def make_code(*, lesson: Lesson, status: str = Code.Status.PUBLISHED, organization: Any = None, code: str = "") -> Code:
    from zhijiao.k12.codes import random_code

    batch = CodeBatch.objects.create(title="测试批次", book=lesson.unit.book, organization=organization)
    made = Code.objects.create(
        code=code or random_code(),
        batch=batch,
        lesson=lesson,
        status=status,
        published_at=timezone.now() if status == Code.Status.PUBLISHED else None,
    )
    CodeTarget.objects.create(code=made, version=1, lesson=lesson)
    return made


def make_class(*, school: Any, teacher: Any, name: str = "七年级（1）班") -> SchoolClass:
    from zhijiao.k12.codes import random_code

    return SchoolClass.objects.create(school=school, teacher=teacher, name=name, join_code=random_code() + "AB")
