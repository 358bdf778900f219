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
    columns = list(zip(names, fields, strict=True))
    last: list[tuple[Any, Any]] = [(_NONE, None)] * len(columns)  # (value, as stored) a column
    values = []
    for row in rows:
        stored = []
        for index, (name, field) in enumerate(columns):
            value = row[name]
            seen, converted = last[index]
            if value is not seen:  # the rows of a write share many values (its time, its kind)
                converted = field.to_db_value(value, model)
                last[index] = (value, converted)
            stored.append(converted)
        values.append(stored)
    await db.execute_many(executor.insert_query, values)


_NONE = object()  # no value seen yet
