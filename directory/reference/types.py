"""GraphQL types of the reference data, each with a code and Chinese and English labels."""

from __future__ import annotations

from typing import Any, Self

import strawberry

from directory.context import Info
from directory.reference import models

strawberry.enum(models.RegionLevel, name="RegionLevel")
strawberry.enum(models.Holder, name="QualificationHolder")


@strawberry.type(name="Region", description="An administrative division (GB/T 2260 code).")
class RegionType:
    code: str
    name_zh: str
    name_en: str
    level: models.RegionLevel
    parent_code: strawberry.Private[str | None]

    @strawberry.field
    async def parent(self, info: Info) -> RegionType | None:
        if self.parent_code is None:
            return None
        region = await info.context.reference.region.load(self.parent_code)
        return RegionType.from_model(region) if region else None

    @classmethod
    def from_model(cls, m: models.Region) -> Self:
        return cls(
            code=m.code,
            name_zh=m.name_zh,
            name_en=m.name_en,
            level=m.level,
            parent_code=m.parent_id,
        )


@strawberry.type(name="AgencyKind")
class AgencyKindType:
    code: str
    name_zh: str
    name_en: str

    @classmethod
    def from_model(cls, m: models.AgencyKind) -> Self:
        return cls(code=m.code, name_zh=m.name_zh, name_en=m.name_en)


@strawberry.type(name="TechnicalField")
class TechnicalFieldType:
    code: str
    name_zh: str
    name_en: str
    priority: bool = strawberry.field(description="a priority industry of the city's plan")

    @classmethod
    def from_model(cls, m: models.TechnicalField) -> Self:
        return cls(code=m.code, name_zh=m.name_zh, name_en=m.name_en, priority=m.priority)


@strawberry.type(name="QualificationKind")
class QualificationKindType:
    code: str
    name_zh: str
    name_en: str
    holder: models.Holder
    validity_months: int | None = strawberry.field(
        description="months a certificate stays valid; null when it never expires"
    )
    rule: strawberry.scalars.JSON = strawberry.field(
        description="the recurring duties of this kind (reminder days, annual hours, ...)"
    )

    @classmethod
    def from_model(cls, m: models.QualificationKind) -> Self:
        rule: Any = m.rule
        return cls(
            code=m.code,
            name_zh=m.name_zh,
            name_en=m.name_en,
            holder=m.holder,
            validity_months=m.validity_months,
            rule=rule,
        )


@strawberry.type(name="ServiceType")
class ServiceTypeType:
    code: str
    name_zh: str
    name_en: str
    required_qualification_code: str | None = strawberry.field(
        description="a practitioner must hold this qualification validly to offer the service"
    )

    @classmethod
    def from_model(cls, m: models.ServiceType) -> Self:
        return cls(
            code=m.code,
            name_zh=m.name_zh,
            name_en=m.name_en,
            required_qualification_code=m.required_qualification_id,
        )
