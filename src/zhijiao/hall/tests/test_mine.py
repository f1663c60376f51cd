"""我的办事 (/hall/mine/): one page with a person's scores, certificates, verification reports and study-abroad
applications — their own only."""

from typing import Any

import pytest

from zhijiao.hall.abroad.tests.factories import make_application
from zhijiao.hall.exams.tests.factories import make_score, make_sitting
from zhijiao.hall.records import services as record_services
from zhijiao.hall.records.tests.factories import issue_exam_credential, make_holder, make_record
from zhijiao.orgs.models import Organization
from zhijiao.orgs.tests.factories import make_organization

pytestmark = pytest.mark.django_db


def test_my_services_shows_each_zone_of_ones_own(client: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    holder, number = make_holder("陈思远")
    other, other_number = make_holder("林晓")
    make_score(make_sitting(), ticket="110108261290013", name="陈思远", number=number)
    make_score(make_sitting(), ticket="110108261290099", name="林晓", number=other_number)
    issue_exam_credential(holder_user=holder, id_number=number)
    university = make_organization(Organization.Kind.UNIVERSITY, "清华大学")
    record = make_record(university, name="陈思远", id_number=number, programme="生物技术")
    record_services.report_create(actor=holder, record_id=record.pk, days=30)
    application = make_application(holder)

    client.force_login(holder)
    page = client.get("/hall/mine/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "全国大学英语四级考试" in html and "110108261290099" not in html
    assert "清华大学 生物技术" in html and "有效期至" in html
    assert application.reference in html and "国（境）外学历学位认证" in html

    client.force_login(other)
    html = client.get("/hall/mine/").content.decode()
    assert "生物技术" not in html and application.reference not in html and "暂无电子证书" in html


def test_my_services_needs_a_login(client: Any) -> None:
    response = client.get("/hall/mine/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
