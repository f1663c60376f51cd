"""Expert review demo data, made through the real services (so assignments, reviews, the audit log and the
notifications are all there):

- a call in progress, 2026 年度高等教育教学改革研究项目, whose format-checked submissions are assigned: the demo
  expert 13800000010 (周建华, 北京大学) has some reviewed and some waiting in his queue at ``/reviews/``, and
  staff's attempt to assign him an entry from 北京大学 was refused as a conflict of interest (in the audit log);
- a finished call, 2025 年度优秀教学案例征集, in its 公示 period: accepted entries with their 入库编号, one rejected
  entry with its applicant's appeal waiting for staff, one sent back for revision.

The demo university teacher 13800000007 (杨帆, 北京师范大学) has an entry in each call (``/reviews/mine/``).
"""

from __future__ import annotations

import contextlib
import random
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.utils import timezone

from zhijiao.accounts.models import User
from zhijiao.core.errors import DomainError
from zhijiao.orgs.models import Membership, Organization, Role
from zhijiao.reviews import selectors, services
from zhijiao.reviews.models import Call, Criterion, ExpertProfile, Submission

from .documents import text_pdf

EXPERT_PHONE = "13800000010"
STAFF_PHONE = "13800000012"
TEACHER_PHONE = "13800000007"
FIELDS = ["0401", "0402", "0812", "1202", "1204", "0301", "0202", "1001"]
TOPICS = [
    ("基于项目式学习的{course}课程教学改革研究", "0401"),
    ("人工智能赋能{course}混合式教学的实践探索", "0812"),
    ("{course}课程思政教学设计与评价研究", "0401"),
    ("面向新工科的{course}实践教学体系建设", "0812"),
    ("学习分析支持下的{course}个性化辅导研究", "0402"),
    ("{course}教学中的案例教学法应用研究", "1202"),
    ("产教融合背景下{course}课程建设路径研究", "1204"),
    ("{course}线上线下一体化考核评价改革", "0401"),
]
COURSES = ["高等数学", "大学物理", "数据结构", "管理学原理", "公共政策分析", "教育心理学", "程序设计基础", "宏观经济学"]
RUBRIC = [
    ("选题意义", "问题来自教学实际，具有推广价值", "30", 10),
    ("研究基础", "前期成果与团队条件", "20", 10),
    ("方案设计", "目标、内容、方法与进度安排合理", "30", 10),
    ("预期成效", "成果形式明确，可检验", "20", 5),
]
COMMENTS = [
    "选题紧扣教学实际，方案较完整，建议补充评价指标的操作化说明。",
    "研究基础扎实，团队分工清楚；实施进度偏紧，建议分阶段设置检查点。",
    "问题提出清楚，但对照设计不足，建议增加对照班级的数据。",
    "成果形式明确，具有推广价值，建议加强与同类研究的比较。",
]


def _call(*, title: str, body: str, days_open: int, reviewers: int) -> Call:
    today = timezone.localdate()
    call = Call(
        kind="general",
        title=title,
        body=body,
        opens_on=today - timedelta(days=days_open),
        closes_on=today + timedelta(days=10),
        review_deadline=today + timedelta(days=25),
        eligible_org_kinds=["university", "vocational"],
        required_roles=["application", "full_text"],
        reviewers_per_submission=reviewers,
        aggregation=Call.Aggregation.MEAN,
        disagreement_threshold=Decimal("25"),
    )
    call.full_clean()
    call.save()
    for position, (name, description, weight, max_score) in enumerate(RUBRIC, start=1):
        Criterion.objects.create(
            call=call,
            position=position,
            name=name,
            description=description,
            weight=Decimal(weight),
            max_score=max_score,
        )
    return call


