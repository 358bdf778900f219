"""Where an agency is: an office in a region, or serving it. Every count and filter by region
reads these two, so "in Bazhong" means the same in the directory, the targets and the charts."""

from __future__ import annotations

from tortoise.expressions import Q, Subquery

from directory.agencies.models import AgencyRegionServed
from directory.reference.codes import region_prefix


def office_in(code: str) -> Q:
    """An office in region `code` or under it (a city includes its counties)."""
    return Q(office_region_id__startswith=region_prefix(code))


def serving(code: str) -> Q:
    """Agencies present in region `code`: an office under it, or serving it, a part of it, or
    its city (as matching reads regions served; a whole province served is not presence)."""
    prefix = region_prefix(code)
    covering = [code] if code.endswith("00") else [code, code[:4] + "00"]
    served = AgencyRegionServed.filter(
        Q(region_id__startswith=prefix) | Q(region_id__in=covering)
    ).values("agency_id")
    return office_in(code) | Q(id__in=Subquery(served))
