"""Reference lists: regions, service types, agency kinds, qualification kinds, fields."""

from __future__ import annotations

import strawberry

from directory.reference import models
from directory.reference.codes import require_code
from directory.reference.types import (
    AgencyKindType,
    QualificationKindType,
    RegionType,
    ServiceTypeType,
    TechnicalFieldType,
)


@strawberry.type
class ReferenceQuery:
    @strawberry.field(description="Regions, optionally only the direct children of one region.")
    async def regions(self, parent: str | None = None) -> list[RegionType]:
        query = models.Region.all()
        if parent is not None:
            query = query.filter(parent_id=await require_code(models.Region, parent, "parent"))
        return [RegionType.from_model(r) for r in await query.order_by("code")]

    @strawberry.field
    async def service_types(self) -> list[ServiceTypeType]:
        return [ServiceTypeType.from_model(m) for m in await models.ServiceType.all()]

    @strawberry.field
    async def agency_kinds(self) -> list[AgencyKindType]:
        return [AgencyKindType.from_model(m) for m in await models.AgencyKind.all()]

    @strawberry.field
    async def qualification_kinds(self) -> list[QualificationKindType]:
        return [QualificationKindType.from_model(m) for m in await models.QualificationKind.all()]

    @strawberry.field
    async def technical_fields(self) -> list[TechnicalFieldType]:
        return [TechnicalFieldType.from_model(m) for m in await models.TechnicalField.all()]