def _entry(rng: random.Random, call: Call, applicant: User, n: int) -> Submission:
    topic, field = TOPICS[n % len(TOPICS)]
    title = topic.format(course=COURSES[(n * 3 + 1) % len(COURSES)])
    membership = (
        Membership.objects.filter(user=applicant, is_active=True, organization__kind__in=call.eligible_org_kinds)
        .select_related("organization")
        .first()
    )
    assert membership is not None
    universities = list(
        Organization.objects.filter(kind="university").exclude(pk=membership.organization_id).order_by("id")[:50]
    )
    authors: list[dict[str, Any]] = [{"name": str(applicant), "organization_id": membership.organization_id}]
    if n % 3 == 0:
        other = rng.choice(universities) if universities else None
        authors.append(
            {"name": rng.choice(["王立新", "刘晓燕", "陈志强", "赵敏"]), "organization_id": other.pk if other else None}
        )
    submission = services.submission_create(
        applicant=applicant,
        call=call,
        title=title,
        field=field,
        authors=authors,
        organization=membership.organization,
        abstract=f"本项目针对{title[:12]}中的突出问题，在 {rng.randrange(2, 6)} 个教学班开展为期两个学期的改革实践，"
        "形成可推广的教学设计、资源与评价方案。",
        metadata={"keywords": "教学改革、课程建设、学习评价", "period": "2026年9月—2028年8月"},
    )
    for role, label in (("application", "申报书"), ("full_text", "研究报告")):
        pdf = text_pdf(
            f"{label}：{title}",
            [
                f"申报单位：{membership.organization.name}",
                f"负责人：{applicant}",
                "一、研究背景与意义",
                "二、研究内容与方法",
                "三、预期成果",
            ],
        )
        services.attachment_add(
            applicant=applicant,
            submission=submission,
            role=role,
            upload=SimpleUploadedFile(f"{label}.pdf", pdf, content_type="application/pdf"),
        )
    services.submission_submit(applicant=applicant, submission=submission)
    return submission


def _score_all(rng: random.Random, submission: Submission, *, level: int, only: set[int] | None = None) -> None:
    for assignment in submission.assignments.filter(state="assigned").select_related("expert"):
        if only is not None and assignment.expert_id not in only:
            continue
        scores = {
            str(c.pk): max(0, min(c.max_score, round(c.max_score * level / 10 + rng.choice([-1, 0, 0, 1]))))
            for c in submission.call.criteria.all()
        }
        services.review_submit(
            expert=assignment.expert, assignment=assignment, scores=scores, comment=rng.choice(COMMENTS)
        )


def _profiles(rng: random.Random) -> list[User]:
    experts = list(
        User.objects.filter(memberships__role=Role.EXPERT, memberships__is_active=True).distinct().order_by("id")
    )
    profiles = []
    for expert in experts:
        fields = ["0401", "0402", "1204"] if expert.phone == EXPERT_PHONE else rng.sample(FIELDS, 2)
        profiles.append(ExpertProfile(user=expert, fields=fields))
    ExpertProfile.objects.bulk_create(profiles, ignore_conflicts=True)
    return experts


