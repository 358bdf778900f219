"""GraphQL types of reviews and of an agency's rating figures."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Self

import strawberry
from strawberry import relay

from directory.context import Info
from directory.reviews import models
from directory.reviews.loaders import Tally
from directory.reviews.rating import sector_mean, shrunk_rating

if TYPE_CHECKING:
    from directory.agencies.types import AgencyType


@strawberry.type(name="Review", description="A firm's rating after an engagement.")
class ReviewType:
    id: strawberry.ID
    rating: int
    satisfied: bool
    comment: str
    firm_name: str
    created_at: datetime
    hidden: bool
    verified_engagement: bool = strawberry.field(
        description="written by the firm of an engagement requested here and marked done "
        "(已核实委托): not an anonymous claim"
    )
    agency_id: strawberry.Private[int]

    @strawberry.field(description="the agency reviewed")
    async def agency(
        self, info: Info
    ) -> Annotated[AgencyType, strawberry.lazy("directory.agencies.types")]:
        from directory.agencies.types import AgencyType

        agency = await info.context.agencies.agency.load(self.agency_id)
        assert agency is not None  # a foreign key guarantees it
        return AgencyType.from_model(agency)

    @classmethod
    def from_model(cls, m: models.Review) -> Self:
        return cls(
            agency_id=m.agency_id,
            id=strawberry.ID(str(m.id)),
            rating=m.rating,
            satisfied=m.satisfied,
            comment=m.comment,
            firm_name=m.firm_name,
            created_at=m.created_at,
            hidden=m.hidden,
            verified_engagement=m.engagement_id is not None,
        )


@strawberry.type
class ReviewEdge:
    cursor: str
    node: ReviewType


@strawberry.type
class ReviewConnection:
    edges: list[ReviewEdge]
    page_info: relay.PageInfo
    total_count: int


@strawberry.type(name="Rating", description="Visible reviews of an agency, summed up.")
class RatingType:
    count: int
    average: float | None = strawberry.field(description="plain mean of the stars")
    shrunk_average: float = strawberry.field(
        description="the mean pulled toward the sector mean while reviews are few"
    )
    satisfaction_ratio: float | None = strawberry.field(description="satisfied / all, 0..1")

    @classmethod
    def from_tally(cls, tally: Tally, sector: Tally) -> Self:
        mean = sector_mean(sector.count, sector.stars)
        return cls(
            count=tally.count,
            average=round(tally.stars / tally.count, 3) if tally.count else None,
            shrunk_average=round(shrunk_rating(tally.count, tally.stars, mean), 3),
            satisfaction_ratio=round(tally.satisfied / tally.count, 3) if tally.count else None,
        )
