"""Rows still naming a code the reference data retired move to its successors, at every migrate.

The reference sync only adds and refreshes; this runs after it, across the features that hold
codes (an agency's services, a title's level), so `reference` need not import them."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from directory.agencies.models import AgencyServiceLink
from directory.reference import data
from directory.reference.models import ServiceType
from directory.talent.models import Qualification


async def retire_old_codes() -> None:
    """Idempotent: once moved, nothing names the old codes."""
    async with in_transaction():
        for old, new in data.RETIRED_SERVICES.items():
            await _move_service(old, new)
        for old_level, new_level in data.RETIRED_LEVELS.items():
            await Qualification.filter(level=old_level).update(level=new_level)


async def _move_service(old: str, new: tuple[str, ...]) -> None:
    """Every agency offering `old` offers each of `new` instead; then `old` is deleted."""
    agency_ids = await AgencyServiceLink.filter(service_id=old).values_list("agency_id", flat=True)
    for code in new:
        have = set(
            await AgencyServiceLink.filter(service_id=code, agency_id__in=agency_ids).values_list(
                "agency_id", flat=True
            )
        )
        await AgencyServiceLink.bulk_create(
            [AgencyServiceLink(agency_id=a, service_id=code) for a in agency_ids if a not in have]
        )
    await AgencyServiceLink.filter(service_id=old).delete()
    await ServiceType.filter(code=old).delete()
