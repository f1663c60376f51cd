"""Querysets whose SQL is built once: the hot reads of every signed-in request stop paying Django's compiler.

Turning a queryset into SQL (resolving lookups, joins, the select list, ordering) costs about as much as running a
small indexed query on SQLite or PostgreSQL — up to a millisecond each on this kind of machine, and a signed-in page
runs several (the session, the person, their memberships, their unread count, the page's own reads). A ``Prepared``
query builds its queryset once per database connection with stand-in values for its arguments, compiles it, and
remembers the SQL and where each argument lands among the parameters. Later calls only put the real values in those
places and run the SQL; the rows become model instances (or values) through Django's own iterables and converters,
so what comes back is exactly what the queryset would have returned.

::

    user_by_pk = Prepared(lambda pk: User.objects.filter(pk=pk, is_active=True)[:1])
    user = user_by_pk.first(42)

The rules, checked where they can be:

- The builder depends on its arguments only: a value it reads elsewhere (the clock, a setting) is frozen at the
  first call. Pass ``timezone.now()`` as an argument.
- Arguments are ints, strings, UUIDs, dates or datetimes (a plan is kept per combination of their types); each must
  reach the SQL as a parameter of its own (an ``=``, ``<``, ``>`` … comparison, not ``__contains`` or ``__in``).
  A query that does not fit — its SQL varies with the values, a value is transformed on its way, the query is empty —
  is run the ordinary way on every call, which is always correct, only slower.
- The result is a list (or one object), never a queryset to refine: refining would need a new compilation anyway.

Plans live on the connection object (one per thread), so two threads never share a compiler.

``PreparedInsert`` does the same for the one write that thousands of people repeat at the same moment (an exam's
saved answers): ``Model.objects.create`` spends most of its time in Django's save machinery (the signals, the field
loops, the insert compiler), about a fifth of a whole saved answer's work; the prepared insert builds its statement
once per connection and only converts the row's values.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Model, QuerySet
from django.db.models.fields import AutoFieldMixin
from django.db.models.signals import post_save, pre_save

_PLAIN = object()  # a plan that says: run the builder's queryset the ordinary way


def _sentinel(kind: type, index: int, round_: int) -> Any:
    """A stand-in value of ``kind`` for argument ``index`` in compilation ``round_`` (0 or 1).

    Integers stay within a small integer column's range (Django answers an out-of-range comparison without SQL).
    A constant of the query that happens to equal a stand-in cannot be mistaken for the argument: the query is
    compiled with two different sets of stand-ins, and only a parameter that follows the argument both times is it.
    """
    offset = 97 * index + 7919 * round_
    if kind is int:
        return 10_007 + offset
    if kind is str:
        return f"\x1fzj-prepared-{offset}\x1f"
    if kind is uuid.UUID:
        return uuid.UUID(int=0x5A6A_0000_0000_4000_8000_0000_0000_0000 + offset)
    if kind is datetime.datetime:
        return datetime.datetime(1901, 2, 3, 4, 5, 6, 1000 + offset, tzinfo=datetime.UTC)
    if kind is datetime.date:
        return datetime.date(1901, 2, 3) + datetime.timedelta(days=offset)
    raise TypeError(kind)


def _forms(connection: Any, kind: type) -> list[Callable[[Any], Any]]:
    """The ways a value of ``kind`` may appear among a compiled query's parameters."""
    forms: list[Callable[[Any], Any]] = [lambda value: value]
    if kind is uuid.UUID:
        forms.append(lambda value: value.hex)
    if kind is datetime.datetime:
        forms.append(connection.ops.adapt_datetimefield_value)
    if kind is datetime.date:
        forms.append(connection.ops.adapt_datefield_value)
    forms.append(str)
    return forms


def _rewrap(form: Callable[[Any], Any], compiled: type, plain: type) -> Callable[[Any], Any]:
    """``form``, then wrapped as the compiled parameter was: on PostgreSQL a small integer column's value arrives as
    psycopg's ``Int2``, an ``int`` subclass that tells the server its type."""
    if compiled is plain:
        return form
    return lambda value: compiled(form(value))


