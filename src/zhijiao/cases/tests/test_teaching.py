"""Cases in teaching: a teacher attaches a case to a unit (the ``case`` block type) and assembles a 案例集 for a run;
learners open the case from the course and from the collection, under the library's rules."""

from typing import Any

import pytest

from zhijiao.courses import services as courses
from zhijiao.courses.models import Node, NodeKind
from zhijiao.courses.tests.factories import build_tree, make_course
from zhijiao.discussion.tests.factories import make_learner, make_run

from .. import services

pytestmark = pytest.mark.django_db


def test_a_teacher_attaches_a_case_to_a_unit_and_a_learner_opens_it_from_the_course(
    client: Any, library: dict[str, Any]
) -> None:
    teacher, case = library["teacher"], library["text"]
    course = make_course(lead=teacher, title="战略管理")
    build_tree(course, chapters=1, sections=1, units=1, blocks=1)
    unit = Node.objects.get(course=course, kind=NodeKind.UNIT)
    client.force_login(teacher)
    form = client.get(f"/courses/{course.pk}/edit/units/{unit.pk}/blocks/new/case/")
    assert form.status_code == 200 and "入库编号" in form.content.decode()
    courses.block_add(
        actor=teacher, unit=unit, type="case", title="课前案例", data={"case": case.accession_no, "note": "课前阅读"}
    )
    courses.course_publish(actor=teacher, course=course)
    run = make_run(teacher, course)
    learner = make_learner(run, display_name="学员甲")
    client.force_login(learner)
    page = client.get(f"/courses/{course.pk}/units/{unit.content_id}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert case.title in html and case.get_absolute_url() in html and "课前阅读" in html
    # The learner is not of a member university: the course shows the abstract, the case page keeps the full text.
    assert client.get(f"/higher/cases/{case.pk}/full-text.pdf").status_code == 403


def test_a_collection_for_a_run_is_open_to_its_learners_only(client: Any, library: dict[str, Any]) -> None:
    teacher = library["teacher"]
    course = make_course(lead=teacher, title="公共政策分析")
    build_tree(course, chapters=1, sections=1, units=1, blocks=1)
    courses.course_publish(actor=teacher, course=course)
    run = make_run(teacher, course)
    collection = services.collection_create(actor=teacher, title="第一周案例", run=run)
    services.collection_add(actor=teacher, collection=collection, case=library["micro"], note="先读摘要")
    learner = make_learner(run)
    client.force_login(learner)
    html = client.get(f"/higher/cases/collections/{collection.pk}/").content.decode()
    assert library["micro"].title in html and "先读摘要" in html
    client.force_login(library["outside_student"])
    assert client.get(f"/higher/cases/collections/{collection.pk}/").status_code == 404
    client.force_login(library["student"])
    assert (
        client.post(f"/higher/cases/collections/{collection.pk}/remove", {"case": library["micro"].pk}).status_code
        == 404
    )
    assert collection.items.count() == 1
