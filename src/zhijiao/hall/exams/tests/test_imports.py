"""Score and candidate-list imports: a good file lands whole; one bad row changes nothing and every bad row is
reported; only service-hall officers import."""

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhijiao.core.models import AuditLog
from zhijiao.hall.exams import services
from zhijiao.hall.exams.models import ExamType, ScoreImport, ScoreRecord, SpecialCandidate, SpecialList
from zhijiao.orgs.tests.factories import make_region

from .factories import CET_HEADER, cet_rows, csv_bytes, id_number, make_sitting, xlsx_bytes

pytestmark = pytest.mark.django_db


def _upload(client: Any, sitting_id: int, data: bytes, name: str) -> Any:
    return client.post(f"/api/v1/hall/sittings/{sitting_id}/scores/import", {"file": SimpleUploadedFile(name, data)})


def test_officer_imports_a_good_csv_whole(client: Any, hall_officer: Any) -> None:
    sitting = make_sitting(ExamType.CET4)
    client.force_login(hall_officer)
    response = _upload(client, sitting.pk, csv_bytes(CET_HEADER, cet_rows(50)), "cet4.csv")
    assert response.status_code == 201, response.content
    assert response.json()["created"] == 50
    assert ScoreRecord.objects.filter(sitting=sitting).count() == 50
    row = ScoreRecord.objects.get(ticket_number="110120261000001")
    assert row.id_number == id_number(1)  # sealed at rest, readable to the code
    assert row.id_number_masked.startswith("110108") and "*" in row.id_number_masked
    assert ScoreImport.objects.get(sitting=sitting).row_count == 50
    assert AuditLog.objects.filter(action="exams.scores.import", object_id=str(sitting.pk)).exists()


def test_excel_import_with_putonghua_grades(hall_officer: Any) -> None:
    sitting = make_sitting(ExamType.PUTONGHUA)
    header = ["准考证号", "姓名", "身份证号", "成绩", "等级"]
    rows = [["PTH2026000001", "王芳", id_number(1), 92.5, "一级乙等"], ["PTH2026000002", "李雷", id_number(2), 58, ""]]
    report = services.scores_import(
        actor=hall_officer, sitting=sitting, data=xlsx_bytes(header, rows), filename="p.xlsx"
    )
    assert report.created == 2
    first, second = ScoreRecord.objects.filter(sitting=sitting).order_by("ticket_number")
    assert (first.grade, first.passed, str(first.total)) == ("1B", True, "92.5")
    assert (second.grade, second.passed) == ("", False)


def test_one_bad_row_imports_nothing_and_every_bad_row_is_reported(client: Any, hall_officer: Any) -> None:
    sitting = make_sitting(ExamType.CET4)
    rows = cet_rows(20)
    good = rows[3][2]
    rows[3][2] = good[:-1] + ("1" if good[-1] != "1" else "2")  # wrong check digit
    rows[7][4] = "999"  # total out of range
    rows[12][0] = rows[1][0]  # duplicate ticket
    rows[15][1] = ""  # no name
    client.force_login(hall_officer)
    response = _upload(client, sitting.pk, csv_bytes(CET_HEADER, rows), "cet4.csv")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "import_rejected"
    assert set(body["fields"]) == {"第 5 行", "第 9 行", "第 14 行", "第 17 行"}
    assert any("校验位" in text for text in body["fields"]["第 5 行"])
    assert any("重复" in text for text in body["fields"]["第 14 行"])
    assert ScoreRecord.objects.count() == 0
    assert not ScoreImport.objects.exists()


def test_ticket_already_in_the_sitting_refuses_the_file(hall_officer: Any) -> None:
    sitting = make_sitting(ExamType.CET4)
    services.scores_import(
        actor=hall_officer, sitting=sitting, data=csv_bytes(CET_HEADER, cet_rows(3)), filename="a.csv"
    )
    with pytest.raises(services.ImportRejected) as caught:
        services.scores_import(
            actor=hall_officer, sitting=sitting, data=csv_bytes(CET_HEADER, cet_rows(3, start=3)), filename="b.csv"
        )
    assert [error.line for error in caught.value.errors] == [2]
    assert ScoreRecord.objects.count() == 3


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("scores.txt", b"hello", "invalid_file"),
        ("scores.xlsx", b"not a workbook", "invalid_file"),
        ("scores.csv", "准考证号,姓名\n1,张三\n".encode(), "invalid_file"),
    ],
)
def test_unreadable_files_are_refused_clearly(
    client: Any, hall_officer: Any, name: str, data: bytes, code: str
) -> None:
    sitting = make_sitting(ExamType.CET4)
    client.force_login(hall_officer)
    response = _upload(client, sitting.pk, data, name)
    assert response.status_code == 422
    assert response.json()["code"] == code
    assert ScoreRecord.objects.count() == 0


@pytest.mark.parametrize("role", ["student", "teacher", "employment_staff", "recruiter", "district_staff"])
def test_other_roles_cannot_import_scores(client: Any, users: dict[str, Any], role: str) -> None:
    sitting = make_sitting(ExamType.CET4)
    client.force_login(users[role])
    response = _upload(client, sitting.pk, csv_bytes(CET_HEADER, cet_rows(2)), "cet4.csv")
    assert response.status_code == 403
    assert ScoreRecord.objects.count() == 0


def test_anonymous_cannot_import_scores(client: Any) -> None:
    sitting = make_sitting(ExamType.CET4)
    assert _upload(client, sitting.pk, csv_bytes(CET_HEADER, cet_rows(2)), "cet4.csv").status_code == 401