def _shallow(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """A copy of ``queryset`` sharing its query, with no results (``copy.copy`` would run it: it pickles)."""
    fresh = queryset.__class__.__new__(queryset.__class__)
    fresh.__dict__.update(queryset.__dict__)
    fresh._result_cache = None
    fresh._prefetch_done = False  # type: ignore[attr-defined]
    return fresh


class _Plan:
    """One compiled query on one connection: its SQL, its parameters, and where the arguments go."""

    __slots__ = ("params", "queryset", "slots", "sql")

    def __init__(self, queryset: QuerySet[Any], sql: str, params: list[Any], slots: list[tuple[int, int, Any]]):
        self.queryset = queryset
        self.sql = sql
        self.params = params
        self.slots = slots  # (position among the parameters, argument index, form)


class Prepared[T]:
    """A queryset builder whose SQL is compiled once per connection and argument types; see the module."""

    def __init__(self, build: Callable[..., QuerySet[Any, T]], *, using: str = DEFAULT_DB_ALIAS) -> None:
        self.build = build
        self.using = using
        self._key = object()

    def list(self, *args: Any) -> list[T]:
        """The rows of ``build(*args)``."""
        connection = connections[self.using]
        kinds = tuple(type(arg) for arg in args)
        plans = connection.__dict__.setdefault("_zhijiao_prepared", {})
        plan = plans.get((self._key, kinds))
        if plan is None:
            plan = plans[(self._key, kinds)] = self._plan(connection, kinds)
        if plan is _PLAIN:
            return list(self.build(*args))
        params = list(plan.params)
        for position, index, form in plan.slots:
            params[position] = form(args[index])
        queryset = _shallow(plan.queryset)
        compiler = queryset.query.get_compiler(using=self.using)
        compiler.zhijiao_params = params
        return list(queryset)

    def first(self, *args: Any) -> T | None:
        """The first row of ``build(*args)``, or ``None``; the builder should slice ``[:1]``."""
        rows = self.list(*args)
        return rows[0] if rows else None

    def _plan(self, connection: Any, kinds: tuple[type, ...]) -> _Plan | object:
        compiled = []
        for round_ in (0, 1):
            try:
                sentinels = [_sentinel(kind, index, round_) for index, kind in enumerate(kinds)]
                queryset = self.build(*sentinels)
                if queryset._prefetch_related_lookups or queryset.db != self.using:  # type: ignore[attr-defined]
                    return _PLAIN
                query = queryset.query.chain()
                compiler = query.get_compiler(using=self.using)
                sql, params = compiler.as_sql()
            except Exception:  # a stand-in the query refuses, EmptyResultSet, FullResultSet …: run it plainly
                return _PLAIN
            compiled.append((sentinels, queryset, query, compiler, sql, list(params)))
        (sentinels_a, _qs, _query, _compiler, sql_a, params_a) = compiled[0]
        (sentinels_b, queryset, query, compiler, sql, params) = compiled[1]
        if sql != sql_a or len(params) != len(params_a):
            return _PLAIN  # the SQL varies with the values
        pairs = list(zip(params_a, params, strict=True))
        slots: list[tuple[int, int, Any]] = []
        for index, kind in enumerate(kinds):
            for form in _forms(connection, kind):
                a, b = form(sentinels_a[index]), form(sentinels_b[index])
                found = [
                    (position, _rewrap(form, type(left), type(a)))
                    for position, (left, right) in enumerate(pairs)
                    if type(left) is type(right) and isinstance(left, type(a)) and left == a and right == b
                ]
                if found:
                    slots += [(position, index, bound) for position, bound in found]
                    break
            else:
                return _PLAIN  # the argument does not reach the SQL as a parameter of its own
        covered = {position for position, _index, _form in slots}
        if any(left != right for position, (left, right) in enumerate(pairs) if position not in covered):
            return _PLAIN  # a parameter derived from an argument in a way that cannot be repeated
        # The compiler keeps what the iterables read after execution (select, klass_info, annotation_col_map); it
        # answers every later call with the stored SQL and that call's parameters.
        compiler.as_sql = lambda *_args, **_kwargs: (sql, compiler.zhijiao_params)
        query.get_compiler = lambda *_args, **_kwargs: compiler  # type: ignore[method-assign]
        prepared = _shallow(queryset)
        # not the ``query`` setter: it would turn a values_list() into values()
        prepared._query = query  # type: ignore[attr-defined]
        return _Plan(prepared, sql, params, slots)


class PreparedInsert[M: Model]:
    """``create(**values)`` inserts one row of ``model`` with a statement built once per connection, and answers the
    saved instance (its defaults applied, ``auto_now_add`` set, the primary key read back), as
    ``model.objects.create`` would.

    The model's own ``save()`` is not called: use it for rows whose ``save()`` adds nothing to an insert (an
    append-only record that only refuses updates). Its ``pre_save``/``post_save`` signals do run: while anything
    listens to them, or where the database cannot return the new key from the insert, ``create`` is
    ``objects.create``.
    """

    def __init__(self, model: type[M], *, using: str = DEFAULT_DB_ALIAS) -> None:
        self.model = model
        self.using = using
        self.fields = [
            field
            for field in model._meta.concrete_fields
            if not (field.primary_key and isinstance(field, AutoFieldMixin)) and not field.generated
        ]
        self._key = (object(), "insert")

    def create(self, **values: Any) -> M:
        connection = connections[self.using]
        model = self.model
        if (
            not connection.features.can_return_columns_from_insert
            or pre_save.has_listeners(model)
            or post_save.has_listeners(model)
        ):
            return model._default_manager.db_manager(self.using).create(**values)
        obj = model(**values)
        sql = connection.__dict__.setdefault("_zhijiao_prepared", {}).get(self._key)
        if sql is None:
            sql = connection.__dict__["_zhijiao_prepared"][self._key] = self._sql(connection)
        params = [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in self.fields]
        with transaction.mark_for_rollback_on_error(self.using), connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        obj.pk = row[0]
        obj._state.adding = False
        obj._state.db = self.using
        return obj

    def _sql(self, connection: Any) -> str:
        quote = connection.ops.quote_name
        pk = self.model._meta.pk
        assert pk is not None and pk.column is not None
        columns = ", ".join(quote(field.column) for field in self.fields)
        placeholders = ", ".join(["%s"] * len(self.fields))
        table = quote(self.model._meta.db_table)
        # names from the model's meta, every value a parameter
        return f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) RETURNING {quote(pk.column)}"  # noqa: S608
