"""Filters of list queries on a column by a value the client typed."""

from __future__ import annotations

from typing import TypeVar

from tortoise.models import Model
from tortoise.queryset import QuerySet

M = TypeVar("M", bound=Model)


def equal(query: QuerySet[M], field: str, value: str) -> QuerySet[M]:
    """`query` where the text column `field` is `value`. A value longer than the column can
    hold matches nothing; Tortoise would refuse it as a value to store (ValidationError) and
    the client would read "Unexpected error"."""
    limit = getattr(query.model._meta.fields_map[field], "max_length", None)
    if limit is not None and len(value) > limit:
        return query.filter(pk__in=[])
    return query.filter(**{field: value})
