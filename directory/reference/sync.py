"""Bring the reference tables in line with `reference.data`, idempotently."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tortoise.models import Model
from tortoise.transactions import in_transaction

from directory.reference import data
from directory.reference.duties import parse_duties
from directory.reference.models import (
    AgencyKind,
    Holder,
    QualificationKind,
    Region,
    RegionLevel,
    ServiceType,
    TechnicalField,
)
from directory.reference.service_rules import service_rules

# Tables of plain labelled rows: (model, rows of (code, 中文, English, *values), the columns of
# those values). A row's place in the data is its `position`.
_ORDERED_TABLES: tuple[tuple[type[Model], Sequence[tuple[Any, ...]], tuple[str, ...]], ...] = (
    (AgencyKind, data.AGENCY_KINDS, ()),
    (ServiceType, data.SERVICE_TYPES, ("required_qualification_id",)),
    (TechnicalField, data.TECHNICAL_FIELDS, ("priority",)),
)


async def sync_reference_data() -> None:
    """Insert missing rows and refresh labels and rules of existing ones.

    Every qualification kind's rule and every service's rule is parsed first: a malformed
    rule writes nothing."""
    service_rules()
    for code, _, _, _, _, rule in data.QUALIFICATION_KINDS:
        parse_duties(code, rule)
    async with in_transaction():
        for code, zh, en, level, parent in data.REGIONS:
            await Region.update_or_create(
                code=code,
                defaults={
                    "name_zh": zh,
                    "name_en": en,
                    "level": RegionLevel(level),
                    "parent_id": parent,
                },
            )
        for pos, (code, zh, en, holder, months, rule) in enumerate(data.QUALIFICATION_KINDS):
            await QualificationKind.update_or_create(
                code=code,
                defaults={
                    "name_zh": zh,
                    "name_en": en,
                    "holder": Holder(holder),
                    "validity_months": months,
                    "rule": rule,
                    "position": pos,
                },
            )
        for model, rows, columns in _ORDERED_TABLES:
            for pos, (code, zh, en, *values) in enumerate(rows):
                defaults = dict(zip(columns, values, strict=True))
                defaults |= {"name_zh": zh, "name_en": en, "position": pos}
                await model.update_or_create(code=code, defaults=defaults)
