"""Writing many rows fast: PostgreSQL COPY where available, bulk_create elsewhere.

A draw writes thousands of candidates and issuing writes hundreds of thousands of paper questions; on
this hardware Django spends more time building model instances and INSERT statements than the database
spends storing the rows. Callers pass plain dicts (attribute name → value); fields left out get their
model default (auto_now_add fields the current time). Rows written this way get no primary keys back,
so use it only where the caller does not need them.
"""

import json

from django.db import connection, models
from django.utils import timezone

from psycopg.types.json import Jsonb


def _defaults(fields) -> dict:
    now = timezone.now()
    defaults = {}
    for f in fields:
        if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False):
            defaults[f.attname] = now
        else:
            defaults[f.attname] = f.get_default()  # "" for text fields, None for nullable ones
    return defaults


def insert_dicts(model: type[models.Model], rows: list[dict]) -> int:
    if not rows:
        return 0
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**row) for row in rows], batch_size=2000)
        return len(rows)
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = _defaults(fields)
    names = [f.attname for f in fields]
    json_names = {f.attname for f in fields if isinstance(f, models.JSONField)}
    json_text: dict = {}  # the same small values (option orders) recur: serialise each once
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            values = []
            for name in names:
                value = row.get(name, defaults[name])
                if name in json_names:
                    key = tuple(value) if isinstance(value, list) else None
                    if key is None:
                        value = Jsonb(value)
                    else:
                        value = json_text.get(key) or json_text.setdefault(key, json.dumps(value))
                values.append(value)
            copy.write_row(values)
    return len(rows)
