"""Per-request loaders: rating figures per agency, and the sector's, one query each."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from strawberry.dataloader import DataLoader
from tortoise.functions import Count, Sum

from directory.batching import keyed_loader
from directory.reviews.models import Review


@dataclass(frozen=True, slots=True)
class Tally:
    """Visible reviews: how many, their stars added up, and how many were satisfied."""

    count: int = 0
    stars: int = 0
    satisfied: int = 0


async def _tallies(agency_ids: list[int]) -> list[tuple[int, Tally]]:
    rows = (
        await Review.filter(agency_id__in=agency_ids, hidden=False)
        .group_by("agency_id")
        .annotate(n=Count("id"), stars=Sum("rating"))
        .values("agency_id", "n", "stars")
    )
    happy = (
        await Review.filter(agency_id__in=agency_ids, hidden=False, satisfied=True)
        .group_by("agency_id")
        .annotate(n=Count("id"))
        .values("agency_id", "n")
    )
    satisfied = {r["agency_id"]: int(r["n"]) for r in happy}
    return [
        (r["agency_id"], Tally(int(r["n"]), int(r["stars"] or 0), satisfied.get(r["agency_id"], 0)))
        for r in rows
    ]


async def sector_tally() -> Tally:
    """All visible reviews of the sector."""
    rows = (
        await Review.filter(hidden=False)
        .group_by("hidden")
        .annotate(n=Count("id"), stars=Sum("rating"))
        .values("n", "stars")
    )
    if not rows:
        return Tally()
    satisfied = await Review.filter(hidden=False, satisfied=True).count()
    return Tally(int(rows[0]["n"]), int(rows[0]["stars"] or 0), satisfied)


@dataclass
class ReviewLoaders:
    tally: DataLoader[int, Tally | None] = field(default_factory=lambda: keyed_loader(_tallies))
    _sector: asyncio.Task[Tally] | None = None

    async def sector(self) -> Tally:
        """One query per request, however many resolvers ask at the same time."""
        if self._sector is None:
            self._sector = asyncio.ensure_future(sector_tally())
        return await self._sector
