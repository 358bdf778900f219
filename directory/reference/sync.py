"""Bring the reference tables in line with `reference.data`, idempotently."""

from __future__ import annotations

from datetime import date

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
from directory.targets.models import Metric, Target


async def sync_reference_data() -> None:
    """Insert missing rows and refresh labels and rules of existing ones.

    Every qualification kind's rule is parsed first: a malformed rule writes nothing."""
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
        for pos, (code, zh, en) in enumerate(data.AGENCY_KINDS):
            await AgencyKind.update_or_create(
                code=code, defaults={"name_zh": zh, "name_en": en, "position": pos}
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
        for pos, (code, zh, en, required) in enumerate(data.SERVICE_TYPES):
            await ServiceType.update_or_create(
                code=code,
                defaults={
                    "name_zh": zh,
                    "name_en": en,
                    "required_qualification_id": required,
                    "position": pos,
                },
            )
        for pos, (code, zh, en, priority) in enumerate(data.TECHNICAL_FIELDS):
            await TechnicalField.update_or_create(
                code=code,
                defaults={"name_zh": zh, "name_en": en, "priority": priority, "position": pos},
            )
        await ensure_plan_targets()


async def ensure_plan_targets() -> None:
    """The plan's targets exist in every deployment; the bureau's later edits are kept."""
    for key, zh, en, metric, threshold, deadline, region, params in data.PLAN_TARGETS:
        await Target.get_or_create(
            key=key,
            defaults={
                "description_zh": zh,
                "description_en": en,
                "metric": Metric(metric),
                "threshold": threshold,
                "deadline": date.fromisoformat(deadline),
                "region_id": region,
                "params": params,
            },
        )
