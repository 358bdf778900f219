"""Review mutations: a firm submits, the bureau hides abuse."""

from __future__ import annotations

from typing import Annotated

import strawberry

from directory.context import Info
from directory.ids import local_id, plain_id
from directory.inputs import from_input
from directory.ratelimit import REVIEWS
from directory.results import MutationError, atomically
from directory.reviews import services
from directory.reviews.changes import ReviewSubmission
from directory.reviews.types import ReviewType


@strawberry.input
class SubmitReviewInput:
    agency_id: strawberry.ID
    firm_credit_code: str = strawberry.field(description="the reviewing firm's credit code")
    engagement_ref: str = strawberry.field(description="contract or case number of the work")
    rating: int = strawberry.field(description="1 to 5 stars")
    satisfied: bool
    comment: str = ""
    firm_name: str = ""


@strawberry.type
class ReviewPayload:
    review: ReviewType


ReviewResult = Annotated[ReviewPayload | MutationError, strawberry.union("ReviewResult")]


@strawberry.type
class ReviewMutation:
    @strawberry.mutation(description="A firm reviews an agency; once per engagement.")
    async def submit_review(self, info: Info, input: SubmitReviewInput) -> ReviewResult:
        ctx = info.context
        await ctx.count_request(REVIEWS)

        async def run() -> ReviewPayload:
            agency_id = local_id(input.agency_id, "Agency", "agencyId")
            submitted = from_input(ReviewSubmission, input)
            review = await services.submit_review(ctx.viewer, agency_id, submitted, ctx.moment)
            return ReviewPayload(review=ReviewType.from_model(review))

        return await atomically(run)

    @strawberry.mutation(description="Bureau: hide an abusive review, or show it again.")
    async def set_review_hidden(self, info: Info, id: strawberry.ID, hidden: bool) -> ReviewResult:
        ctx = info.context

        async def run() -> ReviewPayload:
            review_id = plain_id(id, "a review")
            review = await services.set_hidden(ctx.viewer, review_id, hidden, ctx.moment)
            return ReviewPayload(review=ReviewType.from_model(review))

        return await atomically(run)
