"""GraphQL types of agencies, built from the ORM rows with `from_model`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, Self

import strawberry
from strawberry import relay

from directory.agencies import models
from directory.context import Info
from directory.reference.types import (
    AgencyKindType,
    QualificationKindType,
    RegionType,
    ServiceTypeType,
    TechnicalFieldType,
)

if TYPE_CHECKING:
    from directory.reviews.types import RatingType
    from directory.talent.types import PractitionerType


strawberry.enum(models.AgencyStatus, name="AgencyStatus")


@strawberry.type(name="AgencyLicence", description="A licence or filing the agency holds.")
class AgencyLicenceType:
    number: str
    issuer: str
    issued_on: date | None
    expires_on: date | None
    kind_code: strawberry.Private[str]

    @strawberry.field
    async def kind(self, info: Info) -> QualificationKindType:
        kind = await info.context.reference.qualification_kind.load(self.kind_code)
        assert kind is not None  # a foreign key guarantees it
        return QualificationKindType.from_model(kind)

    @classmethod
    def from_model(cls, m: models.AgencyLicence) -> Self:
        return cls(
            number=m.number,
            issuer=m.issuer,
            issued_on=m.issued_on,
            expires_on=m.expires_on,
            kind_code=m.kind_id,
        )


@strawberry.type(name="Agency", description="An IP service agency (知识产权服务机构).")
class AgencyType(relay.Node):
    id: relay.NodeID[int]
    version: int = strawberry.field(description="send it back with an update")
    name: str
    name_en: str
    credit_code: str = strawberry.field(description="unified social credit code (GB 32100)")
    status: models.AgencyStatus
    verified: bool = strawberry.field(description="verified by the bureau")
    address: str
    founded_on: date | None
    description: str
    contact_name: str
    contact_phone: str = strawberry.field(description="the public business line")
    contact_email: str
    website: str
    office_region_code: strawberry.Private[str]

    @strawberry.field
    async def office_region(self, info: Info) -> RegionType:
        region = await info.context.reference.region.load(self.office_region_code)
        assert region is not None  # a foreign key guarantees it
        return RegionType.from_model(region)

    @strawberry.field
    async def kinds(self, info: Info) -> list[AgencyKindType]:
        return [
            AgencyKindType.from_model(k) for k in await info.context.agencies.kinds.load(self.id)
        ]

    @strawberry.field
    async def services(self, info: Info) -> list[ServiceTypeType]:
        rows = await info.context.agencies.services.load(self.id)
        return [ServiceTypeType.from_model(s) for s in rows]

    @strawberry.field
    async def fields(self, info: Info) -> list[TechnicalFieldType]:
        rows = await info.context.agencies.fields.load(self.id)
        return [TechnicalFieldType.from_model(f) for f in rows]

    @strawberry.field
    async def regions_served(self, info: Info) -> list[RegionType]:
        rows = await info.context.agencies.regions_served.load(self.id)
        return [RegionType.from_model(r) for r in rows]

    @strawberry.field
    async def licences(self, info: Info) -> list[AgencyLicenceType]:
        rows = await info.context.agencies.licences.load(self.id)
        return [AgencyLicenceType.from_model(m) for m in rows]

    @strawberry.field(description="Visible reviews summed up; the shrunk average ranks fairly.")
    async def rating(
        self, info: Info
    ) -> Annotated[RatingType, strawberry.lazy("directory.reviews.types")]:
        return await info.context.reviews.rating(self.id)

    @strawberry.field(description="Active practitioners of this agency, by name.")
    async def practitioners(
        self, info: Info
    ) -> list[Annotated[PractitionerType, strawberry.lazy("directory.talent.types")]]:
        return await info.context.talent.people_of(self.id)

    @classmethod
    def from_model(cls, m: models.Agency) -> Self:
        return cls(
            id=m.id,
            version=m.version,
            name=m.name,
            name_en=m.name_en,
            credit_code=m.credit_code,
            status=m.status,
            verified=m.verified,
            address=m.address,
            founded_on=m.founded_on,
            description=m.description,
            contact_name=m.contact_name,
            contact_phone=m.contact_phone,
            contact_email=m.contact_email,
            website=m.website,
            office_region_code=m.office_region_id,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> Iterable[Self | None]:
        ids = [int(i) if str(i).isdigit() else -1 for i in node_ids]
        rows = await info.context.agencies.agency.load_many(ids)
        return [cls.from_model(r) if r else None for r in rows]


@strawberry.type(name="AgencyConnection")
class AgencyConnection(relay.Connection[AgencyType]):
    query: strawberry.Private[Any]

    @strawberry.field(description="How many agencies match the filter, on all pages.")
    async def total_count(self) -> int:
        count: int = await self.query.count()
        return count
