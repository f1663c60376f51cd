"""Regional curation: district collections, their code batches, and the district's usage figures."""

from typing import Any

import pytest

from zhijiao.k12.models import ClassMember, CodeBatch, Collection, Lesson, Resource
from zhijiao.k12.services import progress_record

from .factories import make_class, make_resource

pytestmark = pytest.mark.django_db


def test_district_staff_curate_a_collection_and_make_its_codes(
    client: Any, district_staff: Any, lesson: Lesson
) -> None:
    first = make_resource(lesson=lesson, title="讲解一")
    second = make_resource(lesson=lesson, kind=Resource.Kind.DOCUMENT, title="学案二")
    client.force_login(district_staff)
    created = client.post("/k12/collections/", {"title": "海淀区七年级数学精选"})
    assert created.status_code == 302
    collection = Collection.objects.get()
    url = f"/k12/collections/{collection.pk}/"
    client.post(url, {"action": "add", "resource": first.pk})
    client.post(url, {"action": "add", "resource": second.pk})
    items = list(collection.items.order_by("position").values_list("resource_id", flat=True))
    assert items == [first.pk, second.pk]
    second_item = collection.items.get(resource=second)
    client.post(url, {"action": "up", "item": second_item.pk})
    assert list(collection.items.order_by("position").values_list("resource_id", flat=True)) == [second.pk, first.pk]
    client.post(url, {"action": "publish"})
    collection.refresh_from_db()
    assert collection.is_published
    made = client.post(url, {"action": "codes"})
    assert made.status_code == 302
    batch = CodeBatch.objects.get(collection=collection)
    assert batch.codes.count() == 1 and batch.organization == collection.district


@pytest.mark.parametrize("role", ["teacher", "student", "school_admin"])
def test_others_cannot_curate(client: Any, users: dict[str, Any], role: str) -> None:
    client.force_login(users[role])
    assert client.get("/k12/collections/").status_code == 403
    assert client.get("/k12/district/").status_code == 404


def test_unpublished_collection_is_hidden(client: Any, district_staff: Any, student: Any) -> None:
    collection = Collection.objects.create(title="草稿合集", district=district_staff.memberships.first().organization)
    client.force_login(student)
    assert client.get(f"/k12/collections/{collection.pk}/").status_code == 404


def test_district_usage(
    client: Any, district_staff: Any, teacher: Any, student: Any, orgs: dict[str, Any], lesson: Lesson
) -> None:
    video = make_resource(lesson=lesson, title="本区热门讲解")
    klass = make_class(school=orgs["school"], teacher=teacher)
    ClassMember.objects.create(klass=klass, student=student)
    progress_record(student=student, resource=video, position=2, elapsed=30)
    client.force_login(district_staff)
    html = client.get("/k12/district/").content.decode()
    assert "100%" in html  # the district's one student was active this week
    assert "本区热门讲解" in html
