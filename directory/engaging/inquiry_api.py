"""A firm's inquiry over GraphQL: send requests, confirm the e-mail, and what its private link
allows (read, start, finish, withdraw, review). The token is the credential."""

from __future__ import annotations

from typing import Annotated

import strawberry

from directory.context import Context, Info
from directory.engagements.rules import CONFIRM_HOURS, MAX_AGENCIES, Step
from directory.engaging import inquiries as services
from directory.engaging.inquiry_changes import EngagementReview, EngagementSubmission
from directory.engaging.inquiry_types import FirmRequestType, InquiryType, inquiry_type
from directory.ids import local_id, plain_id
from directory.matching.queries import DEFAULT_MATCHES
from directory.matching.types import MatchNeedInput
from directory.queue import DELIVER_REMINDERS, DELIVER_SOON, EnqueueStatus
from directory.ratelimit import ENGAGEMENTS, REVIEWS
from directory.results import MutationError, atomically
from directory.reviews.mutations import ReviewPayload, ReviewResult
from directory.reviews.types import ReviewType
from directory.settings import Settings, get_settings


def _settings(ctx: Context) -> Settings:
    if ctx.request is not None:
        settings: Settings = ctx.request.app.state.settings
        return settings
    return get_settings()


@strawberry.input
class SendEngagementRequestInput:
    need: MatchNeedInput = strawberry.field(description="the need, as asked of matchAgencies")
    agency_ids: list[strawberry.ID] = strawberry.field(
        description=f"1 to {MAX_AGENCIES} agencies of the match answer for this need"
    )
    firm_name: str
    firm_credit_code: str = strawberry.field(description="the firm's unified social credit code")
    contact_email: str = strawberry.field(
        description="where the confirmation link goes; the agencies asked see it"
    )
    contact_phone: str = strawberry.field(default="", description="optional; the agencies see it")
    message: str = strawberry.field(default="", description="what the firm tells the agencies")
    first: int = strawberry.field(
        default=DEFAULT_MATCHES, description="how many matches the firm was shown (matchAgencies)"
    )


@strawberry.input
class ReviewEngagementInput:
    token: str = strawberry.field(description="the firm's private link token")
    request_id: strawberry.ID
    rating: int = strawberry.field(description="1 to 5 stars")
    satisfied: bool
    comment: str = ""


@strawberry.type
class EngagementSentPayload:
    requests: int = strawberry.field(description="agencies asked")
    confirm_hours: int = strawberry.field(description="how long the mailed link works")
    delivery: EnqueueStatus = strawberry.field(description="whether the mail was queued at once")


@strawberry.type
class EngagementConfirmedPayload:
    inquiry: InquiryType


@strawberry.type
class EngagementRequestPayload:
    request: FirmRequestType


SendResult = Annotated[
    EngagementSentPayload | MutationError, strawberry.union("SendEngagementResult")
]
ConfirmResult = Annotated[
    EngagementConfirmedPayload | MutationError, strawberry.union("ConfirmEngagementResult")
]
StepResult = Annotated[
    EngagementRequestPayload | MutationError, strawberry.union("EngagementRequestResult")
]


async def _step(info: Info, token: str, request_id: strawberry.ID, step: Step) -> StepResult:
    ctx = info.context

    async def run() -> EngagementRequestPayload:
        number = plain_id(request_id, "an engagement request", "requestId")
        row = await services.take_step(ctx.viewer, token, number, step, ctx.moment)
        # No step follows `done`, so a request a step returns has no review yet.
        return EngagementRequestPayload(request=FirmRequestType.from_model(row, None))

    return await atomically(run)


@strawberry.type
class FirmEngagementQuery:
    @strawberry.field(
        description="A firm's requests through its private link (the token mailed to it); "
        "anyone who holds the token."
    )
    async def engagement_inquiry(self, info: Info, token: str) -> InquiryType:
        info.context.cacheable = False  # the token is the credential: never share an answer
        return await inquiry_type(await services.inquiry_by_token(token))


@strawberry.type
class FirmEngagementMutation:
    @strawberry.mutation(
        description=f"A firm asks up to {MAX_AGENCIES} agencies of its match answer to take on "
        "its need; nobody sees the requests until the firm confirms its e-mail through the "
        f"mailed link ({CONFIRM_HOURS} hours)."
    )
    async def send_engagement_request(
        self, info: Info, input: SendEngagementRequestInput
    ) -> SendResult:
        ctx = info.context
        await ctx.count_request(ENGAGEMENTS)
        public_url = _settings(ctx).public_url

        async def run() -> services.Sent:
            agencies = tuple(local_id(a, "Agency", "agencyIds") for a in input.agency_ids)
            sent = EngagementSubmission(
                need=input.need,
                agency_ids=agencies,
                firm_name=input.firm_name,
                firm_credit_code=input.firm_credit_code,
                contact_email=input.contact_email,
                contact_phone=input.contact_phone,
                message=input.message,
                first=input.first,
            )
            return await services.send_request(ctx.viewer, sent, ctx.moment, public_url)

        done = await atomically(run)
        if isinstance(done, MutationError):
            return done
        status = EnqueueStatus.UNAVAILABLE
        if ctx.queue is not None:  # after the commit, so the worker sees the mail
            status = await ctx.queue.enqueue(DELIVER_REMINDERS, job_id=DELIVER_SOON)
        return EngagementSentPayload(
            requests=len(done.requests), confirm_hours=CONFIRM_HOURS, delivery=status
        )

    @strawberry.mutation(
        description="The firm confirms its e-mail with the mailed token: every request of the "
        "inquiry goes to its agency."
    )
    async def confirm_engagement_email(self, info: Info, token: str) -> ConfirmResult:
        ctx = info.context

        async def run() -> EngagementConfirmedPayload:
            inquiry = await services.confirm_email(ctx.viewer, token, ctx.moment)
            return EngagementConfirmedPayload(inquiry=await inquiry_type(inquiry))

        return await atomically(run)

    @strawberry.mutation(description="The firm marks an accepted request started.")
    async def start_engagement(
        self, info: Info, token: str, request_id: strawberry.ID
    ) -> StepResult:
        return await _step(info, token, request_id, Step.START)

    @strawberry.mutation(description="The firm marks a started engagement done.")
    async def finish_engagement(
        self, info: Info, token: str, request_id: strawberry.ID
    ) -> StepResult:
        return await _step(info, token, request_id, Step.FINISH)

    @strawberry.mutation(description="The firm withdraws a request the agency has not answered.")
    async def withdraw_engagement_request(
        self, info: Info, token: str, request_id: strawberry.ID
    ) -> StepResult:
        return await _step(info, token, request_id, Step.WITHDRAW)

    @strawberry.mutation(
        description="The firm reviews the agency of a done engagement, once: the review shows "
        "as a verified engagement."
    )
    async def review_engagement(self, info: Info, input: ReviewEngagementInput) -> ReviewResult:
        ctx = info.context
        await ctx.count_request(REVIEWS)

        async def run() -> ReviewPayload:
            number = plain_id(input.request_id, "an engagement request", "requestId")
            review = EngagementReview(input.rating, input.satisfied, input.comment)
            row = await services.review_engagement(
                ctx.viewer, input.token, number, review, ctx.moment
            )
            return ReviewPayload(review=ReviewType.from_model(row))

        return await atomically(run)
