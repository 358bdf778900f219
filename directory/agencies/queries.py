"""Agency queries: the filtered, keyset-paginated directory and single lookups."""

from __future__ import annotations

import strawberry
from tortoise.expressions import Subquery
from tortoise.queryset import QuerySet

from directory.agencies import models, presence
from directory.agencies.types import AgencyConnection, AgencyType
from directory.context import Info
from directory.ids import local_id
from directory.pagination import DEFAULT_PAGE_SIZE, edges, keyset_page, page_info
from directory.reference.codes import require_code
from directory.reference.models import AgencyKind, Region, ServiceType, TechnicalField
from directory.search.filters import name_matches
from directory.verification import Verification


@strawberry.input(description="All given conditions must hold.")
class AgencyFilter:
    text: str | None = strawberry.field(
        default=None,
        description="part of the name: 中文, English, pinyin (bazhong) or initials (bzzl)",
    )
    region: str | None = strawberry.field(
        default=None, description="office in this region or under it (a city includes its counties)"
    )
    kind: str | None = None
    service: str | None = None
    field: str | None = None
    serves_region: str | None = strawberry.field(
        default=None,
        description="office there, or listed as serving it or the city it belongs to "
        "(a city includes its counties)",
    )
    verified: bool | None = None
    status: models.AgencyStatus | None = strawberry.field(
        default=None, description="default: every status but DEREGISTERED"
    )
    licence_verification: Verification | None = strawberry.field(
        default=None,
        description="holds a licence in this state (PENDING: the bureau's work queue)",
    )


async def filtered_agencies(flt: AgencyFilter | None) -> QuerySet[models.Agency]:
    query = models.Agency.all()
    if flt is None or flt.status is None:
        query = query.exclude(status=models.AgencyStatus.DEREGISTERED)
    if flt is None:
        return query
    if flt.text and (by_name := name_matches(flt.text)) is not None:
        query = query.filter(by_name)
    if flt.region:
        code = await require_code(Region, flt.region, "region")
        query = query.filter(presence.office_in(code))
    if flt.serves_region:
        code = await require_code(Region, flt.serves_region, "servesRegion")
        query = query.filter(presence.serving(code))
    if flt.kind:
        code = await require_code(AgencyKind, flt.kind, "kind")
        links = models.AgencyKindLink.filter(kind_id=code).values("agency_id")
        query = query.filter(id__in=Subquery(links))
    if flt.service:
        code = await require_code(ServiceType, flt.service, "service")
        links = models.AgencyServiceLink.filter(service_id=code).values("agency_id")
        query = query.filter(id__in=Subquery(links))
    if flt.field:
        code = await require_code(TechnicalField, flt.field, "field")
        links = models.AgencyFieldLink.filter(field_id=code).values("agency_id")
        query = query.filter(id__in=Subquery(links))
    if flt.verified is not None:
        query = query.filter(verified=flt.verified)
    if flt.status is not None:
        query = query.filter(status=flt.status)
    if flt.licence_verification is not None:
        state = flt.licence_verification
        held = models.AgencyLicence.filter(verification=state).values("agency_id")
        query = query.filter(id__in=Subquery(held))
    return query


@strawberry.type
class AgencyQuery:
    @strawberry.field(description="The directory of agencies by name, 100 at most a page.")
    async def agencies(
        self,
        info: Info,
        filter: AgencyFilter | None = None,
        first: int = DEFAULT_PAGE_SIZE,
        after: str | None = None,
    ) -> AgencyConnection:
        query = await filtered_agencies(filter)
        page = await keyset_page(query, "name", first, after)
        info.context.agencies.agency.prime_many({row.id: row for row in page.rows})
        return AgencyConnection(
            edges=edges(page, AgencyType.from_model), page_info=page_info(page), query=query
        )

    @strawberry.field
    async def agency(self, info: Info, id: strawberry.ID) -> AgencyType | None:
        row = await info.context.agencies.agency.load(local_id(id, "Agency"))
        return AgencyType.from_model(row) if row else None
