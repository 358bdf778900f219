"""Reference rows every match and page reads, kept until the next committed write (`memo`).

The rows are shared by every request of the process until then: read them, never change them.
"""

from __future__ import annotations

from directory.memo import kept, kept_many
from directory.reference.models import Region, ServiceType, TechnicalField

# No region has a longer code: a longer one is not asked for.
_REGION_CODE = getattr(Region._meta.fields_map["code"], "max_length", 6)


async def _service_types() -> dict[str, ServiceType]:
    return {s.code: s for s in await ServiceType.all()}


async def service_types() -> dict[str, ServiceType]:
    """Every service type by code."""
    return await kept("service types", _service_types)


async def _field_names() -> dict[str, str]:
    return {str(c): str(n) for c, n in await TechnicalField.all().values_list("code", "name_zh")}


async def field_names() -> dict[str, str]:
    """Every technical field's Chinese name by code."""
    return await kept("field names", _field_names)


async def _regions(codes: list[str]) -> dict[str, Region]:
    wanted = [c for c in codes if c and len(c) <= _REGION_CODE and c.isprintable()]
    return {r.code: r for r in await Region.filter(code__in=wanted)} if wanted else {}


async def regions(codes: list[str]) -> dict[str, Region]:
    """The regions of `codes` that exist, by code."""
    return await kept_many("region", codes, _regions)
