"""Test data for the review engine: calls with a rubric, experts with fields, submissions made through the
services (so they carry authors, attachments and the statuses the workflow gives them)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhijiao.accounts.models import User
from zhijiao.accounts.tests.factories import make_user
from zhijiao.orgs.models import Organization, Role
from zhijiao.orgs.tests.factories import add_member, make_organization
from zhijiao.reviews import services
from zhijiao.reviews.models import Call, Criterion, ExpertProfile, Submission

_seq = itertools.count(1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_upload(name: str = "全文.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def make_call(**fields: Any) -> Call:
    today = timezone.localdate()
    criteria = fields.pop("criteria", [("选题价值", "40", 10), ("内容质量", "40", 10), ("规范性", "20", 5)])
    defaults: dict[str, Any] = {
        "kind": "general",
        "title": f"2026 年度教学改革项目征集 {next(_seq)}",
        "body": "面向高等学校征集教学改革项目。",
        "opens_on": today - timedelta(days=10),
        "closes_on": today + timedelta(days=20),
        "review_deadline": today + timedelta(days=40),
        "eligible_org_kinds": ["university", "vocational"],
        "required_roles": ["full_text"],
        "reviewers_per_submission": 2,
        "appeal_deadline": today + timedelta(days=60),
    }
    defaults.update(fields)
    call = Call.objects.create(**defaults)
    for position, (name, weight, max_score) in enumerate(criteria, start=1):
        Criterion.objects.create(call=call, position=position, name=name, weight=Decimal(weight), max_score=max_score)
    return call


def make_expert(organization: Organization | None = None, fields: list[str] | None = None, **user: Any) -> User:
    expert = make_user(**user)
    add_member(expert, organization or make_organization(Organization.Kind.UNIVERSITY), Role.EXPERT)
    ExpertProfile.objects.create(user=expert, fields=fields if fields is not None else ["0401"])
    return expert


def make_applicant(organization: Organization | None = None, **user: Any) -> User:
    applicant = make_user(**user)
    add_member(applicant, organization or make_organization(Organization.Kind.UNIVERSITY), Role.UNIVERSITY_FACULTY)
    return applicant


def make_submission(
    call: Call,
    applicant: User,
    *,
    status: str = "submitted",
    authors: Sequence[dict[str, Any]] | None = None,
    **fields: Any,
) -> Submission:
    """A submission brought to ``status`` (draft, submitted or checked) through the services."""
    submission = services.submission_create(
        applicant=applicant,
        call=call,
        title=fields.pop("title", f"基于项目的课堂教学改革 {next(_seq)}"),
        abstract=fields.pop("abstract", "本项目在三所学校开展了为期两年的课堂教学改革实践。"),
        field=fields.pop("field", "0401"),
        metadata=fields.pop("metadata", {"keywords": "课堂教学、项目式学习"}),
        authors=authors,
    )
    if status == "draft":
        return submission
    for role in call.required_roles:
        services.attachment_add(applicant=applicant, submission=submission, role=role, upload=pdf_upload())
    services.submission_submit(applicant=applicant, submission=submission)
    if status == "checked":
        staff = User.objects.filter(is_superuser=True).first() or make_user(is_superuser=True, is_staff=True)
        services.submission_check(actor=staff, submission=submission, passed=True)
    submission.refresh_from_db()
    return submission
