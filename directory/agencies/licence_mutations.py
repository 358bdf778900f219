"""Mutations of an agency's licences and public standing (credit grade, abnormal list)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

import strawberry
from strawberry import UNSET

from directory.agencies import licences, standing
from directory.agencies.changes import AbnormalListing, CreditRating, LicenceChanges, LicenceEnd
from directory.agencies.models import AgencyLicence, CreditGrade
from directory.agencies.mutations import AgencyPayload, AgencyResult, payload
from directory.agencies.types import AgencyLicenceType
from directory.context import Info
from directory.ids import local_id
from directory.inputs import from_input
from directory.results import MutationError, atomically


@strawberry.input(description="A licence or filing the agency holds; the bureau checks it.")
class RecordAgencyLicenceInput:
    agency_id: strawberry.ID
    kind: str = strawberry.field(description="an agency-held kind, e.g. patent_agency_licence")
    number: str
    issuer: str | None = UNSET
    issued_on: date | None = UNSET
    expires_on: date | None = strawberry.field(
        default=UNSET, description="left out: worked out for kinds valid for a fixed time"
    )


@strawberry.input(
    description="Only the fields sent change; an administrator's change waits for the bureau."
)
class UpdateAgencyLicenceInput:
    id: strawberry.ID
    version: int
    kind: str | None = UNSET
    number: str | None = UNSET
    issuer: str | None = UNSET
    issued_on: date | None = UNSET
    expires_on: date | None = UNSET


@strawberry.input(description="Revoked, cancelled or given up on a day; null reinstates it.")
class EndAgencyLicenceInput:
    id: strawberry.ID
    version: int
    ended_on: date | None
    reason: str | None = None


@strawberry.input(description="专利代理机构信用评价 as published; a null grade clears it.")
class SetAgencyCreditRatingInput:
    id: strawberry.ID = strawberry.field(description="the agency")
    version: int = strawberry.field(description="the agency's version read")
    grade: CreditGrade | None
    score: Decimal | None = None
    graded_on: date | None = None


@strawberry.input(description="经营异常名录: listed since a day; a null since clears a mistake.")
class SetAgencyAbnormalListingInput:
    id: strawberry.ID = strawberry.field(description="the agency")
    version: int = strawberry.field(description="the agency's version read")
    since: date | None
    reason: str | None = None
    removed_on: date | None = None


@strawberry.type
class AgencyLicencePayload:
    licence: AgencyLicenceType


AgencyLicenceResult = Annotated[
    AgencyLicencePayload | MutationError, strawberry.union("AgencyLicenceResult")
]


def _licence(m: AgencyLicence) -> AgencyLicencePayload:
    return AgencyLicencePayload(licence=AgencyLicenceType.from_model(m))


@strawberry.type
class AgencyLicenceMutation:
    @strawberry.mutation(
        description="Bureau (verified at once) or the agency's administrator (pending)."
    )
    async def record_agency_licence(
        self, info: Info, input: RecordAgencyLicenceInput
    ) -> AgencyLicenceResult:
        ctx = info.context

        async def run() -> AgencyLicencePayload:
            agency_id = local_id(input.agency_id, "Agency", "agencyId")
            changes = from_input(LicenceChanges, input)
            return _licence(
                await licences.record_licence(ctx.viewer, agency_id, changes, ctx.moment)
            )

        return await atomically(run)

    @strawberry.mutation
    async def update_agency_licence(
        self, info: Info, input: UpdateAgencyLicenceInput
    ) -> AgencyLicenceResult:
        ctx = info.context

        async def run() -> AgencyLicencePayload:
            pk = local_id(input.id, "AgencyLicence")
            changes = from_input(LicenceChanges, input)
            return _licence(
                await licences.update_licence(ctx.viewer, pk, input.version, changes, ctx.moment)
            )

        return await atomically(run)

    @strawberry.mutation(description="Bureau: a licence stops holding on a day.")
    async def end_agency_licence(
        self, info: Info, input: EndAgencyLicenceInput
    ) -> AgencyLicenceResult:
        ctx = info.context

        async def run() -> AgencyLicencePayload:
            pk = local_id(input.id, "AgencyLicence")
            end = LicenceEnd(ended_on=input.ended_on, reason=input.reason)
            return _licence(
                await licences.end_licence(ctx.viewer, pk, input.version, end, ctx.moment)
            )

        return await atomically(run)

    @strawberry.mutation(description="Bureau: verify (approve) or reject a licence.")
    async def verify_agency_licence(
        self, info: Info, id: strawberry.ID, version: int, approve: bool
    ) -> AgencyLicenceResult:
        ctx = info.context

        async def run() -> AgencyLicencePayload:
            pk = local_id(id, "AgencyLicence")
            return _licence(
                await licences.verify_licence(ctx.viewer, pk, version, approve, ctx.moment)
            )

        return await atomically(run)

    @strawberry.mutation(description="Bureau: record the agency's credit grade.")
    async def set_agency_credit_rating(
        self, info: Info, input: SetAgencyCreditRatingInput
    ) -> AgencyResult:
        ctx = info.context

        async def run() -> AgencyPayload:
            agency_id = local_id(input.id, "Agency")
            rating = CreditRating(grade=input.grade, score=input.score, graded_on=input.graded_on)
            return payload(
                await standing.set_credit_rating(
                    ctx.viewer, agency_id, input.version, rating, ctx.moment
                )
            )

        return await atomically(run)

    @strawberry.mutation(description="Bureau: record the agency's abnormal-list status.")
    async def set_agency_abnormal_listing(
        self, info: Info, input: SetAgencyAbnormalListingInput
    ) -> AgencyResult:
        ctx = info.context

        async def run() -> AgencyPayload:
            agency_id = local_id(input.id, "Agency")
            listing = AbnormalListing(
                since=input.since, reason=input.reason, removed_on=input.removed_on
            )
            return payload(
                await standing.set_abnormal_listing(
                    ctx.viewer, agency_id, input.version, listing, ctx.moment
                )
            )

        return await atomically(run)
