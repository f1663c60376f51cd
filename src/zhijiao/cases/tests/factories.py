"""Test data for the case library: cases made through the intake service, like accepted submissions."""

from __future__ import annotations

import itertools
from types import SimpleNamespace
from typing import Any

from zhijiao.cases import services
from zhijiao.cases.intake import accept_case_submission
from zhijiao.cases.models import Case
from zhijiao.demo.cases import case_pdf

_seq = itertools.count(1)


def metadata(**changes: Any) -> dict[str, Any]:
    return {
        "category": "1251",
        "case_type": "text",
        "field": "战略管理",
        "keywords": "数字化转型、组织变革",
        "applicable_courses": ["战略管理"],
        "knowledge_points": ["竞争优势"],
        "year": 2024,
        **changes,
    }


def submission(*, organization: Any = None, applicant: Any = None, pages: int = 2, **meta: Any) -> SimpleNamespace:
    title = meta.pop("title", f"制造企业数字化转型案例{next(_seq)}")
    case_type = meta.get("case_type", "text")
    attachments = []
    if case_type == "text":
        attachments = [
            SimpleNamespace(
                role="full_text",
                file=services.as_file(case_pdf(title, ["案例背景"], pages=pages), "a.pdf"),
                original_name="正文.pdf",
            ),
            SimpleNamespace(
                role="teaching_note",
                file=services.as_file(case_pdf(title, ["教学建议"], pages=1), "b.pdf"),
                original_name="手册.pdf",
            ),
        ]
    elif case_type in ("video", "short_video"):
        attachments = [
            SimpleNamespace(role="video", file=services.as_file(_tiny_mp4(), "v.mp4"), original_name="视频.mp4")
        ]
    return SimpleNamespace(
        title=title,
        abstract="某装备制造企业以数字孪生改造产线，本案例讨论转型中的组织阻力与应对。",
        metadata=metadata(**meta),
        applicant=applicant,
        organization=organization,
        authors=[
            SimpleNamespace(name="王晓东", organization=organization),
            SimpleNamespace(name="李青", organization="外单位研究院"),
        ],
        attachments=attachments,
    )


def _tiny_mp4() -> bytes:
    # An ISO base media header is what the upload check reads; the bytes after it are not played in these tests.
    return b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64


def make_case(*, organization: Any = None, **meta: Any) -> Case:
    accession = f"2026{meta.get('category', '1251')}{next(_seq):04d}"
    accept_case_submission(submission=submission(organization=organization, **meta), accession_no=accession)
    return Case.objects.get(accession_no=accession)
