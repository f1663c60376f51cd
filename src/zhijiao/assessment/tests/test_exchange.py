"""Excel and QTI 3.0: the template, exports that import again (as new versions), and bad files that change
nothing and say where they are wrong."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from lxml import etree
from openpyxl import Workbook, load_workbook

from .. import qti, selectors, services, spreadsheets
from ..models import Question, QuestionVersion
from .factories import SAMPLES, current, make_question

pytestmark = pytest.mark.django_db


def _xlsx(content: bytes, name: str = "题库.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def _bank(lead, course) -> list[Question]:
    return [
        make_question(actor=lead, course=course, type=name, tags=["第一章"], knowledge_points=["线性表"])
        for name in SAMPLES
    ]


def test_the_template_has_a_guide_and_one_example_per_type_and_imports(lead, course) -> None:
    content = spreadsheets.template_workbook()
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["题目", "说明"]
    types = [row[1] for row in book["题目"].iter_rows(min_row=2, values_only=True)]
    assert types == ["单选题", "多选题", "判断题", "填空题", "简答题", "论述题", "文件题"]
    result = services.bank_import(actor=lead, course=course, upload=_xlsx(content), format="xlsx")
    assert result == {"created": 7, "revised": 0}
    fill = current(Question.objects.get(course=course, type="fill"))
    assert fill.data == {"blanks": [["入栈", "进栈", "push"], ["出栈", "退栈", "pop"]], "any_order": True}
    essay = current(Question.objects.get(course=course, type="essay"))
    assert essay.data["grading"] == "peer" and len(essay.data["rubric"]) == 3 and essay.difficulty == 4


def test_an_export_imported_again_makes_new_versions(lead, course) -> None:
    questions = _bank(lead, course)
    content = spreadsheets.bank_workbook(selectors.questions_of(course=course))
    result = services.bank_import(actor=lead, course=course, upload=_xlsx(content), format="xlsx")
    assert result == {"created": 0, "revised": len(questions)}
    for question in questions:
        versions = list(QuestionVersion.objects.filter(question=question).order_by("number"))
        assert [v.number for v in versions] == [1, 2]
        assert versions[1].data == versions[0].data
        assert versions[1].points == versions[0].points and versions[1].tags == ["第一章"]


def test_a_bad_row_changes_nothing_and_is_named(lead, course) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "题目"
    sheet.append(spreadsheets.HEADERS)
    good = ["", "判断题", "地球是圆的。"] + [""] * 8 + ["对", 1]
    bad_answer = ["", "单选题", "一加一等于？", "1", "2"] + [""] * 6 + ["E", 2]
    bad_type = ["", "连线题", "连一连"] + [""] * 8 + ["A", 1]
    for row in (good, bad_answer, bad_type):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ValidationError) as caught:
        services.bank_import(actor=lead, course=course, upload=_xlsx(out.getvalue()), format="xlsx")
    messages = caught.value.message_dict["file"]
    assert any(m.startswith("第 3 行“答案”列") for m in messages)
    assert any(m.startswith("第 4 行“题型”列") for m in messages)
    assert not Question.objects.exists()


def test_a_file_that_is_not_excel_is_refused(lead, course) -> None:
    with pytest.raises(ValidationError) as caught:
        services.bank_import(actor=lead, course=course, upload=_xlsx(b"not a workbook"), format="xlsx")
    assert "Excel" in caught.value.message_dict["file"][0]


def test_an_assistant_cannot_import(lead, course, assistant) -> None:
    with pytest.raises(PermissionDenied):
        services.bank_import(
            actor=assistant, course=course, upload=_xlsx(spreadsheets.template_workbook()), format="xlsx"
        )


def test_every_type_exports_as_a_valid_qti_item(lead, course) -> None:
    for question in _bank(lead, course):
        document = qti.item_xml(question)
        root = etree.fromstring(document)
        assert root.tag == "{http://www.imsglobal.org/xsd/imsqtiasi_v3p0}qti-assessment-item"
        assert qti.validation_errors(root) == []


def test_the_schema_refuses_a_broken_item() -> None:
    broken = (
        b'<qti-assessment-item xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0" identifier="x">'
        b"<x/></qti-assessment-item>"
    )
    assert qti.validation_errors(broken)


def test_a_qti_package_round_trips_into_another_course(lead, course) -> None:
    from zhijiao.courses.tests.factories import make_course

    questions = _bank(lead, course)
    services.question_revise(
        actor=lead,
        question=questions[0],
        type="single",
        stem="<p>栈的特点是<strong>什么</strong>？</p><ul><li>选一个</li></ul>",
        data={"options": ["先进先出", "后进<em>先</em>出"], "answer": 1},
        points="2.5",
        explanation="<p>栈是<strong>后进先出</strong>的。</p>",
        tags=["栈", "第一章"],
        knowledge_points=["栈"],
        difficulty=2,
    )
    content = qti.package(selectors.questions_of(course=course))
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert "imsmanifest.xml" in archive.namelist()
        assert len([n for n in archive.namelist() if n.startswith("items/")]) == len(questions)
    other = make_course(lead=lead, title="数据结构（二）")
    result = services.bank_import(
        actor=lead, course=other, upload=SimpleUploadedFile("bank.zip", content), format="qti"
    )
    assert result == {"created": len(questions), "revised": 0}
    originals = {q.type: current(q) for q in selectors.questions_of(course=course)}
    for copy in selectors.questions_of(course=other):
        version = current(copy)
        original = originals[copy.type]
        assert version.data == original.data, copy.type
        assert version.points == original.points
        assert version.tags == original.tags and version.knowledge_points == original.knowledge_points
        assert version.difficulty == original.difficulty
    single = current(selectors.questions_of(course=other).get(type="single"))
    assert "<strong>什么</strong>" in single.stem and "后进先出" in single.explanation
    # Into the same course again: new versions of the same questions.
    again = services.bank_import(actor=lead, course=course, upload=SimpleUploadedFile("b.zip", content), format="qti")
    assert again == {"created": 0, "revised": len(questions)}


def test_a_bad_qti_item_changes_nothing_and_is_named(lead, course) -> None:
    questions = _bank(lead, course)
    content = qti.package(selectors.questions_of(course=course))
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(broken, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == f"items/Q-{questions[2].identifier}.xml":
                data = data.replace(b"qti-item-body", b"qti-item-bodyx")
            target.writestr(name, data)
    other_count = QuestionVersion.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.bank_import(
            actor=lead, course=course, upload=SimpleUploadedFile("b.zip", broken.getvalue()), format="qti"
        )
    assert f"Q-{questions[2].identifier}" in caught.value.message_dict["file"][0]
    assert QuestionVersion.objects.count() == other_count


def test_an_item_with_entities_is_not_expanded(lead, course) -> None:
    evil = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<qti-assessment-item xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0" identifier="x" title="t" '
        b'adaptive="false" time-dependent="false"><qti-item-body><p>&e;</p></qti-item-body></qti-assessment-item>'
    )
    with pytest.raises(ValidationError):
        services.bank_import(actor=lead, course=course, upload=SimpleUploadedFile("x.xml", evil), format="qti")
    assert Decimal(0) == Question.objects.count()


def test_wrong_files_in_either_format_are_refused_cleanly(lead, course) -> None:
    make_question(actor=lead, course=course)
    package = qti.package(selectors.questions_of(course=course))
    workbook = spreadsheets.template_workbook()
    no_manifest = io.BytesIO()
    with zipfile.ZipFile(no_manifest, "w") as archive:
        archive.writestr("item.xml", b"<x/>")
    cases = [
        ("xlsx", package),
        ("qti", workbook),
        ("qti", b"\x00\x01 not xml"),
        ("qti", no_manifest.getvalue()),
        ("qti", b"<?xml version='1.0'?><qti-assessment-item/>"),
        ("xlsx", b""),
    ]
    before = QuestionVersion.objects.count()
    for format, content in cases:
        with pytest.raises(ValidationError):
            services.bank_import(actor=lead, course=course, upload=SimpleUploadedFile("f", content), format=format)
    assert QuestionVersion.objects.count() == before
