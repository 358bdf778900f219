"""Per-request loaders: rating figures per agency, and the sector's, one query each."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from strawberry.dataloader import DataLoader
from tortoise.expressions import Q, Subquery
from tortoise.functions import Count, Sum
from tortoise.queryset import QuerySet

from directory.batching import keyed_loader
from directory.reviews.models import Review

if TYPE_CHECKING:
    from directory.reviews.types import RatingType


@dataclass(frozen=True, slots=True)
class Tally:
    """Visible reviews: how many, their stars added up, and how many were satisfied."""

    count: int = 0
    stars: int = 0
    satisfied: int = 0


def _tally(row: dict[str, Any]) -> Tally:
    return Tally(int(row["n"]), int(row["stars"] or 0), int(row["happy"] or 0))


def _counted(query: QuerySet[Review], *group: str) -> Any:
    """Count, stars and satisfied of visible reviews, in one statement."""
    return (
        query.filter(hidden=False)
        .group_by(*group)
        .annotate(n=Count("id"), stars=Sum("rating"), happy=Count("id", _filter=Q(satisfied=True)))
        .values(*group, "n", "stars", "happy")
    )


async def agency_tallies(agency_ids: list[int] | Subquery) -> list[tuple[int, Tally]]:
    """Visible reviews per agency (ids as a list or a subquery); agencies with none are absent."""
    rows = await _counted(Review.filter(agency_id__in=agency_ids), "agency_id")
    return [(row["agency_id"], _tally(row)) for row in rows]


async def sector_tally(agency_ids: list[int] | Subquery | None = None) -> Tally:
    """All visible reviews of the sector, or of the agencies given, added up."""
    query = Review.all() if agency_ids is None else Review.filter(agency_id__in=agency_ids)
    rows = await _counted(query, "hidden")
    return _tally(rows[0]) if rows else Tally()


class ReviewLoaders:
    """Each loader is made on first use: a request builds only those it needs."""

    @cached_property
    def tally(self) -> DataLoader[int, Tally | None]:
        return keyed_loader(agency_tallies)

    _sector: asyncio.Task[Tally] | None = None

    async def sector(self) -> Tally:
        """One query per request, however many resolvers ask at the same time."""
        if self._sector is None:
            self._sector = asyncio.ensure_future(sector_tally())
        return await self._sector

    async def rating(self, agency_id: int) -> RatingType:
        """An agency's rating figures as the API shows them, from the batched tallies.

        Here, not in the agency's type, so that agencies need not import reviews' code."""
        from directory.reviews.types import RatingType  # it imports the context, holding us

        tally = await self.tally.load(agency_id) or Tally()
        return RatingType.from_tally(tally, await self.sector())
