"""The searchable-name columns of a model, kept current on every ORM write path.

`save()` (and so `create()`), `bulk_create` and `bulk_update` fill them in the overrides
below. An update of a versioned row goes through `directory.versioning.save_versioned`, which
adds `search_columns`; other writes that bypass model instances (raw SQL, COPY) use the
functions of `directory.search.readings`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar, TypeVar

from tortoise import fields
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model
from tortoise.queryset import BulkCreateQuery, BulkUpdateQuery

from directory.search.readings import Readings

SEARCH_FIELDS = ("search_name", "search_pinyin", "search_initials")

M = TypeVar("M", bound="NameIndexed")


class NameIndexed(Model):
    """Abstract base: the folded name, its pinyin and initials, alternatives joined by |."""

    search_name = fields.TextField(default="", db_default="")
    search_pinyin = fields.TextField(default="", db_default="")
    search_initials = fields.TextField(default="", db_default="")

    NAME_FIELDS: ClassVar[tuple[str, ...]] = ("name",)  # the fields the readings come from

    class Meta:
        abstract = True

    def readings(self) -> Readings:
        raise NotImplementedError

    def fill_readings(self) -> None:
        found = self.readings()
        self.search_name = found.name
        self.search_pinyin, self.search_initials = found.pinyin, found.initials

    def search_columns(self, values: dict[str, Any]) -> dict[str, str]:
        """The search columns to add to a `QuerySet.update(**values)` that renames the row."""
        if not set(values) & set(self.NAME_FIELDS):
            return {}
        renamed = type(self)(**{f: values.get(f, getattr(self, f)) for f in self.NAME_FIELDS})
        found = renamed.readings()
        return {
            "search_name": found.name,
            "search_pinyin": found.pinyin,
            "search_initials": found.initials,
        }

    async def save(
        self,
        using_db: BaseDBAsyncClient | None = None,
        update_fields: Iterable[str] | None = None,
        force_create: bool = False,
        force_update: bool = False,
    ) -> None:
        """Save with the readings of the current name; saving the name saves them too."""
        self.fill_readings()
        if update_fields is not None:
            names = list(update_fields)
            if set(names) & set(self.NAME_FIELDS):
                names += [f for f in SEARCH_FIELDS if f not in names]
            update_fields = names
        await super().save(using_db, update_fields, force_create, force_update)

    @classmethod
    def bulk_create(
        cls: type[M],
        objects: Iterable[M],
        batch_size: int | None = None,
        ignore_conflicts: bool = False,
        update_fields: Iterable[str] | None = None,
        on_conflict: Iterable[str] | None = None,
        using_db: BaseDBAsyncClient | None = None,
    ) -> BulkCreateQuery[M]:
        rows = list(objects)
        for row in rows:
            row.fill_readings()
        return cls._db_queryset(using_db, for_write=True).bulk_create(
            rows, batch_size, ignore_conflicts, update_fields, on_conflict
        )

    @classmethod
    def bulk_update(
        cls: type[M],
        objects: Iterable[M],
        fields: Iterable[str],
        batch_size: int | None = None,
        using_db: BaseDBAsyncClient | None = None,
    ) -> BulkUpdateQuery[M]:
        rows, names = list(objects), list(fields)
        if set(names) & set(cls.NAME_FIELDS):
            for row in rows:
                row.fill_readings()
            names += [f for f in SEARCH_FIELDS if f not in names]
        return cls._db_queryset(using_db, for_write=True).bulk_update(rows, names, batch_size)
