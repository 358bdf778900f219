"""The demand 找代理 left unserved, for the bureau: the needs of `unmet_need` over a period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from directory.engagements.models import UnmetNeed


@dataclass(frozen=True, slots=True)
class Demand:
    """One need left unserved over a period: its searches added up over the days."""

    services: tuple[str, ...]
    region: str
    field: str
    language: str
    empty: bool  # on the last day it was searched
    missing: tuple[str, ...]  # on the last day it was searched
    searches: int
    days: int
    last_day: date


async def unmet_demand(start: date, end: date, limit: int) -> list[Demand]:
    """The needs left unserved between `start` and `end` (days, both counted), most searched
    first; one statement."""
    rows = await UnmetNeed.filter(day__gte=start, day__lte=end).order_by("day", "id")
    found: dict[tuple[Any, ...], list[UnmetNeed]] = {}
    for row in rows:
        found.setdefault((tuple(row.services), row.region, row.field, row.language), []).append(row)
    demand = [
        Demand(
            services=need[0],
            region=need[1],
            field=need[2],
            language=need[3],
            empty=days[-1].empty,
            missing=tuple(days[-1].missing_services),
            searches=sum(d.searches for d in days),
            days=len(days),
            last_day=days[-1].day,
        )
        for need, days in found.items()
    ]
    demand.sort(key=lambda d: (-d.searches, -d.days, d.services, d.region))
    return demand[:limit]
