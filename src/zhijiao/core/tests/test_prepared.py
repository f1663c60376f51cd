"""A prepared query answers exactly what its queryset would, compiles once, and falls back when it cannot."""

import datetime
import uuid
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.db.models import Count
from django.db.models.sql import compiler as sql_compiler
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zhijiao.accounts.models import User
from zhijiao.core.prepared import _PLAIN, Prepared, PreparedInsert
from zhijiao.notifications.models import Notification
from zhijiao.orgs.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def compilations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How often Django compiles a select: the list grows by one per ``as_sql`` of a query compiler."""
    seen: list[int] = []
    original = sql_compiler.SQLCompiler.as_sql

    def counting(self: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(sql_compiler.SQLCompiler, "as_sql", counting)
    return seen


def test_rows_are_the_querysets_rows_and_the_sql_is_compiled_once(
    users: dict[str, User], compilations: list[int]
) -> None:
    by_phone = Prepared(lambda phone: User.objects.filter(phone=phone, is_active=True).order_by("pk"))
    for user in users.values():
        found = by_phone.list(user.phone)
        assert [u.pk for u in found] == [user.pk]
        assert found[0].phone == user.phone and found[0].date_joined == user.date_joined
    assert by_phone.list("13000000000") == []
    assert len(compilations) == 2  # once with each of two sets of stand-ins, then never again


def test_one_query_per_call_and_it_is_counted(users: dict[str, User]) -> None:
    user = next(iter(users.values()))
    by_pk = Prepared(lambda pk: User.objects.filter(pk=pk)[:1])
    by_pk.first(user.pk)
    with CaptureQueriesContext(connection) as queries:
        assert by_pk.first(user.pk) == user
    assert len(queries) == 1


def test_related_rows_values_and_annotations_come_back_converted(
    users: dict[str, User], compilations: list[int]
) -> None:
    user = next(u for u in users.values() if Membership.objects.filter(user=u).exists())
    held = Prepared(lambda pk: Membership.objects.filter(user_id=pk).select_related("organization").order_by("pk"))
    expected = list(Membership.objects.filter(user_id=user.pk).select_related("organization").order_by("pk"))
    rows = held.list(user.pk)
    with CaptureQueriesContext(connection) as queries:
        assert [m.organization.name for m in rows] == [m.organization.name for m in expected]
    assert len(queries) == 0  # the organisation came with the row
    since = timezone.now() - datetime.timedelta(days=1)
    Notification.objects.create(user=user, title="甲")
    Notification.objects.create(user=user, title="乙", read_at=timezone.now())
    unread = Prepared(
        lambda pk, after: (
            Notification.objects.filter(user_id=pk, read_at__isnull=True, created_at__gt=after)
            .values("user_id")
            .annotate(n=Count("id"))
            .values_list("n", flat=True)
        )
    )
    compilations.clear()
    assert unread.list(user.pk, since) == [1]
    assert unread.list(user.pk, timezone.now() + datetime.timedelta(seconds=5)) == []
    assert len(compilations) == 2
    when = Prepared(lambda pk: Notification.objects.filter(user_id=pk).order_by("pk").values_list("created_at"))
    (first,) = when.list(user.pk)[:1]
    assert isinstance(first[0], datetime.datetime) and first[0].tzinfo is not None


def test_uuid_and_date_arguments(users: dict[str, User]) -> None:
    user = next(iter(users.values()))
    joined = Prepared(lambda day: User.objects.filter(date_joined__date__gte=day).values_list("pk", flat=True))
    assert user.pk in joined.list(datetime.date.today() - datetime.timedelta(days=1))
    assert user.pk not in joined.list(datetime.date.today() + datetime.timedelta(days=2))
    # a UUID reaches SQLite as hex and PostgreSQL as a uuid: either way the value is bound, never the stand-in
    from zhijiao.courses.models import Block

    block = Prepared(lambda cid: Block.objects.filter(content_id=cid).values_list("pk", flat=True))
    assert block.list(uuid.uuid4()) == []


def test_queries_it_cannot_prepare_run_the_ordinary_way(users: dict[str, User], compilations: list[int]) -> None:
    user = next(iter(users.values()))
    tail = (user.phone or "")[-4:]
    like = Prepared(lambda part: User.objects.filter(phone__contains=part).values_list("pk", flat=True))
    assert like.list(tail) == list(User.objects.filter(phone__contains=tail).values_list("pk", flat=True))
    flag = Prepared(lambda active: User.objects.filter(is_active=active).values_list("pk", flat=True))
    assert user.pk in flag.list(True)
    assert user.pk not in flag.list(False)
    empty = Prepared(lambda pk: User.objects.filter(pk__in=[]).filter(pk=pk))
    assert empty.list(user.pk) == []


def test_plans_are_kept_on_the_connection_of_each_thread(users: dict[str, User]) -> None:
    by_pk = Prepared(lambda pk: User.objects.filter(pk=pk).values_list("phone", flat=True))
    user = next(iter(users.values()))
    assert by_pk.list(user.pk) == [user.phone]
    assert any(key[0] is by_pk._key for key in connections["default"].__dict__["_zhijiao_prepared"])


def _is_prepared(query: Prepared[Any], *kinds: type) -> bool:
    return connections["default"].__dict__["_zhijiao_prepared"][(query._key, kinds)] is not _PLAIN


def test_a_constant_equal_to_a_stand_in_stays_a_constant(users: dict[str, User]) -> None:
    user = next(iter(users.values()))
    # 10007 is the first integer stand-in of the first compilation: the second compilation tells them apart
    query = Prepared(lambda pk: User.objects.filter(pk=pk).exclude(pk=10_007).values_list("pk", flat=True))
    assert query.list(user.pk) == [user.pk]
    assert query.list(10_007) == []
    assert _is_prepared(query, int)


def test_small_integer_columns_and_row_locks_are_prepared(student: User) -> None:
    from zhijiao.orgs.models import Membership

    locked = Prepared(
        lambda user_id, role: (
            Membership.objects.select_for_update(of=("self",))
            .filter(user_id=user_id, role=role)
            .values_list("role", flat=True)
        )
    )
    with transaction.atomic():
        roles = locked.list(student.pk, "student")
    assert roles == list(Membership.objects.filter(user=student, role="student").values_list("role", flat=True))
    assert _is_prepared(locked, int, str)
    # a small integer reaches PostgreSQL wrapped (psycopg's Int2): the real value is wrapped the same way
    from zhijiao.assessment.models import AttemptItem

    item = Prepared(lambda attempt, position: AttemptItem.objects.filter(attempt_id=attempt, position=position))
    assert item.list(1, 3) == []
    assert _is_prepared(item, int, int)


def test_a_prepared_insert_saves_what_create_would(users: dict[str, User]) -> None:
    user = next(iter(users.values()))
    insert = PreparedInsert(Notification)
    made = insert.create(user=user, kind="exam", title="期末考试已开放", links=[{"label": "去考试", "url": "/x/"}])
    with CaptureQueriesContext(connection) as queries:
        second = insert.create(user=user, title="第二条")
    assert len(queries) == 1 and queries[0]["sql"].startswith("INSERT")
    assert made.pk and second.pk > made.pk and not made._state.adding
    stored = Notification.objects.get(pk=made.pk)
    assert (stored.user_id, stored.kind, stored.title, stored.links) == (user.pk, "exam", "期末考试已开放", made.links)
    assert stored.created_at == made.created_at and stored.created_at is not None
    assert stored.body == "" and stored.read_at is None  # the model's defaults, as create() applies them
    ordinary = Notification.objects.create(user=user, title="第二条")
    fields = [
        f.attname for f in Notification._meta.concrete_fields if f.attname not in ("id", "created_at", "updated_at")
    ]
    assert [getattr(Notification.objects.get(pk=second.pk), f) for f in fields] == [
        getattr(Notification.objects.get(pk=ordinary.pk), f) for f in fields
    ]


def test_a_prepared_insert_inside_a_rolled_back_transaction_leaves_nothing(users: dict[str, User]) -> None:
    user = next(iter(users.values()))
    insert = PreparedInsert(Notification)
    with pytest.raises(RuntimeError), transaction.atomic():
        insert.create(user=user, title="不会留下")
        raise RuntimeError
    assert not Notification.objects.filter(title="不会留下").exists()


def test_a_prepared_insert_is_an_ordinary_create_while_someone_listens(users: dict[str, User]) -> None:
    from django.db.models.signals import post_save

    user = next(iter(users.values()))
    heard: list[int] = []

    def listener(sender: Any, instance: Notification, created: bool, **kwargs: Any) -> None:
        heard.append(instance.pk)

    post_save.connect(listener, sender=Notification, dispatch_uid="test-prepared-insert")
    try:
        made = PreparedInsert(Notification).create(user=user, title="有人在听")
    finally:
        post_save.disconnect(dispatch_uid="test-prepared-insert", sender=Notification)
    assert heard == [made.pk]
