"""Test data for the employment platform: regions of two cities, verified employers, graduates, jobs, resumes."""

import itertools
from datetime import timedelta
from typing import Any

from django.utils import timezone

from zhijiao.accounts.tests.factories import make_user
from zhijiao.employment import services
from zhijiao.employment.models import EmployerProfile, Graduate, Job, Resume, ResumeEntry
from zhijiao.orgs.models import Organization, Region, Role
from zhijiao.orgs.tests.factories import add_member, make_organization, make_region

_seq = itertools.count(1)


def make_regions() -> dict[str, Region]:
    """海淀区 (Beijing) and 浦东新区 (Shanghai) with their cities and provinces."""
    haidian = make_region("110108", "海淀区")
    Region.objects.filter(code="110000").update(name="北京市")
    Region.objects.filter(code="110100").update(name="北京市")
    shanghai, _ = Region.objects.get_or_create(code="310000", defaults={"name": "上海市", "level": 1})
    city, _ = Region.objects.get_or_create(code="310100", defaults={"name": "上海市", "level": 2, "parent": shanghai})
    pudong, _ = Region.objects.get_or_create(code="310115", defaults={"name": "浦东新区", "level": 3, "parent": city})
    return {"haidian": haidian, "beijing": Region.objects.get(code="110000"), "pudong": pudong, "shanghai": shanghai}


def verify_employer(organization: Organization, status: str = EmployerProfile.Status.VERIFIED) -> EmployerProfile:
    profile, _ = EmployerProfile.objects.update_or_create(
        organization=organization,
        defaults={
            "status": status,
            "credit_code": organization.uscc or "",
            "contact_name": "王经理",
            "contact_phone": "13900000000",
        },
    )
    Organization.objects.filter(pk=organization.pk).update(is_verified=status == EmployerProfile.Status.VERIFIED)
    services.job_areas_refresh(employer_id=organization.pk)
    return profile


def make_employer(
    name: str | None = None, *, status: str = EmployerProfile.Status.VERIFIED, **fields: Any
) -> Organization:
    employer = make_organization(Organization.Kind.EMPLOYER, name or f"测试生物制药有限公司{next(_seq)}", **fields)
    verify_employer(employer, status)
    return employer


def make_recruiter(employer: Organization) -> Any:
    user = make_user(display_name="招聘专员")
    add_member(user, employer, Role.RECRUITER)
    return user


def job_data(**overrides: Any) -> services.JobData:
    values: dict[str, Any] = {
        "title": "生物制药研发工程师",
        "description": "负责生物制药工艺研发与质量分析。",
        "region_codes": ["110108"],
        "industry": "C",
        "occupation": "research",
        "education": 3,
        "disciplines": ["07", "10"],
        "salary_min": 12000,
        "salary_max": 20000,
        "headcount": 3,
        "employment_type": "FULL_TIME",
        "valid_through": timezone.localdate() + timedelta(days=60),
    }
    values.update(overrides)
    return services.JobData(**values)


def make_job(recruiter: Any, employer: Organization, *, publish: bool = True, **overrides: Any) -> Job:
    return services.job_create(actor=recruiter, employer=employer, data=job_data(**overrides), publish=publish)


def make_graduate(
    user: Any = None, university: Organization | None = None, *, confirmed: bool = True, **fields: Any
) -> Graduate:
    user = user or make_user(display_name="毕业生")
    university = university or make_organization(Organization.Kind.UNIVERSITY, f"测试大学{next(_seq)}")
    add_member(user, university, Role.STUDENT)
    values: dict[str, Any] = {
        "graduation_year": timezone.localdate().year,
        "real_name": "李同学",
        "major": "生物技术",
        "discipline": "07",
        "education": 3,
        "status": Graduate.Status.CONFIRMED if confirmed else Graduate.Status.PENDING,
    }
    values.update(fields)
    return Graduate.objects.create(user=user, university=university, **values)


def make_resume(user: Any, title: str = "通用简历") -> Resume:
    resume = Resume.objects.create(
        owner=user, title=title, full_name="李同学", phone="13912345678", email="li@example.com"
    )
    ResumeEntry.objects.create(resume=resume, section="education", title="北京师范大学", subtitle="生物技术 本科")
    ResumeEntry.objects.create(resume=resume, section="skill", title="细胞培养", subtitle="熟练")
    return resume
