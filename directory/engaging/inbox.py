"""The agency's requests over GraphQL: the list it was sent (its administrator and the bureau)
and its answer (its administrator only)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Self

import strawberry

from directory.context import Context, Info
from directory.engagements import models
from directory.engaging import answers
from directory.engaging.answers import DECLINE_WORDS, AgencyAnswer
from directory.errors import ErrorCode, Rejected, says
from directory.ids import local_id, plain_id
from directory.matching.scoring import LABELS
from directory.matching.types import MatchReasonType
from directory.queue import DELIVER_REMINDERS, DELIVER_SOON
from directory.reference.memory import service_types
from directory.reference.models import ServiceType
from directory.reference.types import RegionType, ServiceTypeType
from directory.results import MutationError, atomically
from directory.settings import Settings, get_settings

strawberry.enum(models.RequestState, name="EngagementState")
strawberry.enum(models.DeclineReason, name="DeclineReason")

MAX_LISTED = 100  # requests in one answer


def _settings(ctx: Context) -> Settings:
    if ctx.request is not None:
        settings: Settings = ctx.request.app.state.settings
        return settings
    return get_settings()


def _offered(answer: list[dict[str, Any]], agency_id: int) -> dict[str, Any]:
    """This agency's entry of the match answer the firm chose from."""
    for entry in answer:
        if entry.get("agencyId", entry.get("agency_id")) == agency_id:
            return entry
    return {}


def _reason(r: dict[str, Any]) -> MatchReasonType:
    code = str(r.get("code", ""))
    zh, en = LABELS.get(code, (code, code))
    return MatchReasonType(
        code=code,
        label_zh=zh,
        label_en=en,
        weight=float(r.get("weight", 0)),
        value=float(r.get("value", 0)),
        detail_zh=str(r.get("detailZh", r.get("detail_zh", ""))),
        detail_en=str(r.get("detailEn", r.get("detail_en", ""))),
    )


@strawberry.type(name="DeclineReasonChoice", description="A reason an agency may decline with.")
class DeclineReasonChoice:
    reason: models.DeclineReason
    label_zh: str
    label_en: str


@strawberry.type(
    name="AgencyEngagementRequest",
    description="A firm's request as the agency asked sees it (and the bureau): the firm, its "
    "contact and need, what the match offered, and the answer.",
)
class AgencyRequestType:
    id: strawberry.ID = strawberry.field(description="the request's number")
    agency_id: strawberry.ID
    state: models.RequestState
    rank: int = strawberry.field(description="the agency's place in the firm's match answer")
    score: float | None = strawberry.field(description="its match score, as the firm saw it")
    reasons: list[MatchReasonType] = strawberry.field(description="why the match offered it")
    firm_name: str
    firm_credit_code: str
    contact_email: str = strawberry.field(description="private: the agency asked and the bureau")
    contact_phone: str = strawberry.field(description="private: the agency asked and the bureau")
    message: str = strawberry.field(description="what the firm wrote to the agencies")
    services: list[ServiceTypeType] = strawberry.field(description="the services asked for")
    need_text: str | None = strawberry.field(description="the work in the firm's words")
    need_field: str | None = strawberry.field(description="the technical field code asked")
    need_language: str | None
    released_at: datetime = strawberry.field(description="when the firm confirmed its e-mail")
    answer_by: datetime | None = strawberry.field(description="when it lapses unless answered")
    answered_at: datetime | None
    answer_note: str
    decline_reason: models.DeclineReason | None
    lapsed_at: datetime | None
    started_at: datetime | None
    done_at: datetime | None
    withdrawn_at: datetime | None
    version: int
    region_code: strawberry.Private[str]

    @strawberry.field(description="the firm's region")
    async def region(self, info: Info) -> RegionType | None:
        found = await info.context.reference.region.load(self.region_code)
        return RegionType.from_model(found) if found else None

    @classmethod
    def from_model(cls, m: models.EngagementRequest, services: dict[str, ServiceType]) -> Self:
        inquiry = m.inquiry
        need = inquiry.need
        offered = _offered(inquiry.match_answer, m.agency_id)
        score = offered.get("score")
        assert m.released_at is not None  # only released requests are listed
        return cls(
            id=strawberry.ID(str(m.id)),
            agency_id=strawberry.ID(strawberry.relay.to_base64("Agency", m.agency_id)),
            state=m.state,
            rank=m.rank,
            score=float(score) if score is not None else None,
            reasons=[_reason(r) for r in offered.get("reasons", ())],
            firm_name=inquiry.firm_name,
            firm_credit_code=inquiry.firm_credit_code,
            contact_email=inquiry.contact_email,
            contact_phone=inquiry.contact_phone,
            message=inquiry.message,
            services=[
                ServiceTypeType.from_model(services[c])
                for c in need.get("services", ())
                if c in services
            ],
            need_text=need.get("text"),
            need_field=need.get("field"),
            need_language=need.get("language"),
            released_at=m.released_at,
            answer_by=answers.answer_deadline(m) if m.state is models.RequestState.OPEN else None,
            answered_at=m.answered_at,
            answer_note=m.answer_note,
            decline_reason=m.decline_reason,
            lapsed_at=m.lapsed_at,
            started_at=m.started_at,
            done_at=m.done_at,
            withdrawn_at=m.withdrawn_at,
            version=m.version,
            region_code=str(need.get("region", "")),
        )


