"""Teachers, district staff and code makers choose lessons, resources, collections and books by name."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from zhijiao.k12.models import (
    Assignment,
    Book,
    CodeBatch,
    Collection,
    CollectionItem,
    KnowledgePoint,
    Lesson,
    Resource,
)
from zhijiao.k12.tests.factories import make_book, make_class, make_resource
from zhijiao.orgs.models import Organization, Role
from zhijiao.orgs.tests.factories import add_member, make_organization

pytestmark = pytest.mark.django_db


def _due() -> str:
    return (timezone.localdate() + timedelta(days=3)).isoformat()


@pytest.fixture
def klass(orgs: dict[str, Organization], teacher: Any) -> Any:
    return make_class(school=orgs["school"], teacher=teacher)


@pytest.fixture
def lessons(book: Book) -> list[Lesson]:
    """Two lessons, 正数和负数（1） and （2）, each with a published video."""
    found = list(Lesson.objects.filter(unit__book=book).order_by("position"))
    for lesson in found:
        make_resource(lesson=lesson, title=f"{lesson.title}讲解")
    return found


def _assign(client: Any, klass: Any, **fields: Any) -> Any:
    data = {"action": "assign", "purpose": "preview", "due_date": _due(), **fields}
    return client.post(f"/k12/classes/{klass.pk}/", data)


def test_a_teacher_assigns_a_lesson_by_typing_its_title(client: Any, teacher: Any, klass: Any, lessons: list) -> None:
    client.force_login(teacher)
    response = _assign(client, klass, lesson_q="正数和负数（2）")
    assert response.status_code == 302
    assert Assignment.objects.get().lesson == lessons[1]


def test_an_ambiguous_title_offers_the_lessons_and_the_choice_is_taken(
    client: Any, teacher: Any, klass: Any, lessons: list
) -> None:
    client.force_login(teacher)
    ambiguous = _assign(client, klass, lesson_q="正数和负数")
    page = ambiguous.content.decode()
    assert ambiguous.status_code == 422 and "“正数和负数”对应多项" in page
    assert f'type="radio" name="lesson" value="{lessons[0].pk}"' in page
    assert not Assignment.objects.exists()
    chosen = _assign(client, klass, lesson_q="正数和负数", lesson=str(lessons[0].pk))
    assert chosen.status_code == 302 and Assignment.objects.get().lesson == lessons[0]


@pytest.mark.parametrize(
    ("language", "message"),
    [("zh-hans", "所选的一项不存在或您不能选择"), ("en", "does not exist or is not yours to choose")],
)
def test_what_a_teacher_may_not_assign_is_a_field_error_and_changes_nothing(
    client: Any, teacher: Any, klass: Any, lessons: list, orgs: dict[str, Organization], language: str, message: str
) -> None:
    elsewhere = make_organization(Organization.Kind.AGENCY, "朝阳区教育委员会")
    unpublished = Collection.objects.create(title="朝阳区内部合集", district=elsewhere)
    draft = make_resource(lesson=lessons[0], title="草稿资源", status=Resource.Status.DRAFT)
    empty_lesson = make_book(subject="语文", grade=8).units.get().lessons.first()
    assert empty_lesson is not None
    client.force_login(teacher)
    for field, value in (("collection", unpublished.pk), ("resource", draft.pk), ("lesson", empty_lesson.pk)):
        response = client.post(
            f"/k12/classes/{klass.pk}/",
            {"action": "assign", "purpose": "preview", "due_date": _due(), field: str(value)},
            HTTP_ACCEPT_LANGUAGE=language,
        )
        assert response.status_code == 422, field
        assert message in response.content.decode(), field
    nothing = _assign(client, klass, collection_q="朝阳区内部合集")
    assert nothing.status_code == 422 and "没有找到“朝阳区内部合集”" in nothing.content.decode()
    assert not Assignment.objects.exists()


def test_a_teacher_cannot_assign_to_another_schools_class(
    client: Any, teacher: Any, lessons: list, orgs: dict[str, Organization]
) -> None:
    other_school = make_organization(Organization.Kind.SCHOOL, "朝阳区实验中学")
    from zhijiao.accounts.tests.factories import make_user

    colleague = make_user(display_name="另一位老师")
    add_member(colleague, other_school, Role.TEACHER)
    theirs = make_class(school=other_school, teacher=colleague)
    client.force_login(teacher)
    assert _assign(client, theirs, lesson_q="正数和负数（1）").status_code == 404
    assert not Assignment.objects.exists()


def test_district_staff_add_a_resource_to_their_collection_by_title(
    client: Any, district_staff: Any, orgs: dict[str, Organization], lessons: list
) -> None:
    collection = Collection.objects.create(title="海淀区精选", district=orgs["agency"])
    client.force_login(district_staff)
    response = client.post(f"/k12/collections/{collection.pk}/", {"action": "add", "resource_q": "正数和负数（1）讲解"})
    assert response.status_code == 302
    assert CollectionItem.objects.get().resource.title == "正数和负数（1）讲解"
    unknown = client.post(f"/k12/collections/{collection.pk}/", {"action": "add", "resource_q": "没有这个资源"})
    assert unknown.status_code == 422 and "没有找到“没有这个资源”" in unknown.content.decode()
    assert CollectionItem.objects.count() == 1


def test_the_book_picker_is_grouped_and_takes_a_typed_name(client: Any, district_staff: Any, book: Book) -> None:
    make_book(stage="primary", subject="语文", grade=3)
    client.force_login(district_staff)
    page = client.get("/k12/codes/").content.decode()
    assert '<optgroup label="初中 · 数学 · 人教版">' in page and '<optgroup label="小学 · 语文 · 人教版">' in page
    options = client.get("/choose/k12-books/", {"q": "初中 数学"}).content.decode()
    assert "人教版 数学 七年级上册" in options and "语文" not in options.replace("小学 · 语文", "")
    response = client.post("/k12/codes/", {"book_q": "人教版 数学 七年级上册", "point_ids_q": "数学 相反意义的量1"})
    assert response.status_code == 302
    batch = CodeBatch.objects.get()
    assert batch.book == book and batch.codes.filter(point__isnull=False).count() == 1


@pytest.mark.parametrize(
    ("source", "role"),
    [
        ("k12-lessons-to-assign", "student"),
        ("k12-resources", "parent"),
        ("k12-collections", "recruiter"),
        ("k12-books", "student"),
        ("k12-points", "graduate-visitor"),
    ],
)
def test_the_k12_choosers_refuse_who_cannot_use_them(
    client: Any, users: dict[str, Any], lessons: list, source: str, role: str
) -> None:
    if role in users:
        client.force_login(users[role])
    assert client.get(f"/choose/{source}/", {"q": "正数"}).status_code == 403


def test_a_teacher_sees_only_assignable_lessons_while_typing(client: Any, teacher: Any, lessons: list) -> None:
    make_book(subject="物理", grade=8)  # its lessons hold nothing published
    client.force_login(teacher)
    options = client.get("/choose/k12-lessons-to-assign/", {"q": "正数和负数"}).content.decode()
    assert options.count('role="option"') == 2


def test_knowledge_points_are_those_of_the_book_chosen_above(client: Any, district_staff: Any, book: Book) -> None:
    other = make_book(grade=8)  # the same lesson and point titles, in 八年级上册
    client.force_login(district_staff)
    page = client.get("/k12/codes/").content.decode()
    assert 'hx-include="[name=&#x27;book&#x27;]"' in page  # the book chosen is sent along while typing a point
    everywhere = client.get("/choose/k12-points/", {"q": "相反意义的量1"}).content.decode()
    assert everywhere.count('role="option"') == 2
    within = client.get("/choose/k12-points/", {"q": "相反意义的量1", "book": str(other.pk)}).content.decode()
    assert within.count('role="option"') == 1 and "八年级上册" in within and "七年级上册" not in within
    # Without JavaScript: the typed point is found in the chosen book only, so it is no longer ambiguous.
    response = client.post("/k12/codes/", {"book": str(other.pk), "point_ids_q": "相反意义的量1"})
    assert response.status_code == 302
    point = CodeBatch.objects.get().codes.get(point__isnull=False).point
    assert point is not None and point.lesson.unit.book == other


def test_a_point_of_another_book_is_refused_for_the_chosen_book(client: Any, district_staff: Any, book: Book) -> None:
    other = make_book(grade=8)
    point = KnowledgePoint.objects.filter(lesson__unit__book=book).first()
    assert point is not None
    client.force_login(district_staff)
    response = client.post("/k12/codes/", {"book": str(other.pk), "point_ids": str(point.pk)})
    assert response.status_code == 422 and "所选的一项不存在或您不能选择" in response.content.decode()
    assert not CodeBatch.objects.exists()


def test_a_nonsense_book_in_the_query_does_not_narrow_or_break_the_options(client: Any, district_staff: Any) -> None:
    make_book()
    client.force_login(district_staff)
    for book in ("abc", "-1", "9" * 30):
        response = client.get("/choose/k12-points/", {"q": "相反意义的量1", "book": book})
        assert response.status_code == 200 and response.content.decode().count('role="option"') == 1


def test_relinking_a_code_offers_the_lessons_of_its_book(client: Any, district_staff: Any, book: Book) -> None:
    from zhijiao.k12.services import code_batch_generate

    make_book(grade=8)  # the same lesson titles in another book
    batch = code_batch_generate(actor=district_staff, book=book)
    code = batch.codes.order_by("id").first()
    assert code is not None
    client.force_login(district_staff)
    page = client.get(f"/k12/codes/{batch.pk}/").content.decode()
    assert f'hx-vals="{{&quot;book&quot;: &quot;{book.pk}&quot;}}"' in page
    response = client.post(f"/k12/codes/code/{code.pk}/relink", {"lesson_q": "正数和负数（2）"})
    assert response.status_code == 302
    code.refresh_from_db()
    assert code.lesson is not None and code.lesson.unit.book == book and code.lesson.title == "正数和负数（2）"
