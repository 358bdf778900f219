"""Reviews with their comments: the visible ones of an agency for anyone, all for moderation."""

from __future__ import annotations

import strawberry
from tortoise.queryset import QuerySet

from directory.context import Info
from directory.ids import local_id
from directory.pagination import DEFAULT_PAGE_SIZE, newest_first_page, page_info
from directory.permissions import scoped
from directory.reviews.models import Review
from directory.reviews.types import ReviewConnection, ReviewEdge, ReviewType


@strawberry.input(description="All given conditions must hold.")
class ReviewFilter:
    agency: strawberry.ID | None = None
    hidden: bool | None = None


@strawberry.type
class ReviewQuery:
    @strawberry.field(
        description="Every review, hidden ones too, newest first. "
        "Bureau: all; agency administrator: own agency."
    )
    async def reviews(
        self,
        info: Info,
        filter: ReviewFilter | None = None,
        first: int = DEFAULT_PAGE_SIZE,
        after: str | None = None,
    ) -> ReviewConnection:
        query = scoped(Review.all(), info.context.viewer)
        if filter is not None:
            if filter.agency is not None:
                query = query.filter(agency_id=local_id(filter.agency, "Agency", "agency"))
            if filter.hidden is not None:
                query = query.filter(hidden=filter.hidden)
        return await _connection(query, first, after)

    @strawberry.field(
        description="The visible reviews of one agency with their comments, newest first; public."
    )
    async def agency_reviews(
        self, agency: strawberry.ID, first: int = DEFAULT_PAGE_SIZE, after: str | None = None
    ) -> ReviewConnection:
        query = Review.filter(agency_id=local_id(agency, "Agency", "agency"), hidden=False)
        return await _connection(query, first, after)


async def _connection(query: QuerySet[Review], first: int, after: str | None) -> ReviewConnection:
    total = await query.count()
    page = await newest_first_page(query, first, after)
    return ReviewConnection(
        edges=[
            ReviewEdge(cursor=c, node=ReviewType.from_model(r))
            for r, c in zip(page.rows, page.cursors, strict=True)
        ],
        page_info=page_info(page),
        total_count=total,
    )
