"""Employment demo data: verified and unverified employers, thousands of jobs imported through the real feed
importer from two overlapping partner feeds (the duplicates are merged), graduates of every demo university in
every pipeline state, job push, and one three-party agreement signed by all three demo logins.

The demo graduate 13800000013 (陈思远, 清华大学 生物技术, back from a master's in 香港; see ``people.py``) has the
signed agreement and applications in several states; the demo recruiter 13800000009 sees them in the pipeline; the
demo employment staff 13800000008 (清华大学) sees the office page and the verification queue.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from zhijiao.accounts.models import Identity, User
from zhijiao.employment import services
from zhijiao.employment.models import (
    Agreement,
    Application,
    ApplicationEvent,
    Discipline,
    EmployerProfile,
    Graduate,
    Industry,
    Job,
    JobSource,
    PushPreference,
    Resume,
    ResumeEntry,
)
from zhijiao.orgs.models import Membership, Organization, Region, Role

from .people import Returnee, chen_siyuan

RECRUITER_PHONE = "13800000009"
STAFF_PHONE = "13800000008"
ADMIN_PHONE = "13800000012"

# Job titles by GB/T 4754 section, with the occupation and the disciplines they usually ask for.
TITLES: dict[str, list[tuple[str, str, list[str]]]] = {
    "C": [
        ("生物制药研发工程师", "research", ["07", "10"]),
        ("药物制剂工艺工程师", "production", ["10", "08"]),
        ("质量控制（QC）专员", "production", ["07", "10"]),
        ("智能制造工艺工程师", "production", ["08"]),
        ("新能源电池研发工程师", "research", ["08", "07"]),
    ],
    "I": [
        ("Java 后端开发工程师", "research", ["08"]),
        ("前端开发工程师", "research", ["08"]),
        ("数据分析师", "research", ["07", "08", "02"]),
        ("算法工程师", "research", ["08", "07"]),
        ("产品经理", "product", []),
    ],
    "J": [("银行管培生", "finance", ["02", "12"]), ("风险管理专员", "finance", ["02", "07"]), ("柜员", "finance", [])],
    "M": [("实验室研究助理", "research", ["07", "10"]), ("检测工程师", "research", ["07", "08"])],
    "Q": [("临床研究协调员", "medical", ["10"]), ("护士", "medical", ["10"])],
    "P": [("中学数学教师", "teaching", ["07", "04"]), ("课程研发专员", "teaching", ["04", "05"])],
    "F": [("医药代表", "sales", []), ("电商运营专员", "operations", ["12", "02"])],
    "E": [("土木工程师", "research", ["08"]), ("造价工程师", "finance", ["08", "12"])],
    "L": [("人力资源专员", "admin", ["12"]), ("法务专员", "legal", ["03"])],
    "G": [("物流规划专员", "operations", ["12", "08"])],
    "R": [("新媒体编辑", "operations", ["05", "13"])],
    "S": [("社区工作者", "public", [])],
}
MAJORS = [
    ("生物技术", "07"),
    ("药学", "10"),
    ("计算机科学与技术", "08"),
    ("软件工程", "08"),
    ("金融学", "02"),
    ("会计学", "12"),
    ("汉语言文学", "05"),
    ("临床医学", "10"),
    ("土木工程", "08"),
    ("数学与应用数学", "07"),
    ("法学", "03"),
    ("教育学", "04"),
]
FEEDS = ("全国大学生就业服务平台合作渠道", "城市人才网")


def _feed_rows(
    rng: random.Random, *, count: int, employers: list[Organization], places: list[str], today: date
) -> list[dict[str, Any]]:
    rows = []
    for n in range(count):
        industry = rng.choice(list(TITLES))
        title, occupation, majors = rng.choice(TITLES[industry])
        low = rng.choice((4000, 5000, 6000, 8000, 10000, 12000, 15000, 20000))
        posted = today - timedelta(days=rng.randrange(0, 20))
        employer = rng.choice(employers)
        rows.append(
            {
                "external_id": f"F{n:06d}",
                "title": title,
                "description": f"{employer.name}招聘{title}。工作内容：参与{Industry(industry).label}相关业务；"
                f"要求：认真负责，善于沟通。提供五险一金、带薪年假。",
                "employer_name": employer.name,
                "employer_credit_code": employer.uscc,
                "region_codes": rng.choice(places),
                "industry": industry,
                "occupation": occupation,
                "education": str(rng.choice((0, 2, 3, 3, 3, 4))),
                "majors": ";".join(majors),
                "salary_min": str(low),
                "salary_max": str(low + rng.choice((2000, 4000, 6000, 10000))),
                "headcount": str(rng.randrange(1, 20)),
                "employment_type": rng.choice(("FULL_TIME",) * 8 + ("INTERN", "PART_TIME")),
                "date_posted": posted.isoformat(),
                "valid_through": (today + timedelta(days=rng.randrange(15, 90))).isoformat(),
            }
        )
    return rows


def _numbered(rows: list[dict[str, Any]]) -> list[tuple[int, dict[str, Any]]]:
    return [(index, row) for index, row in enumerate(rows, start=2)]


def _path(status: str) -> list[str]:
    """The statuses an application passed through to reach ``status``."""
    s = Application.Status
    steps: dict[str, list[str]] = {
        s.SUBMITTED: [s.SUBMITTED],
        s.VIEWED: [s.SUBMITTED, s.VIEWED],
        s.WRITTEN_TEST: [s.SUBMITTED, s.VIEWED, s.WRITTEN_TEST],
        s.INTERVIEW: [s.SUBMITTED, s.VIEWED, s.WRITTEN_TEST, s.INTERVIEW],
        s.OFFER: [s.SUBMITTED, s.VIEWED, s.INTERVIEW, s.OFFER],
        s.DECLINED: [s.SUBMITTED, s.VIEWED, s.INTERVIEW, s.OFFER, s.DECLINED],
        s.REJECTED: [s.SUBMITTED, s.VIEWED, s.REJECTED],
        s.WITHDRAWN: [s.SUBMITTED, s.WITHDRAWN],
    }
    return [str(step) for step in steps[str(status)]]


def _resume(user: User, name: str, university: str, major: str, rng: random.Random) -> Resume:
    return Resume(owner=user, title="通用简历", full_name=name, phone=user.phone or "", objective=f"{major}相关岗位")


def _entries(
    resume: Resume, graduate: Graduate, rng: random.Random, persona: Returnee | None = None
) -> Iterator[ResumeEntry]:
    year = graduate.graduation_year
    degree = "硕士研究生" if graduate.education == 4 else "本科"
    years = 3 if graduate.education == 4 else 4
    yield ResumeEntry(
        resume=resume,
        section="education",
        title=graduate.university.name,
        subtitle=f"{graduate.major} {degree}",
        start=date(year - years, 9, 1),
        end=date(year, 6, 30),
    )
    if persona is not None:
        yield ResumeEntry(
            resume=resume,
            section="education",
            title=persona.master_institution,
            subtitle=f"{persona.master_major} 硕士（{persona.master_country}）",
            start=persona.master_start,
            end=persona.master_end,
            detail="一年制授课型硕士，已获教育部留学服务中心学历学位认证。",
        )
    yield ResumeEntry(
        resume=resume,
        section="internship",
        title=rng.choice(["某科技公司", "某研究院", "某医药企业"]),
        subtitle="实习生",
        start=date(year - 1, 7, 1),
        end=date(year - 1, 9, 1),
        detail="参与项目研发与数据整理。",
    )
    yield ResumeEntry(
        resume=resume,
        section="skill",
        title=rng.choice(["Python", "细胞培养", "财务分析", "CAD 制图"]),
        subtitle="熟练",
    )
    yield ResumeEntry(resume=resume, section="certificate", title="大学英语六级")


def seed_employment(*, rng: random.Random, jobs: int = 3000) -> dict[str, int]:
    """Load the employment demo inside the caller's transaction; returns counts for the report."""
    today = timezone.localdate()
    now = timezone.now()
    counts: dict[str, int] = {}
    admin = User.objects.get(phone=ADMIN_PHONE)
    recruiter = User.objects.get(phone=RECRUITER_PHONE)
    staff = User.objects.get(phone=STAFF_PHONE)
    demo_employer = Membership.objects.get(user=recruiter, role=Role.RECRUITER).organization
    employers = list(Organization.objects.filter(kind=Organization.Kind.EMPLOYER, uscc__isnull=False).order_by("pk"))

    # Employers: most verified, a few waiting (one with a code failing its check character), one rejected,
    # one suspended; the demo recruiter's employer is verified.
    profiles = []
    for index, employer in enumerate(employers):
        status = EmployerProfile.Status.VERIFIED
        if employer.pk != demo_employer.pk:
            if index % 9 == 1:
                status = EmployerProfile.Status.PENDING
            elif index % 23 == 2:
                status = EmployerProfile.Status.REJECTED
            elif index % 29 == 3:
                status = EmployerProfile.Status.SUSPENDED
        code = employer.uscc or ""
        manual = status == EmployerProfile.Status.PENDING and index % 2 == 1
        profiles.append(
            EmployerProfile(
                organization=employer,
                status=status,
                credit_code=code[:-1] + ("0" if code[-1] != "0" else "1") if manual else code,
                needs_manual_review=manual,
                contact_name="人力资源部",
                contact_phone=f"1390000{index:04d}",
                rejection_reason="营业执照扫描件不清晰" if status == EmployerProfile.Status.REJECTED else "",
                reviewed_by=None if status == EmployerProfile.Status.PENDING else admin,
                reviewed_at=None if status == EmployerProfile.Status.PENDING else now,
            )
        )
    EmployerProfile.objects.bulk_create(profiles)
    verified_ids = {p.organization_id for p in profiles if p.status == EmployerProfile.Status.VERIFIED}
    Organization.objects.filter(pk__in=verified_ids).update(is_verified=True)
    counts["employers_verified"] = len(verified_ids)

    # Jobs from two partner feeds that overlap: 30 % of the second feed repeats the first with its own ids.
    places = list(Region.objects.filter(level=Region.Level.COUNTY).values_list("code", flat=True))
    first = _feed_rows(rng, count=jobs, employers=employers, places=places, today=today)
    repeats = [dict(row, external_id=f"C{n:06d}") for n, row in enumerate(rng.sample(first, k=jobs * 3 // 10))]
    second = repeats + [
        dict(row, external_id=f"N{row['external_id']}")
        for row in _feed_rows(rng, count=jobs // 5, employers=employers, places=places, today=today)
    ]
    broken = [
        dict(first[0], external_id="BAD1", salary_min="30000", salary_max="1000"),
        dict(first[1], external_id="BAD2", region_codes="990101"),
        dict(first[2], external_id="BAD3", employer_credit_code="91110000XXXXXXXXXX"),
    ]
    batch_a = services.jobs_import(
        actor=admin,
        rows=_numbered(first),
        source_kind=JobSource.Kind.FEED,
        feed=FEEDS[0],
        filename="feed-a.csv",
        index=False,
    )
    batch_b = services.jobs_import(
        actor=admin,
        rows=_numbered(second + broken),
        source_kind=JobSource.Kind.FEED,
        feed=FEEDS[1],
        filename="feed-b.json",
        index=False,
    )
    counts["jobs_imported"] = batch_a.created + batch_b.created
    counts["jobs_merged"] = batch_b.merged

    # The demo recruiter's own jobs, one of them the journey's "北京 生物制药".
    own = []
    for title, code, salary in (
        ("生物制药研发工程师", "110108", 15000),
        ("药物分析研究员", "110105", 12000),
        ("生物制药工艺实习生", "310115", 5000),
    ):
        data = services.JobData(
            title=title,
            description=f"{demo_employer.name}招聘{title}，负责新药研发与质量研究。",
            region_codes=[code],
            industry="C",
            occupation="research",
            education=3,
            disciplines=["07", "10"],
            salary_min=salary,
            salary_max=salary + 8000,
            headcount=3,
            employment_type="INTERN" if "实习" in title else "FULL_TIME",
            valid_through=today + timedelta(days=60),
        )
        own.append(services.job_create(actor=recruiter, employer=demo_employer, data=data, publish=True))

    # Graduates: the students of every demo university; 清华大学's staff confirm most, some still wait.
    universities = list(Organization.objects.filter(kind=Organization.Kind.UNIVERSITY).order_by("pk"))
    students = list(
        Membership.objects.filter(organization__in=universities, role=Role.STUDENT)
        .select_related("user", "organization")
        .order_by("pk")
    )
    names = dict(Identity.objects.filter(user_id__in=[m.user_id for m in students]).values_list("user_id", "real_name"))
    persona = chen_siyuan(today)
    graduate_user = User.objects.get(phone=persona.phone)
    names[graduate_user.pk] = persona.name
    # This year's 届: the class leaving school next summer once the school year has begun.
    cohort = today.year if today.month < 9 else today.year + 1
    grads = []
    for index, membership in enumerate(students):
        major, discipline = MAJORS[index % len(MAJORS)]
        is_demo = membership.user_id == graduate_user.pk
        year = cohort
        if is_demo:
            major, discipline, year = persona.major, str(Discipline(persona.discipline)), persona.graduation_year
        grads.append(
            Graduate(
                user=membership.user,
                university=membership.organization,
                graduation_year=year,
                real_name=names.get(membership.user_id, "毕业生"),
                student_number=f"{year}{index:06d}",
                major=major,
                discipline=discipline,
                education=4 if "硕士" in membership.title else 3,
                status=Graduate.Status.PENDING if index % 7 == 3 and not is_demo else Graduate.Status.CONFIRMED,
                confirmed_by=None if index % 7 == 3 and not is_demo else staff,
                confirmed_at=None if index % 7 == 3 and not is_demo else now,
                has_region_pref=index % 2 == 0,
            )
        )
    Graduate.objects.bulk_create(grads)
    counts["graduates"] = len(grads)
    counts["roster_entries"] = _roster(rng, staff, grads, cohort)
    prefs = [
        PushPreference(graduate=g, kind=PushPreference.Kind.REGION, value=g.university.region_id[:2] + "0000")
        for g in grads
        if g.has_region_pref
    ]
    PushPreference.objects.bulk_create(prefs)

    resumes = [_resume(g.user, g.real_name, g.university.name, g.major, rng) for g in grads]
    Resume.objects.bulk_create(resumes)
    ResumeEntry.objects.bulk_create(
        [
            entry
            for g, r in zip(grads, resumes, strict=True)
            for entry in _entries(r, g, rng, persona if g.user_id == graduate_user.pk else None)
        ]
    )

    # Applications in every pipeline state (accepted ones through the real services below).
    open_jobs = list(Job.objects.filter(status=Job.Status.PUBLISHED, employer_id__in=verified_ids).order_by("pk")[:500])
    states = [s for s in Application.Status.values if s != Application.Status.ACCEPTED]
    applications: list[Application] = []
    paths: list[list[str]] = []
    for index, (graduate, resume) in enumerate(zip(grads, resumes, strict=True)):
        if graduate.user_id == graduate_user.pk or graduate.status != Graduate.Status.CONFIRMED:
            continue
        chosen = rng.sample(own + open_jobs, k=2) if index % 3 else rng.sample(open_jobs, k=1)
        for job in chosen:
            state = states[(index + job.pk) % len(states)]
            applications.append(
                Application(
                    graduate_id=graduate.user_id,
                    job=job,
                    resume=resume,
                    status=state,
                    resume_snapshot={"full_name": resume.full_name, "phone": resume.phone},
                )
            )
            paths.append(_path(state))
    Application.objects.bulk_create(applications)
    events = []
    for application, path in zip(applications, paths, strict=True):
        for number, step in enumerate(path):
            details: dict[str, Any] = {}
            # The step an application waits at is ahead; the steps it has passed were behind it.
            ahead = number == len(path) - 1
            if step == "written_test":
                when = now + timedelta(days=3) if ahead else now - timedelta(days=12)
                details = {"scheduled_at": when, "place": "公司总部 3 楼笔试室"}
            elif step == "interview":
                when = now + timedelta(days=7) if ahead else now - timedelta(days=6)
                details = {"scheduled_at": when, "link": "https://meeting.example.com/interview"}
            events.append(ApplicationEvent(application=application, status=step, **details))
    ApplicationEvent.objects.bulk_create(events)
    counts["applications"] = len(applications)

    # The demo graduate: a signed agreement for the 北京 生物制药 job, plus applications still under way.
    demo_graduate = Graduate.objects.get(user=graduate_user)
    demo_resume = Resume.objects.get(owner=graduate_user)
    from zhijiao.demo.seed import DEMO_PASSWORD

    application = services.application_submit(graduate=graduate_user, job=own[0], resume=demo_resume)
    services.application_move(
        actor=recruiter,
        application=application,
        status="written_test",
        scheduled_at=now - timedelta(days=10),
        place="北京市海淀区 公司研发中心",
        note="请携带简历",
    )
    services.application_move(
        actor=recruiter,
        application=application,
        status="interview",
        scheduled_at=now - timedelta(days=5),
        link="https://meeting.example.com/demo",
    )
    services.application_move(actor=recruiter, application=application, status="offer", note="欢迎加入研发团队")
    services.application_respond(graduate=graduate_user, application=application, accept=True)
    agreement = Agreement.objects.get(application=application)
    for actor in (graduate_user, recruiter, staff):
        services.agreement_sign(
            actor=actor, agreement=agreement, password=DEMO_PASSWORD, text_sha256_seen=agreement.text_sha256
        )
    second_app = services.application_submit(graduate=graduate_user, job=own[1], resume=demo_resume)
    services.application_move(
        actor=recruiter,
        application=second_app,
        status="interview",
        scheduled_at=now + timedelta(days=2),
        place="北京市朝阳区 公司总部",
    )
    for job in open_jobs[:2]:
        services.application_submit(graduate=graduate_user, job=job, resume=demo_resume)
    services.push_preferences_update(
        graduate=demo_graduate, region_codes=["110000"], industries=["C", "M"], occupations=[], salary_min=8000
    )
    counts["agreements_signed"] = 1

    report = services.push_daily(day=today, since=today - timedelta(days=20))
    counts["job_pushes"] = report.pushes
    return counts


def _roster(rng: random.Random, staff: User, grads: list[Graduate], year: int) -> int:
    """清华大学's graduate list, imported through the real importer: its confirmed graduates, classmates who have not
    registered yet (they are confirmed when they do) and one line with a typo the report points out."""
    university = Membership.objects.filter(user=staff, role=Role.EMPLOYMENT_STAFF).first()
    if university is None:
        return 0
    labels = dict(Discipline.choices)
    lines = ["学号,姓名,毕业年份,专业,学科门类,学历"]
    for graduate in grads:
        if (
            graduate.university_id == university.organization_id
            and graduate.status == Graduate.Status.CONFIRMED
            and graduate.graduation_year == year
        ):
            degree = "硕士" if graduate.education == 4 else "本科"
            lines.append(
                f"{graduate.student_number},{graduate.real_name},{year},{graduate.major},"
                f"{labels[graduate.discipline]},{degree}"
            )
    for n in range(20):
        major, discipline = MAJORS[n % len(MAJORS)]
        name = rng.choice("王李张刘陈杨赵黄周吴") + rng.choice(("子涵", "雨桐", "浩然", "思琪", "宇轩", "欣怡", "梓睿"))
        lines.append(f"{year}9{n:05d},{name},{year},{major},{labels[discipline]},本科")
    lines.append(f"{year}999999,赵某,{year},临床医学,医科,本科")  # 学科门类 misspelt: reported, not imported
    report = services.graduate_roster_import(
        actor=staff, university=university.organization, data="\n".join(lines).encode(), filename="生源名单.csv"
    )
    return report.created