def test_other_roles_cannot_import_on_the_service_either(teacher: Any) -> None:
    sitting = make_sitting(ExamType.CET4)
    with pytest.raises(PermissionDenied):
        services.scores_import(
            actor=teacher, sitting=sitting, data=csv_bytes(CET_HEADER, cet_rows(1)), filename="a.csv"
        )


def test_officer_desk_shows_the_report(client: Any, hall_officer: Any) -> None:
    sitting = make_sitting(ExamType.CET4)
    rows = cet_rows(3)
    rows[2][2] = "123"
    client.force_login(hall_officer)
    response = client.post(
        "/hall/office/",
        {"action": "scores", "sitting": sitting.pk, "file": SimpleUploadedFile("s.csv", csv_bytes(CET_HEADER, rows))},
    )
    assert response.status_code == 422
    assert "第 4 行" in response.content.decode() or ">4<" in response.content.decode()
    assert ScoreRecord.objects.count() == 0


def test_office_refuses_other_roles(client: Any, teacher: Any) -> None:
    client.force_login(teacher)
    assert client.get("/hall/office/").status_code == 403


# --- Special-type lists ------------------------------------------------------------------------------------


LIST_HEADER = ["姓名", "性别", "身份证号", "中学", "省份", "高校", "项目"]


def _list_rows() -> list[list[str]]:
    return [
        ["张一", "男", id_number(101), "北京市第四中学", "北京市", "清华大学", "数学与应用数学"],
        ["李二", "女", id_number(102), "中国人民大学附属中学", "北京", "北京大学", "物理学"],
        ["王三", "男", id_number(103), "北京市第四中学", "110000", "北京师范大学", "化学"],
    ]


def _import_list(actor: Any, rows: list[list[str]], **fields: Any) -> SpecialList:
    now = timezone.now()
    values: dict[str, Any] = {
        "title": "2026年强基计划入围考生名单",
        "program": SpecialList.Program.STRONG_BASE,
        "year": 2026,
        "notice_start": now - timedelta(days=1),
        "notice_end": now + timedelta(days=6),
    }
    values.update(fields)
    return services.special_list_import(actor=actor, data=xlsx_bytes(LIST_HEADER, rows), filename="list.xlsx", **values)


def test_list_import_and_public_search(client: Any, hall_officer: Any) -> None:
    make_region()
    made = _import_list(hall_officer, _list_rows())
    assert SpecialCandidate.objects.filter(special_list=made).count() == 3
    response = client.get(f"/api/v1/hall/special-lists/{made.pk}/candidates", {"school": "第四中学"})
    assert response.status_code == 200
    items = response.json()["items"]
    assert [item["name"] for item in items] == ["张一", "王三"]
    assert all("*" in item["id_number_masked"] for item in items)
    assert id_number(101) not in response.content.decode()
    page = client.get(f"/hall/special-lists/{made.pk}/", {"name": "李"})
    assert "李二" in page.content.decode() and "张一" not in page.content.decode()


def test_list_outside_its_notice_period_is_hidden(client: Any, hall_officer: Any) -> None:
    make_region()
    now = timezone.now()
    made = _import_list(
        hall_officer, _list_rows(), notice_start=now + timedelta(days=1), notice_end=now + timedelta(days=5)
    )
    assert client.get(f"/api/v1/hall/special-lists/{made.pk}/candidates").status_code == 404
    assert client.get("/api/v1/hall/special-lists").json() == []
    assert client.get(f"/hall/special-lists/{made.pk}/").status_code == 404


def test_list_with_bad_rows_imports_nothing(hall_officer: Any) -> None:
    make_region()
    rows = _list_rows()
    rows[0][4] = "火星"
    rows[2][2] = rows[1][2]
    with pytest.raises(services.ImportRejected) as caught:
        _import_list(hall_officer, rows)
    assert [error.line for error in caught.value.errors] == [2, 4]
    assert not SpecialList.objects.exists()
    assert not SpecialCandidate.objects.exists()


def test_non_officer_cannot_import_a_list(student: Any) -> None:
    make_region()
    with pytest.raises(PermissionDenied):
        _import_list(student, _list_rows())


def test_fast_id_check_agrees_with_the_identifier_rules() -> None:
    """The import's fast ID-number check accepts and refuses exactly what core.identifiers does."""
    import random

    from stdnum.cn import ric

    from zhijiao.core.identifiers import normalize_id_number
    from zhijiao.hall.exams.imports import fast_id_number

    rng = random.Random(7)
    for _ in range(2000):
        place = rng.choice(["110108", "310115", "999999", "110101", "440106", "110100"])
        body = (
            f"{place}{rng.randint(1950, 2030)}{rng.randint(0, 13):02d}{rng.randint(0, 32):02d}{rng.randint(0, 999):03d}"
        )
        number = body + (ric.calc_check_digit(body + "0") if rng.random() < 0.8 else rng.choice("0123456789X"))
        try:
            expected: str | None = normalize_id_number(number)
        except ValidationError:
            expected = None
        assert fast_id_number(number) == expected, number


def test_a_row_with_two_problems_lists_both_in_the_reader_language(client: Any, hall_officer: Any) -> None:
    sitting = make_sitting(ExamType.CET4)
    rows = cet_rows(2)
    rows[1][2] = "123"
    rows[1][4] = "九百"
    client.force_login(hall_officer)

    def report() -> str:
        upload = SimpleUploadedFile("s.csv", csv_bytes(CET_HEADER, rows))
        response = client.post("/hall/office/", {"action": "scores", "sitting": sitting.pk, "file": upload})
        assert response.status_code == 422
        return response.content.decode().split("<td>3</td><td>", 1)[1].split("</td>", 1)[0]

    assert "；" in report()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = report()
    assert "; " in english and "；" not in english
    assert ScoreRecord.objects.count() == 0
