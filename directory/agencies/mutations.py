"""Agency mutations: the bureau registers, verifies and suspends; administrators edit."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from strawberry import UNSET

from directory.agencies import services
from directory.agencies.changes import AgencyChanges
from directory.agencies.models import Agency, AgencyStatus
from directory.agencies.types import AgencyType
from directory.context import Info
from directory.ids import local_id
from directory.inputs import from_input
from directory.results import MutationError, atomically


@strawberry.input(description="What an administrator may change of an agency's profile.")
class AgencyProfileInput:
    name_en: str | None = UNSET
    address: str | None = UNSET
    founded_on: date | None = UNSET
    description: str | None = UNSET
    contact_name: str | None = UNSET
    contact_phone: str | None = UNSET
    contact_email: str | None = UNSET
    website: str | None = UNSET
    services: list[str] | None = UNSET
    fields: list[str] | None = UNSET
    regions_served: list[str] | None = UNSET


@strawberry.input
class CreateAgencyInput(AgencyProfileInput):
    name: str
    credit_code: str
    office_region: str
    kinds: list[str]


@strawberry.input(
    description="Only the fields sent change; name, creditCode, officeRegion, "
    "kinds and foundedOn are the bureau's to change."
)
class UpdateAgencyInput(AgencyProfileInput):
    id: strawberry.ID
    version: int = strawberry.field(description="the version read; a stale one gets CONFLICT")
    name: str | None = UNSET
    credit_code: str | None = UNSET
    office_region: str | None = UNSET
    kinds: list[str] | None = UNSET


@strawberry.type
class AgencyPayload:
    agency: AgencyType


AgencyResult = Annotated[AgencyPayload | MutationError, strawberry.union("AgencyResult")]


def payload(agency: Agency) -> AgencyPayload:
    return AgencyPayload(agency=AgencyType.from_model(agency))


@strawberry.type
class AgencyMutation:
    @strawberry.mutation(description="Bureau: register an agency.")
    async def create_agency(self, info: Info, input: CreateAgencyInput) -> AgencyResult:
        ctx = info.context

        async def run() -> AgencyPayload:
            changes = from_input(AgencyChanges, input)
            return payload(await services.create_agency(ctx.viewer, changes, ctx.moment))

        return await atomically(run)

    @strawberry.mutation(description="Bureau or the agency's administrator: edit the profile.")
    async def update_agency(self, info: Info, input: UpdateAgencyInput) -> AgencyResult:
        ctx = info.context

        async def run() -> AgencyPayload:
            agency_id = local_id(input.id, "Agency")
            changes = from_input(AgencyChanges, input)
            agency = await services.update_agency(
                ctx.viewer, agency_id, input.version, changes, ctx.moment
            )
            return payload(agency)

        return await atomically(run)

    @strawberry.mutation(description="Bureau: active, suspended or deregistered.")
    async def set_agency_status(
        self, info: Info, id: strawberry.ID, version: int, status: AgencyStatus
    ) -> AgencyResult:
        ctx = info.context

        async def run() -> AgencyPayload:
            agency_id = local_id(id, "Agency")
            agency = await services.set_status(ctx.viewer, agency_id, version, status, ctx.moment)
            return payload(agency)

        return await atomically(run)

    @strawberry.mutation(description="Bureau: verify (approve) or reject an agency.")
    async def verify_agency(
        self, info: Info, id: strawberry.ID, version: int, approve: bool
    ) -> AgencyResult:
        ctx = info.context

        async def run() -> AgencyPayload:
            agency_id = local_id(id, "Agency")
            agency = await services.verify(ctx.viewer, agency_id, version, approve, ctx.moment)
            return payload(agency)

        return await atomically(run)
