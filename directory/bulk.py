"""Many new rows in one INSERT, given as plain values: for writes of thousands of rows (an
import), where building a model instance for each costs more than the statement itself."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tortoise.models import Model


async def insert_rows(model: type[Model], rows: Sequence[Mapping[str, Any]]) -> None:
    """INSERT `rows` ({field: value}, every column but a generated key given) into the table
    of `model`, each value converted as `bulk_create` converts it (given the class, not an
    instance: no auto_now value is made), in one executemany on the connection of the current
    transaction."""
    if not rows:
        return
    db = model._meta.db
    executor = db.executor_class(model=model, db=db)
    names = [model._meta.fields_db_projection_reverse[c] for c in executor.regular_columns]
    fields = [model._meta.fields_map[name] for name in names]
    values = [
        [field.to_db_value(row[name], model) for name, field in zip(names, fields, strict=True)]
        for row in rows
    ]
    await db.execute_many(executor.insert_query, values)
