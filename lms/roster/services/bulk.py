"""Fast bulk writes for imports of tens of thousands of people.

Django's bulk_create builds and compiles a model instance per row (~100 µs a row here), which alone
would exceed the import's time budget at 100,000 people. On PostgreSQL we stream plain tuples with COPY
and take primary keys from the table's sequence up front; elsewhere (the embedded SQLite) bulk_create.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection, models

BATCH_SIZE = 2000


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def reserve_ids(model: type[models.Model], count: int) -> list[int] | None:
    """`count` primary keys from the table's sequence (PostgreSQL), or None where inserts assign them."""
    if not is_postgresql() or count == 0:
        return None
    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, pk, count]
        )
        return [row[0] for row in cursor.fetchall()]


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[tuple]) -> None:
    """Insert plain tuples whose values follow `fields` (model attribute names, e.g. "squad_id").

    Defaults and auto_now are not applied: callers pass every NOT NULL value.
    """
    if is_postgresql():
        # get_field accepts attnames ("squad_id") as well as names.
        columns = ", ".join(connection.ops.quote_name(model._meta.get_field(f).column) for f in fields)
        sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
        return
    batch = []
    for row in rows:
        batch.append(model(**dict(zip(fields, row, strict=True))))
        if len(batch) >= BATCH_SIZE:
            model.objects.bulk_create(batch)
            batch = []
    if batch:
        model.objects.bulk_create(batch)
