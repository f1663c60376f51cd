"""Test data for the study-abroad services: applicants with a real-name identity, small real PDF/PNG/JPEG files,
and applications of each service filled in and moved to any state through the services."""

from __future__ import annotations

import io
import itertools
from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from zhijiao.accounts.services import identity_verify
from zhijiao.accounts.tests.factories import make_user
from zhijiao.hall.abroad import services
from zhijiao.hall.abroad.models import Application, Service

_seq = itertools.count(1)
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(n: int | None = None, *, birth: date = date(1998, 3, 7)) -> str:
    """A resident ID number with a valid GB 11643 check character, unique per call."""
    n = next(_seq) if n is None else n
    first17 = f"110108{birth:%Y%m%d}{n % 1000:03d}"
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


def make_applicant(name: str = "陈思远", *, identity: bool = True, **fields: Any) -> Any:
    user = make_user(display_name=fields.pop("display_name", name), **fields)
    if identity:
        identity_verify(user=user, real_name=name, id_number=id_number())
    return user


def pdf_bytes(text: str = "diploma") -> bytes:
    """A small, real one-page PDF."""
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 720, text)
    canvas.save()
    return buffer.getvalue()


def image_bytes(fmt: str = "PNG") -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (16, 12), (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def pdf_upload(name: str = "diploma.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(name), content_type="application/pdf")


def png_upload(name: str = "passport.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes("PNG"), content_type="image/png")


def jpeg_upload(name: str = "passport.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes("JPEG"), content_type="image/jpeg")


DATA: dict[str, dict[str, Any]] = {
    Service.DEGREE: {
        "country": "英国",
        "institution": "伦敦大学学院",
        "degree": "master",
        "major": "教育学",
        "study_start": "2023-09-20",
        "study_end": "2024-09-15",
        "awarded_on": "2024-11-30",
    },
    Service.DISPATCH: {
        "program": "国家建设高水平大学公派研究生项目",
        "selection_year": 2026,
        "award_number": "留金选〔2026〕0001号",
        "study_level": "joint_phd",
        "host_country": "德国",
        "funding_months": 12,
    },
    Service.ARCHIVE: {
        "gender": "F",
        "birth_date": "2001-05-04",
        "phone": "13912345678",
        "email": "student@example.com",
        "destination_country": "澳大利亚",
        "institution": "墨尔本大学",
        "program": "计算机科学硕士",
        "start_date": "2026-02-20",
        "archive_from": "北京市海淀区人才服务中心",
    },
    Service.RETURNEE: {
        "country": "美国",
        "institution": "加州大学伯克利分校",
        "degree": "doctor",
        "major": "化学",
        "study_start": "2019-08-20",
        "study_end": "2024-05-20",
        "return_date": "2024-07-01",
        "intended_city": "北京",
        "intended_employer": "中国科学院化学研究所",
    },
}
DISPATCH_STAGE2 = {
    "host_institution": "慕尼黑工业大学",
    "visa_type": "D 类学生签证",
    "departure_date": "2026-09-01",
    "study_plan": "在导师课题组开展为期一年的联合培养研究。",
}
DOCUMENTS: dict[str, list[str]] = {
    Service.DEGREE: ["diploma", "transcript", "passport"],
    Service.DISPATCH: ["award_letter"],
    Service.ARCHIVE: ["admission_letter", "archive_transfer"],
    Service.RETURNEE: ["diploma", "passport"],
}


def make_application(
    applicant: Any, service: str = Service.DEGREE, *, submit: bool = True, documents: bool = True
) -> Application:
    """An application filled in with plausible data and every required document; submitted unless told."""
    application = services.application_create(applicant=applicant, service=service, data=dict(DATA[service]))
    if documents:
        for kind in DOCUMENTS[service]:
            services.document_add(
                applicant=applicant, application=application, kind=kind, upload=pdf_upload(f"{kind}.pdf")
            )
    if submit:
        application = services.application_submit(applicant=applicant, application=application)
    return application


def register_departure(applicant: Any, application: Application) -> Application:
    """The second stage of a dispatch: the pre-departure registration, with passport and visa, submitted."""
    services.application_update(applicant=applicant, application=application, data=dict(DISPATCH_STAGE2))
    for kind in ("passport", "visa"):
        services.document_add(applicant=applicant, application=application, kind=kind, upload=png_upload(f"{kind}.png"))
    return services.application_submit(applicant=applicant, application=application)
