"""Writing many rows at once where ``bulk_create`` costs more than the work: one ``executemany`` per batch.

For a dozen columns Django spends ~100 µs of CPU per row building a ``bulk_create`` statement; a million score
rows or the 40,000 filter rows of a search batch would spend most of their time there. The caller prepares each
value as the database stores it (e.g. ``field.get_db_prep_save`` for sealed fields) and runs inside its own
transaction; this only builds the statement from the model's columns and sends the rows in batches.
"""

from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Any, cast

from django.db import connections, models


def insert_sql(model: type[models.Model], field_names: Sequence[str], *, using: str = "default") -> str:
    connection = connections[using]
    meta = model._meta
    fields = [cast(models.Field[Any, Any], meta.get_field(name)) for name in field_names]
    columns = ", ".join(connection.ops.quote_name(field.column or field.name) for field in fields)
    placeholders = ", ".join(["%s"] * len(field_names))
    return f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608


def insert_rows(
    model: type[models.Model],
    field_names: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    batch_size: int = 5000,
    using: str = "default",
) -> int:
    """Insert ``rows`` (values in ``field_names`` order) into ``model``'s table; answers how many were sent."""
    sql = insert_sql(model, field_names, using=using)
    sent = 0
    iterator = iter(rows)
    with connections[using].cursor() as cursor:
        while batch := list(islice(iterator, batch_size)):
            cursor.executemany(sql, batch)
            sent += len(batch)
    return sent