@strawberry.type(
    name="AgencyEngagementRequestConnection",
    description="A page of an agency's requests (`first` counts its cost, as connections do).",
)
class AgencyRequestList:
    total_count: int
    requests: list[AgencyRequestType] = strawberry.field(description="open first, then newest")


@strawberry.type
class AgencyEngagementQuery:
    @strawberry.field(
        description="The requests firms sent an agency, once released: its administrator sees "
        "its own, the bureau any agency's (all agencies' without `agencyId`). Open first."
    )
    async def agency_engagement_requests(
        self,
        info: Info,
        agency_id: strawberry.ID | None = None,
        states: list[models.RequestState] | None = None,
        first: int = 50,
        offset: int = 0,
    ) -> AgencyRequestList:
        if not 0 <= first <= MAX_LISTED or offset < 0:
            message = says(
                f"first 须在 0 到 {MAX_LISTED} 之间，offset 不能为负",
                f"first must be 0 to {MAX_LISTED} and offset not negative",
            )
            raise Rejected.one(ErrorCode.PAGE_SIZE_EXCEEDED, "first", message)
        info.context.cacheable = False  # private contacts, changing with every answer
        agency = local_id(agency_id, "Agency", "agencyId") if agency_id is not None else None
        total, rows = await answers.agency_requests(
            info.context.viewer, agency, tuple(states or ()), first, offset
        )
        services = await service_types()
        return AgencyRequestList(
            total_count=total, requests=[AgencyRequestType.from_model(r, services) for r in rows]
        )

    @strawberry.field(
        description="One released request: to its agency's administrator and the bureau; "
        "null for any other request."
    )
    async def agency_engagement_request(
        self, info: Info, id: strawberry.ID
    ) -> AgencyRequestType | None:
        info.context.cacheable = False
        row = await answers.agency_request(info.context.viewer, plain_id(id, "a request"))
        if row is None:
            return None
        services = await service_types()
        return AgencyRequestType.from_model(row, services)

    @strawberry.field(description="The reasons an agency may decline a request with, in order.")
    def decline_reasons(self) -> list[DeclineReasonChoice]:
        return [DeclineReasonChoice(reason=r, label_zh=zh, label_en=en)
                for r, (zh, en) in DECLINE_WORDS.items()]  # fmt: skip


@strawberry.type
class AgencyEngagementAnswered:
    request: AgencyRequestType


AnswerResult = Annotated[
    AgencyEngagementAnswered | MutationError, strawberry.union("AnswerEngagementResult")
]


@strawberry.type
class AgencyEngagementMutation:
    @strawberry.mutation(
        description="The agency's own administrator accepts (a note optional) or declines (a "
        "declineReason; a note with OTHER) an open request; the firm is told by e-mail. "
        "The bureau may not answer for an agency."
    )
    async def answer_engagement_request(
        self,
        info: Info,
        id: strawberry.ID,
        accept: bool,
        note: str = "",
        decline_reason: models.DeclineReason | None = None,
    ) -> AnswerResult:
        ctx = info.context
        settings = _settings(ctx)

        async def run() -> AgencyEngagementAnswered:
            number = plain_id(id, "an engagement request")
            answer = AgencyAnswer(accept=accept, note=note, decline_reason=decline_reason)
            row = await answers.answer_request(ctx.viewer, number, answer, ctx.moment, settings)
            services = await service_types()
            return AgencyEngagementAnswered(request=AgencyRequestType.from_model(row, services))

        done = await atomically(run)
        if not isinstance(done, MutationError) and ctx.queue is not None:
            # after the commit, so that the worker sees the firm's mail in the outbox
            await ctx.queue.enqueue(DELIVER_REMINDERS, job_id=DELIVER_SOON)
        return done
