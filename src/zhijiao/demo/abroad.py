"""Study-abroad demo data: applications of every service in every state, made through the real services (so the
history, notifications, audit log and certificates are all there), with small generated PDF and PNG documents.

The demo applicant 13800000013 (陈思远, see ``people.py``) has his 香港中文大学 master's authenticated, with its
verifiable certificate, and his returnee registration waiting in the queue of the demo hall officer 13800000011
(吴敏); both give the dates and major his other records give.
Everybody who holds a document has completed real-name identity; 13800000020 (小林同学, a 清华大学 student)
has not, and is asked to complete it before any service that issues a document.
"""

from __future__ import annotations

import io
import random
from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from zhijiao.accounts.models import Identity, User
from zhijiao.hall.abroad import services
from zhijiao.hall.abroad.models import Application, Document, Service, Status
from zhijiao.hall.abroad.workflow import SERVICES, WAITING
from zhijiao.orgs.models import Membership, Organization, Role

from .documents import A6, text_pdf
from .people import Returnee, chen_siyuan

OFFICER_PHONE = "13800000011"
# A student without real-name identity: the service hall sends them to complete it first.
UNVERIFIED_PHONE = "13800000020"
UNVERIFIED_NAME = "小林同学"
UNVERIFIED_UNIVERSITY = "清华大学"
RECRUITER_PHONE = "13800000009"

COUNTRIES = [
    ("英国", ["伦敦大学学院", "爱丁堡大学", "曼彻斯特大学", "帝国理工学院"]),
    ("美国", ["哥伦比亚大学", "加州大学洛杉矶分校", "密歇根大学", "纽约大学"]),
    ("澳大利亚", ["墨尔本大学", "悉尼大学", "澳大利亚国立大学"]),
    ("日本", ["东京大学", "京都大学", "早稻田大学"]),
    ("德国", ["慕尼黑工业大学", "海德堡大学", "柏林自由大学"]),
    ("新加坡", ["新加坡国立大学", "南洋理工大学"]),
    ("中国香港", ["香港大学", "香港中文大学", "香港科技大学"]),
]
MAJORS = ["教育学", "计算机科学", "金融学", "机械工程", "公共卫生", "化学", "应用统计", "传媒与传播"]
CITIES = ["北京", "上海", "深圳", "杭州", "成都", "武汉", "南京", "西安"]
EMPLOYERS = ["中国科学院化学研究所", "华为技术有限公司", "北京师范大学", "招商银行", "", "国家电网有限公司"]

# The path of actions (by whom) that brings an application of each service to each state.
PATHS: dict[str, dict[str, list[str]]] = {
    Service.DEGREE: {
        Status.DRAFT: [],
        Status.SUBMITTED: ["submit"],
        Status.RECEIVED: ["submit", "receive"],
        Status.MORE_DOCUMENTS: ["submit", "request_documents"],
        Status.AUTHENTICATED: ["submit", "receive", "approve"],
        Status.REJECTED: ["submit", "receive", "reject"],
        Status.WITHDRAWN: ["submit", "withdraw"],
    },
    Service.DISPATCH: {
        Status.DRAFT: [],
        Status.SUBMITTED: ["submit"],
        Status.RECEIVED: ["submit", "receive"],
        Status.MORE_DOCUMENTS: ["submit", "request_documents"],
        Status.CONFIRMED: ["submit", "approve"],
        Status.DEPARTURE_SUBMITTED: ["submit", "approve", "register"],
        Status.DISPATCHED: ["submit", "approve", "register", "approve"],
        Status.REJECTED: ["submit", "reject"],
        Status.WITHDRAWN: ["withdraw"],
    },
    Service.ARCHIVE: {
        Status.DRAFT: [],
        Status.SUBMITTED: ["submit"],
        Status.RECEIVED: ["submit", "receive"],
        Status.MORE_DOCUMENTS: ["submit", "receive", "request_documents"],
        Status.ARCHIVED: ["submit", "approve"],
        Status.REJECTED: ["submit", "reject"],
        Status.WITHDRAWN: ["submit", "withdraw"],
    },
    Service.RETURNEE: {
        Status.DRAFT: [],
        Status.SUBMITTED: ["submit"],
        Status.RECEIVED: ["submit", "receive"],
        Status.MORE_DOCUMENTS: ["submit", "request_documents"],
        Status.REGISTERED: ["submit", "receive", "approve"],
        Status.PLACED: ["submit", "approve", "approve"],
        Status.REJECTED: ["submit", "reject"],
        Status.WITHDRAWN: ["submit", "withdraw"],
    },
}
REASONS = {
    "request_documents": [
        "成绩单缺少学校盖章页，请补充",
        "护照出入境记录页不完整，请补充全部页面",
        "请补充加盖公章的调档函",
    ],
    "reject": ["学位证书信息与院校核查结果不一致", "所获学历不属于认证范围", "申请材料无法证明留学身份"],
}
DOCUMENT_KINDS: dict[str, list[str]] = {
    Service.DEGREE: ["diploma", "transcript", "passport"],
    Service.DISPATCH: ["award_letter"],
    Service.ARCHIVE: ["admission_letter", "archive_transfer"],
    Service.RETURNEE: ["diploma", "passport"],
}


