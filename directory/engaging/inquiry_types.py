"""GraphQL types of a firm's inquiry as it sees it through its private link (the enums are
registered with the agency's types, `engaging.inbox`)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Self

import strawberry

from directory.context import Info
from directory.engagements import models
from directory.engagements.rules import CONFIRM_HOURS, Step, next_state
from directory.reviews.models import Review

if TYPE_CHECKING:
    from directory.agencies.types import AgencyType
    from directory.reviews.types import ReviewType


@strawberry.type(name="EngagementNeed", description="The need a firm asked 找代理 with.")
class NeedType:
    services: list[str]
    region: str
    field: str | None
    text: str | None
    language: str | None

    @classmethod
    def from_json(cls, need: dict[str, Any]) -> Self:
        return cls(
            services=list(need.get("services") or ()),
            region=str(need.get("region") or ""),
            field=need.get("field"),
            text=need.get("text"),
            language=need.get("language"),
        )


@strawberry.type(
    name="FirmEngagementRequest",
    description="One agency a firm asked, as the firm sees it: the state, the agency's answer "
    "and what the firm may do next.",
)
class FirmRequestType:
    id: strawberry.ID = strawberry.field(description="the request's number (requestId)")
    rank: int = strawberry.field(description="the agency's place in the match answer")
    state: models.RequestState
    released_at: datetime | None = strawberry.field(description="when the agency could see it")
    answered_at: datetime | None
    answer_note: str = strawberry.field(description="the agency's note with its answer")
    decline_reason: models.DeclineReason | None
    lapsed_at: datetime | None
    started_at: datetime | None
    done_at: datetime | None
    withdrawn_at: datetime | None
    can_start: bool
    can_finish: bool
    can_withdraw: bool
    can_review: bool = strawberry.field(description="done and not reviewed yet")
    review: Annotated[ReviewType, strawberry.lazy("directory.reviews.types")] | None = (
        strawberry.field(description="the firm's review of this engagement, once written")
    )
    agency_id: strawberry.Private[int]

    @strawberry.field(description="the agency asked")
    async def agency(
        self, info: Info
    ) -> Annotated[AgencyType, strawberry.lazy("directory.agencies.types")]:
        from directory.agencies.types import AgencyType

        agency = await info.context.agencies.agency.load(self.agency_id)
        assert agency is not None  # a foreign key guarantees it
        return AgencyType.from_model(agency)

    @classmethod
    def from_model(cls, m: models.EngagementRequest, review: Review | None) -> Self:
        from directory.reviews.types import ReviewType

        state = m.state
        return cls(
            id=strawberry.ID(str(m.id)),
            rank=m.rank,
            state=state,
            released_at=m.released_at,
            answered_at=m.answered_at,
            answer_note=m.answer_note,
            decline_reason=m.decline_reason,
            lapsed_at=m.lapsed_at,
            started_at=m.started_at,
            done_at=m.done_at,
            withdrawn_at=m.withdrawn_at,
            can_start=next_state(state, Step.START) is not None,
            can_finish=next_state(state, Step.FINISH) is not None,
            can_withdraw=next_state(state, Step.WITHDRAW) is not None,
            can_review=state is models.RequestState.DONE and review is None,
            review=None if review is None else ReviewType.from_model(review),
            agency_id=m.agency_id,
        )


@strawberry.type(
    name="EngagementInquiry",
    description="A firm's requests to agencies, as its private link shows them.",
)
class InquiryType:
    firm_name: str
    firm_credit_code: str
    contact_email: str
    contact_phone: str
    message: str
    need: NeedType
    created_at: datetime
    confirmed_at: datetime | None = strawberry.field(description="when the e-mail was confirmed")
    confirm_by: datetime | None = strawberry.field(
        description=f"until when the confirmation link works ({CONFIRM_HOURS} hours); "
        "null once confirmed"
    )
    requests: list[FirmRequestType]

    @classmethod
    def from_model(
        cls,
        m: models.Inquiry,
        requests: list[models.EngagementRequest],
        reviews: dict[int, Review],
    ) -> Self:
        return cls(
            firm_name=m.firm_name,
            firm_credit_code=m.firm_credit_code,
            contact_email=m.contact_email,
            contact_phone=m.contact_phone,
            message=m.message,
            need=NeedType.from_json(m.need),
            created_at=m.created_at,
            confirmed_at=m.confirmed_at,
            confirm_by=None if m.confirmed_at else m.confirm_expires_at,
            requests=[FirmRequestType.from_model(r, reviews.get(r.id)) for r in requests],
        )


async def inquiry_type(inquiry: models.Inquiry) -> InquiryType:
    """The inquiry with its requests and their reviews: two statements."""
    requests = await models.EngagementRequest.filter(inquiry_id=inquiry.id).order_by("rank", "id")
    reviewed = await Review.filter(engagement_id__in=[r.id for r in requests])
    by_request = {r.engagement_id: r for r in reviewed if r.engagement_id is not None}
    return InquiryType.from_model(inquiry, requests, by_request)
