"""Universities import student-status, qualification and degree records; all rows land or none do."""

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from zhijiao.core.models import AuditLog
from zhijiao.hall.records import services
from zhijiao.hall.records.models import AcademicRecord
from zhijiao.orgs.tests.factories import make_organization

from .factories import make_id_number, make_record, make_registrar

pytestmark = pytest.mark.django_db

HEADER = "姓名,身份证号,专业,层次,类型,入学日期,毕业日期,状态,证书编号"


def _csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def _good_rows() -> list[str]:
    a, b = make_id_number(), make_id_number()
    return [
        f"陈思远,{a},计算机科学与技术,本科,学籍,2020-09-01,2024-06-30,毕业,",
        f"陈思远,{a},计算机科学与技术,本科,学历,2020-09-01,2024-06-30,毕业,100031202405000101",
        f"陈思远,{a},计算机科学与技术,本科,学位,2020/9/1,2024/6/30,授予,1000342024000101",
        f"李娜,{b},临床医学,硕士,学籍,2024-09-01,,在籍,",
    ]


def _upload(client: Any, university: Any, data: bytes, name: str = "records.csv") -> Any:
    return client.post(
        "/api/v1/credentials/imports",
        {"university_id": university.pk, "file": SimpleUploadedFile(name, data)},
    )


def test_registrar_imports_a_csv(client: Any, registrar: Any, university: Any) -> None:
    client.force_login(registrar)
    response = _upload(client, university, _csv(*_good_rows()))
    assert response.status_code == 201, response.content
    assert response.json() == {"total": 4, "created": 4, "errors": []}
    assert AcademicRecord.objects.filter(university=university).count() == 4
    degree = AcademicRecord.objects.get(record_type="degree")
    assert degree.status == "awarded" and degree.level == "bachelor"
    assert degree.id_number_masked.startswith("110108") and "*" in degree.id_number_masked
    assert AuditLog.objects.filter(action="credentials.records_import", result="success").exists()


def test_registrar_imports_excel(registrar: Any, university: Any) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    for row in _good_rows():
        sheet.append(row.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    report = services.records_import(
        actor=registrar, university_id=university.pk, data=buffer.getvalue(), filename="学籍.xlsx"
    )
    assert report.ok and report.created == 4


def test_a_bad_row_changes_nothing_and_every_bad_row_is_reported(client: Any, registrar: Any, university: Any) -> None:
    make_record(university, name="王芳", id_number=make_id_number(), certificate_number="TAKEN0001")
    good = _good_rows()
    rows = [
        good[0],
        "张伟,110108200205170011,法学,本科,学历,2020-09-01,2024-06-30,毕业,C1",  # check digit
        f"张伟,{make_id_number()},法学,本科,学历,2024-09-01,2020-06-30,毕业,C2",  # dates out of order
        f"张伟,{make_id_number()},法学,研究生,学历,2020-09-01,2024-06-30,毕业,C3",  # unknown level
        f"张伟,{make_id_number()},法学,本科,学历,2020-09-01,2024-06-30,授予,C4",  # status does not fit
        f"张伟,{make_id_number()},法学,本科,学历,2020-09-01,2024-06-30,毕业,TAKEN0001",  # already registered
        f"张伟,{make_id_number()},法学,本科,学历,2020-09-01,2024-06-30,毕业,C5",
        f"赵敏,{make_id_number()},法学,本科,学历,2020-09-01,2024-06-30,毕业,C5",  # duplicate in the file
        f"赵敏,{make_id_number()},法学,专科,学位,2020-09-01,2024-06-30,授予,D1",  # no degree for 专科
        f"赵敏,{make_id_number()},法学,本科,学历,2020-13-01,2024-06-30,毕业,C6",  # bad date
    ]
    client.force_login(registrar)
    response = _upload(client, university, _csv(*rows))
    assert response.status_code == 422
    body = response.json()
    assert body["created"] == 0 and body["total"] == 10
    lines = {error["line"]: " ".join(error["messages"]) for error in body["errors"]}
    assert sorted(lines) == [3, 4, 5, 6, 7, 9, 10, 11]
    assert "校验位" in lines[3]
    assert "早于入学日期" in lines[4]
    assert "层次" in lines[5]
    assert "不适用" in lines[6]
    assert "已被登记" in lines[7]
    assert "第 8 行重复" in lines[9]
    assert "专科层次没有学位" in lines[10]
    assert "入学日期格式" in lines[11]
    assert AcademicRecord.objects.count() == 1  # only the one made before


def test_import_page_shows_the_report(client: Any, registrar: Any, university: Any) -> None:
    client.force_login(registrar)
    page = client.get("/hall/degrees/import/")
    assert page.status_code == 200
    bad = _csv("张伟,110108200205170011,法学,本科,学历,2020-09-01,2024-06-30,毕业,C1")
    response = client.post(
        "/hall/degrees/import/",
        {"university": university.pk, "file": SimpleUploadedFile("r.csv", bad)},
    )
    assert response.status_code == 422
    assert "校验位" in response.content.decode() and not AcademicRecord.objects.exists()
    response = client.post(
        "/hall/degrees/import/",
        {"university": university.pk, "file": SimpleUploadedFile("r.csv", _csv(*_good_rows()))},
    )
    assert response.status_code == 200 and AcademicRecord.objects.count() == 4


@pytest.mark.parametrize(
    ("name", "data"),
    [("records.pdf", b"%PDF-1.4"), ("records.xlsx", b"not a workbook"), ("records.csv", b"\x00\x01\x02garbage")],
)
def test_wrong_file_type_is_refused(client: Any, registrar: Any, university: Any, name: str, data: bytes) -> None:
    client.force_login(registrar)
    response = _upload(client, university, data, name)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid" and "file" in response.json()["fields"]
    assert not AcademicRecord.objects.exists()


def test_a_non_registrar_cannot_import(client: Any, employment_staff: Any, university: Any) -> None:
    client.force_login(employment_staff)
    response = _upload(client, university, _csv(*_good_rows()))
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert client.get("/hall/degrees/import/").status_code == 403
    assert not AcademicRecord.objects.exists()


def test_a_registrar_of_another_university_cannot_import_here(client: Any, university: Any) -> None:
    other = make_registrar(make_organization("university", "另一所大学"))
    client.force_login(other)
    assert _upload(client, university, _csv(*_good_rows())).status_code == 403
    assert not AcademicRecord.objects.exists()


def test_admin_import_and_revocation_use_the_services(client: Any, university: Any) -> None:
    from zhijiao.accounts.tests.factories import make_user

    platform_admin = make_user(is_staff=True, is_superuser=True)
    client.force_login(platform_admin)
    assert client.get("/admin/records/academicrecord/").status_code == 200
    assert client.get("/admin/records/academicrecord/import/").status_code == 200
    response = client.post(
        "/admin/records/academicrecord/import/",
        {"university": university.pk, "file": SimpleUploadedFile("r.csv", _csv(*_good_rows()))},
    )
    assert response.status_code == 200 and AcademicRecord.objects.count() == 4
    from .factories import issue_exam_credential

    credential = issue_exam_credential()
    client.post("/admin/credentials/credentialrevocation/add/", {"credential": credential.pk, "reason": "更正"})
    assert AuditLog.objects.filter(action="credential.revoke", actor=platform_admin).exists()
    assert client.get(f"/admin/credentials/credential/{credential.pk}/change/").status_code == 200