def _png() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (120, 80), (235, 241, 250))
    draw = ImageDraw.Draw(image)
    draw.rectangle((5, 5, 115, 75), outline=(26, 86, 219), width=2)
    draw.rectangle((12, 15, 42, 55), fill=(180, 190, 205))
    for y in range(18, 60, 8):
        draw.line((50, y, 108, y), fill=(120, 130, 150), width=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _data(service: str, rng: random.Random, year: int) -> dict[str, Any]:
    country, schools = rng.choice(COUNTRIES)
    school = rng.choice(schools)
    major = rng.choice(MAJORS)
    start = year - rng.choice((2, 3, 5))
    if service == Service.DEGREE:
        return {
            "country": country,
            "institution": school,
            "degree": rng.choice(("master", "master", "bachelor", "doctor")),
            "major": major,
            "study_start": f"{start}-09-01",
            "study_end": f"{year - 1}-07-15",
            "awarded_on": f"{year - 1}-0{rng.randrange(7, 10)}-{rng.randrange(10, 28)}",
        }
    if service == Service.DISPATCH:
        return {
            "program": rng.choice(["国家建设高水平大学公派研究生项目", "国家公派高级研究学者、访问学者项目"]),
            "selection_year": year,
            "award_number": f"留金选〔{year}〕{rng.randrange(1000, 9999)}号",
            "study_level": rng.choice(("phd", "joint_phd", "visiting")),
            "host_country": country,
            "funding_months": rng.choice((12, 24, 48)),
        }
    if service == Service.ARCHIVE:
        return {
            "gender": rng.choice("MF"),
            "birth_date": f"{year - rng.randrange(20, 26)}-0{rng.randrange(1, 10)}-1{rng.randrange(0, 9)}",
            "phone": f"139{rng.randrange(10**7, 10**8)}",
            "destination_country": country,
            "institution": school,
            "program": f"{major}硕士",
            "start_date": f"{year}-09-01",
            "archive_from": rng.choice(["北京市海淀区人才服务中心", "上海市学生事务中心", "原就读高校学生档案室"]),
        }
    return {
        "country": country,
        "institution": school,
        "degree": rng.choice(("master", "doctor")),
        "major": major,
        "study_start": f"{start}-09-01",
        "study_end": f"{year - 1}-06-30",
        "return_date": f"{year - 1}-08-{rng.randrange(10, 28)}",
        "intended_city": rng.choice(CITIES),
        "intended_employer": rng.choice(EMPLOYERS),
    }


def _persona_data(service: str, persona: Returnee, employer: str) -> dict[str, Any]:
    """The demo applicant's own forms: one master's, after his bachelor's, the same wherever it is written."""
    study = {
        "country": persona.master_country,
        "institution": persona.master_institution,
        "degree": "master",
        "major": persona.master_major,
        "study_start": persona.master_start.isoformat(),
        "study_end": persona.master_end.isoformat(),
    }
    if service == Service.DEGREE:
        return {**study, "awarded_on": persona.master_awarded.isoformat()}
    return {
        **study,
        "return_date": persona.returned_on.isoformat(),
        "intended_city": "北京",
        "intended_employer": employer,
    }


def seed_abroad(*, rng: random.Random) -> dict[str, int]:
    """Applications of every service in every state; the demo applicant's master's and returnee registration."""
    from django.utils import timezone

    persona = chen_siyuan(timezone.localdate())
    officer = User.objects.filter(phone=OFFICER_PHONE).first()
    demo = User.objects.filter(phone=persona.phone).first()
    if officer is None or demo is None:
        return {}
    year = timezone.localdate().year
    pdf_cache: dict[str, bytes] = {}
    png = _png()
    labels = {document.kind: str(document.label) for spec in SERVICES.values() for document in spec.documents}

    def upload(kind: str, index: int) -> SimpleUploadedFile:
        if kind in ("passport", "visa") and index % 2:
            return SimpleUploadedFile(f"{kind}-{index}.png", png, content_type="image/png")
        if kind not in pdf_cache:
            pdf_cache[kind] = text_pdf(labels.get(kind, kind), ["（演示材料）"], page=A6)
        return SimpleUploadedFile(f"{kind}.pdf", pdf_cache[kind], content_type="application/pdf")

    # Applicants: university students with a real-name identity (the demo applicant is kept for the end).
    with_identity = set(Identity.objects.values_list("user_id", flat=True))
    students = [
        m.user
        for m in Membership.objects.filter(role=Role.STUDENT, organization__kind=Organization.Kind.UNIVERSITY)
        .exclude(user=demo)
        .select_related("user")
        .order_by("pk")[:200]
        if m.user_id in with_identity
    ]
    if not students:
        students = [demo]
    rng.shuffle(students)

    def make(
        applicant: Any, service: str, path: list[str], index: int, data: dict[str, Any] | None = None
    ) -> Application:
        data = data or _data(service, rng, year)
        application = services.application_create(applicant=applicant, service=service, data=data)
        for n, kind in enumerate(DOCUMENT_KINDS[service]):
            services.document_add(
                applicant=applicant, application=application, kind=kind, upload=upload(kind, index + n)
            )
        for action in path:
            if action == "submit":
                application = services.application_submit(applicant=applicant, application=application)
            elif action == "withdraw":
                application = services.application_withdraw(applicant=applicant, application=application)
            elif action == "register":
                services.application_update(
                    applicant=applicant,
                    application=application,
                    data={
                        "host_institution": rng.choice(COUNTRIES)[1][0],
                        "visa_type": "学生签证",
                        "departure_date": (timezone.localdate() + timedelta(days=rng.randrange(20, 60))).isoformat(),
                        "study_plan": "按录取通知所列研修计划开展学习与研究，定期向使馆教育处报告。",
                    },
                )
                for n, kind in enumerate(("passport", "visa")):
                    services.document_add(
                        applicant=applicant, application=application, kind=kind, upload=upload(kind, index + n)
                    )
                application = services.application_submit(applicant=applicant, application=application)
            else:
                reason = rng.choice(REASONS[action]) if action in REASONS else ""
                application = services.application_decide(
                    actor=officer, application=application, action=action, reason=reason
                )
        return application

    made = 0
    index = 0
    for service, paths in PATHS.items():
        for _status, path in paths.items():
            # One of each state, two of those waiting for an officer, so the queue has something to filter.
            copies = 2 if _status in WAITING else 1
            for _copy in range(copies):
                make(students[index % len(students)], service, path, index)
                index += 1
                made += 1

    # The demo applicant: his master's authenticated with its certificate, his returnee registration waiting for 吴敏.
    recruiter = Membership.objects.filter(user__phone=RECRUITER_PHONE, role=Role.RECRUITER).first()
    employer = recruiter.organization.name if recruiter else ""
    degree = _persona_data(Service.DEGREE, persona, employer)
    make(demo, Service.DEGREE, PATHS[Service.DEGREE][Status.AUTHENTICATED], index, degree)
    make(demo, Service.RETURNEE, ["submit"], index + 1, _persona_data(Service.RETURNEE, persona, employer))
    made += 2

    _unverified_student()
    certificates = Application.objects.filter(service=Service.DEGREE, status=Status.AUTHENTICATED).count()
    return {
        "abroad_applications": made,
        "abroad_documents": Document.objects.count(),
        "abroad_certificates": certificates,
    }


def _unverified_student() -> None:
    """The demo login that has not completed real-name identity (nothing official can be issued to a nickname)."""
    from .seed import DEMO_PASSWORD

    if User.objects.filter(phone=UNVERIFIED_PHONE).exists():
        return
    user = User.objects.create_user(phone=UNVERIFIED_PHONE, password=DEMO_PASSWORD, display_name=UNVERIFIED_NAME)
    university = Organization.objects.filter(name=UNVERIFIED_UNIVERSITY).first()
    if university is not None:
        Membership.objects.create(user=user, organization=university, role=Role.STUDENT, title="本科生（未实名认证）")