def seed_reviews(*, rng: random.Random) -> dict[str, int]:
    staff = User.objects.get(phone=STAFF_PHONE)
    expert = User.objects.get(phone=EXPERT_PHONE)
    teacher = User.objects.get(phone=TEACHER_PHONE)
    _profiles(rng)
    expert_orgs = set(Membership.objects.filter(user=expert).values_list("organization_id", flat=True))
    faculty = list(
        User.objects.filter(memberships__role=Role.UNIVERSITY_FACULTY, memberships__is_active=True)
        .exclude(Q(pk=teacher.pk) | Q(memberships__role=Role.EXPERT))
        .distinct()
        .order_by("id")[:400]
    )
    rng.shuffle(faculty)
    colleagues = [u for u in faculty if set(u.memberships.values_list("organization_id", flat=True)) & expert_orgs]
    others = [u for u in faculty if u not in colleagues]
    today = timezone.localdate()

    # A finished call in its 公示 period.
    finished = _call(
        title="2025 年度优秀教学案例征集",
        days_open=150,
        reviewers=3,
        body="面向高等学校和职业院校征集优秀教学案例。经形式审查、专家评审，现将拟入选案例予以公示。",
    )
    entries = [_entry(rng, finished, teacher, 0)] + [_entry(rng, finished, u, n) for n, u in enumerate(others[:9], 1)]
    for submission in entries:
        services.submission_check(actor=staff, submission=submission, passed=True)
    services.assignments_auto(actor=staff, call=finished)
    levels = [9, 8, 9, 7, 8, 9, 8, 4, 5, 3]
    for submission, level in zip(entries, levels, strict=True):
        submission.refresh_from_db()
        _score_all(rng, submission, level=level)
        submission.refresh_from_db()
        if submission.status == "under_review":  # a wide spread brought in one more expert
            _score_all(rng, submission, level=level)
            submission.refresh_from_db()
    # The call closed months ago; its results are in notice now, with the appeal window open.
    Call.objects.filter(pk=finished.pk).update(
        opens_on=today - timedelta(days=150),
        closes_on=today - timedelta(days=100),
        review_deadline=today - timedelta(days=40),
        notice_starts_on=today - timedelta(days=3),
        notice_ends_on=today + timedelta(days=4),
        appeal_deadline=today + timedelta(days=11),
    )
    appealed = None
    for submission, level in zip(entries, levels, strict=True):
        if submission.status != "reviewed":
            continue
        if level >= 7:
            services.submission_decide(actor=staff, submission=submission, decision="accept")
        elif level >= 5:
            services.submission_decide(
                actor=staff, submission=submission, decision="revise", reason="请补充实施效果的数据分析后重新提交。"
            )
        else:
            services.submission_decide(
                actor=staff, submission=submission, decision="reject", reason="选题与已有成果重复较多，创新性不足。"
            )
            if appealed is None:
                appealed = services.appeal_file(
                    applicant=submission.applicant,
                    submission=submission,
                    reason="本案例的实施对象与已有成果不同，请专家复核创新性的评价。",
                )

    # A call in progress: the demo expert has entries reviewed and entries waiting.
    current = _call(
        title="2026 年度高等教育教学改革研究项目",
        days_open=30,
        reviewers=3,
        body="围绕课程建设、教学方法、学习评价与数字化转型，面向高等学校和职业院校征集教学改革研究项目。",
    )
    pending = [_entry(rng, current, teacher, 3)] + [_entry(rng, current, u, n) for n, u in enumerate(others[9:21], 4)]
    conflicting = _entry(rng, current, colleagues[0], 2) if colleagues else None
    for submission in [*pending, *([conflicting] if conflicting else [])]:
        services.submission_check(actor=staff, submission=submission, passed=True)
    if conflicting is not None:
        # Refused as a conflict of interest, and the refusal is in the audit log: what the demo shows.
        with contextlib.suppress(DomainError):
            services.assignment_create(actor=staff, submission=conflicting, expert=expert)
    mine = [s for s in pending if selectors.conflict_of(expert, s) is None][:6]
    for submission in mine:
        services.assignment_create(actor=staff, submission=submission, expert=expert)
    # He recognised a former doctoral student among the authors of one entry and recused himself.
    services.assignment_recuse(
        expert=expert, assignment=mine[-1].assignments.get(expert=expert), reason="申报人曾是本人指导的博士研究生"
    )
    mine = mine[:-1]
    services.assignments_auto(actor=staff, call=current)
    for n, submission in enumerate(mine):
        submission.refresh_from_db()
        reviewers = {expert.pk} if n < 3 else set()
        if n % 2 == 0:  # others have scored some of them too
            reviewers |= set(submission.assignments.exclude(expert=expert).values_list("expert_id", flat=True)[:1])
        _score_all(rng, submission, level=8, only=reviewers)
    return {
        "review_calls": 2,
        "review_submissions": Submission.objects.count(),
        "review_assignments_of_demo_expert": expert.review_assignments.count(),
    }
