"""The demo's question banks: every discipline group gives 21 questions of every type, valid as teachers' own
(each passes the same checks, exports to Excel and QTI 3.0)."""

import pytest

from zhijiao.courses.models import Discipline
from zhijiao.courses.tests.factories import make_course
from zhijiao.demo.questions import BANKS, GROUPS, demo_question_bank

from .. import qti, selectors, spreadsheets

pytestmark = pytest.mark.django_db


def test_every_group_has_every_type_and_enough_questions() -> None:
    for name, items in BANKS.items():
        kinds = {item[0] for item in items}
        assert kinds == set("SMTFQEU"), name
        assert len(items) >= 20, name
    assert set(GROUPS.values()) == set(BANKS)


@pytest.mark.parametrize("code", ["0812", "0701", "1004", "0305", "0402", "0501", "1202", "0710", "0808", "0801"])
def test_a_demo_course_gets_a_bank_in_its_subject(lead, disciplines, code) -> None:
    course = make_course(lead=lead, title="演示课程", discipline=Discipline.objects.get(code=code))
    assert demo_question_bank(course) == 21
    assert demo_question_bank(course) == 0  # loading twice adds nothing
    questions = list(selectors.questions_of(course=course))
    assert {q.type for q in questions} == {"single", "multiple", "truefalse", "fill", "short", "essay", "file"}
    assert all(q.current_version and q.current_version.number == 1 for q in questions)
    assert qti.package(questions)
    assert spreadsheets.bank_workbook(questions)
