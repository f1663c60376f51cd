"""The bank through its services and selectors: versions, archive, filters, draws, and who is refused."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhijiao.core.errors import DomainError, NotFound

from .. import selectors, services
from ..models import Question, QuestionVersion
from .factories import SAMPLES, current, make_question

pytestmark = pytest.mark.django_db


def test_editing_a_question_adds_a_version_and_keeps_the_old_one(lead, course) -> None:
    question = make_question(actor=lead, course=course, type="single")
    first = current(question)
    second = services.question_revise(
        actor=lead,
        question=question,
        type="single",
        stem="<p>栈的特点是（　）</p>",
        data={"options": ["先进先出", "后进先出"], "answer": 1},
        points="3",
        note="改题干",
    )
    question.refresh_from_db()
    assert (first.number, second.number) == (1, 2)
    assert question.current_version == second
    first.refresh_from_db()
    assert first.points == Decimal("2.00") and first.data["options"][0] == "先进先出"
    assert len(first.data["options"]) == 4
    with pytest.raises(PermissionError):
        first.save()
    with pytest.raises(PermissionError):
        QuestionVersion.objects.filter(pk=first.pk).update(points=9)


def test_every_type_is_stored_with_its_cleaned_data(lead, course) -> None:
    for name in SAMPLES:
        make_question(actor=lead, course=course, type=name)
    assert Question.objects.filter(course=course).count() == len(SAMPLES)
    assert set(Question.objects.values_list("type", flat=True)) == set(SAMPLES)


def test_stems_are_sanitised(lead, course) -> None:
    question = make_question(
        actor=lead, course=course, stem='<p onclick="x()">题<script>alert(1)</script><a href="javascript:x">链</a></p>'
    )
    stem = current(question).stem
    assert "script" not in stem and "onclick" not in stem and "javascript" not in stem


def test_bad_fields_are_named_and_nothing_is_stored(lead, course) -> None:
    with pytest.raises(ValidationError) as caught:
        services.question_create(
            actor=lead,
            course=course,
            type="short",
            stem="",
            data={"rubric": [{"criterion": "要点", "points": "3"}]},
            points="5",
            difficulty="很难",
            tags=["x" * 40],
        )
    assert set(caught.value.message_dict) >= {"stem", "rubric", "difficulty", "tags"}
    assert not Question.objects.exists()


def test_filters_by_type_tag_knowledge_point_and_difficulty(lead, course) -> None:
    stack = make_question(actor=lead, course=course, type="single", tags=["栈"], knowledge_points=["线性表"])
    make_question(actor=lead, course=course, type="truefalse", tags=["队列"], difficulty="难")
    make_question(actor=lead, course=course, type="single", tags=["栈队列"], difficulty=1)
    f = selectors.BankFilter
    assert list(selectors.questions_of(course=course, filters=f(tag="栈"))) == [stack]
    assert list(selectors.questions_of(course=course, filters=f(knowledge_point="线性表"))) == [stack]
    assert selectors.questions_of(course=course, filters=f(type="single")).count() == 2
    assert selectors.questions_of(course=course, filters=f(difficulty=5)).get().type == "truefalse"
    facets = selectors.bank_facets(course=course)
    assert facets.types == {"single": 2, "truefalse": 1} and facets.tags[0] in {"栈", "队列", "栈队列"}


def test_archived_questions_leave_lists_and_draws_and_come_back(lead, course) -> None:
    question = make_question(actor=lead, course=course)
    services.question_archive(actor=lead, question=question)
    assert not selectors.questions_of(course=course).exists()
    assert selectors.questions_of(course=course, filters=selectors.BankFilter(archived=True)).get() == question
    services.question_restore(actor=lead, question=question)
    assert selectors.questions_of(course=course).get() == question


def test_a_draw_is_the_same_for_the_same_seed(lead, course) -> None:
    for index in range(12):
        make_question(actor=lead, course=course, tags=["第一章"] if index % 2 else ["第二章"], difficulty=index % 5 + 1)
    first = selectors.questions_draw(course=course, tag="第一章", count=4, seed=7)
    again = selectors.questions_draw(course=course, tag="第一章", count=4, seed=7)
    other = [selectors.questions_draw(course=course, tag="第一章", count=4, seed=s) for s in range(8, 14)]
    assert first == again and len(set(first)) == 4
    assert all("|第一章|" in q.tag_index for q in first)
    assert any(o != first for o in other)
    with pytest.raises(DomainError) as caught:
        selectors.questions_draw(course=course, tag="第一章", difficulty=1, count=5, seed=1)
    assert caught.value.code == "not_enough_questions"


def test_assistants_read_the_bank_but_do_not_write_it(lead, course, assistant) -> None:
    question = make_question(actor=lead, course=course)
    assert selectors.access_bank(actor=assistant, course_id=course.pk) == course
    assert selectors.access_question(actor=assistant, course=course, question_id=question.pk) == question
    with pytest.raises(PermissionDenied):
        make_question(actor=assistant, course=course)
    with pytest.raises(PermissionDenied):
        services.question_revise(actor=assistant, question=question, **_fields())
    with pytest.raises(PermissionDenied):
        services.question_archive(actor=assistant, question=question)


def test_people_off_the_team_find_no_bank(lead, course, outsider, student) -> None:
    question = make_question(actor=lead, course=course)
    for person in (outsider, student):
        with pytest.raises(NotFound):
            selectors.access_bank(actor=person, course_id=course.pk)
        with pytest.raises(NotFound):
            selectors.access_question(actor=person, course=course, question_id=question.pk)
        with pytest.raises(PermissionDenied):
            make_question(actor=person, course=course)


def test_a_question_of_another_course_is_not_found(lead, course) -> None:
    from zhijiao.courses.tests.factories import make_course

    other = make_course(lead=lead, title="操作系统")
    question = make_question(actor=lead, course=other)
    with pytest.raises(NotFound):
        selectors.access_question(actor=lead, course=course, question_id=question.pk)


def _fields() -> dict:
    return {"type": "truefalse", "stem": "<p>对吗？</p>", "data": {"answer": True}, "points": "1"}
