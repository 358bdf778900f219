"""GraphQL types of agencies, built from the ORM rows with `from_model`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Self

import strawberry
from strawberry import relay

from directory.agencies import models, rules
from directory.context import Info
from directory.engagements.responsiveness import NO_REQUESTS
from directory.engagements.responsiveness_type import ResponsivenessType
from directory.ids import rows_by_node_id
from directory.pagination import MAX_PAGE_SIZE, check_first
from directory.reference.types import (
    AgencyKindType,
    QualificationKindType,
    RegionType,
    ServiceTypeType,
    TechnicalFieldType,
)
from directory.verification import Verification

if TYPE_CHECKING:
    from directory.reviews.types import RatingType
    from directory.talent.types import PractitionerType


strawberry.enum(models.AgencyStatus, name="AgencyStatus")
strawberry.enum(models.CreditGrade, name="CreditGrade")


@strawberry.type(name="AgencyLicence", description="A licence or filing the agency holds.")
class AgencyLicenceType(relay.Node):
    id: relay.NodeID[int]
    version: int = strawberry.field(description="send it back with an update")
    number: str
    issuer: str
    issued_on: date | None
    expires_on: date | None
    ended_on: date | None = strawberry.field(
        description="revoked, cancelled or given up on this day: not held from then on"
    )
    end_reason: str
    verification: Verification
    verified_at: datetime | None
    agency_id: strawberry.Private[int]
    kind_code: strawberry.Private[str]

    @strawberry.field
    async def kind(self, info: Info) -> QualificationKindType:
        kind = await info.context.reference.qualification_kind.load(self.kind_code)
        assert kind is not None  # a foreign key guarantees it
        return QualificationKindType.from_model(kind)

    @strawberry.field(
        description="Verified, issued, not expired and not ended on the given day (default: today)."
    )
    def is_valid(self, info: Info, on: date | None = None) -> bool:
        day = on or info.context.today
        return rules.is_valid(
            self.verification, self.issued_on, self.expires_on, self.ended_on, day
        )

    @classmethod
    def from_model(cls, m: models.AgencyLicence) -> Self:
        return cls(
            id=m.id,
            version=m.version,
            number=m.number,
            issuer=m.issuer,
            issued_on=m.issued_on,
            expires_on=m.expires_on,
            ended_on=m.ended_on,
            end_reason=m.end_reason,
            verification=m.verification,
            verified_at=m.verified_at,
            agency_id=m.agency_id,
            kind_code=m.kind_id,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> Iterable[Self | None]:
        rows = await rows_by_node_id(models.AgencyLicence, node_ids)
        return [cls.from_model(r) if r else None for r in rows]


@strawberry.type(
    name="CreditRating", description="专利代理机构信用评价: the grade last published, public."
)
class CreditRatingType:
    grade: models.CreditGrade
    score: Decimal | None = strawberry.field(description="points out of 100")
    graded_on: date | None


@strawberry.type(
    name="AbnormalListing",
    description="经营异常名录 (abnormal-operation list): public. The latest listing, "
    "current until removedOn.",
)
class AbnormalListingType:
    since: date
    reason: str
    removed_on: date | None

    @strawberry.field(description="On the list on the given day (default: today).")
    def is_current(self, info: Info, on: date | None = None) -> bool:
        return rules.on_abnormal_list(self.since, self.removed_on, on or info.context.today)


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
    credit_rating: CreditRatingType | None = strawberry.field(
        description="专利代理机构信用评价, as last recorded by the bureau"
    )
    abnormal_listing: AbnormalListingType | None = strawberry.field(
        description="the latest 经营异常名录 listing, current or ended"
    )
    office_region_code: strawberry.Private[str]

    @strawberry.field(description="On the 经营异常名录 on the given day (default: today).")
    def on_abnormal_list(self, info: Info, on: date | None = None) -> bool:
        listing = self.abnormal_listing
        day = on or info.context.today
        return listing is not None and rules.on_abnormal_list(
            listing.since, listing.removed_on, day
        )

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

    @strawberry.field(
        description="Its licences and filings, ended ones too (see isValid); pending and "
        "rejected ones only for the bureau and the agency itself."
    )
    async def licences(self, info: Info) -> list[AgencyLicenceType]:
        rows = await info.context.agencies.licences.load(self.id)
        if not info.context.viewer.can_see_private(self.id):  # the public sees checked ones
            rows = [m for m in rows if m.verification == Verification.VERIFIED]
        return [AgencyLicenceType.from_model(m) for m in rows]

    @strawberry.field(description="Visible reviews summed up; the shrunk average ranks fairly.")
    async def rating(
        self, info: Info
    ) -> Annotated[RatingType, strawberry.lazy("directory.reviews.types")]:
        return await info.context.reviews.rating(self.id)

    @strawberry.field(
        description="How promptly it answers engagement requests (public counts, no firm data)."
    )
    async def responsiveness(self, info: Info) -> ResponsivenessType:
        found = await info.context.responsiveness.load(self.id)
        return ResponsivenessType.from_figures(found or NO_REQUESTS)

    @strawberry.field(
        description="Active practitioners of this agency, by name: the first `first` (100 at "
        "most); the practitioners connection with filter.agency pages through them all."
    )
    async def practitioners(
        self, info: Info, first: int = MAX_PAGE_SIZE
    ) -> list[Annotated[PractitionerType, strawberry.lazy("directory.talent.types")]]:
        check_first(first)
        return (await info.context.talent.people_of(self.id))[:first]

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
            credit_rating=_credit_rating(m),
            abnormal_listing=_abnormal_listing(m),
            office_region_code=m.office_region_id,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> Iterable[Self | None]:
        ids = [int(i) if str(i).isdigit() else -1 for i in node_ids]
        rows = await info.context.agencies.agency.load_many(ids)
        return [cls.from_model(r) if r else None for r in rows]


def _credit_rating(m: models.Agency) -> CreditRatingType | None:
    if m.credit_grade is None:
        return None
    return CreditRatingType(
        grade=m.credit_grade, score=m.credit_score, graded_on=m.credit_graded_on
    )


def _abnormal_listing(m: models.Agency) -> AbnormalListingType | None:
    if m.abnormal_since is None:
        return None
    return AbnormalListingType(
        since=m.abnormal_since, reason=m.abnormal_reason, removed_on=m.abnormal_removed_on
    )


@strawberry.type(name="AgencyConnection")
class AgencyConnection(relay.Connection[AgencyType]):
    query: strawberry.Private[Any]

    @strawberry.field(description="How many agencies match the filter, on all pages.")
    async def total_count(self) -> int:
        count: int = await self.query.count()
        return count
