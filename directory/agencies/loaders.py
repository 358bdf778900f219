"""Per-request loaders for what hangs off an agency: its links and its licences."""

from __future__ import annotations

from functools import cached_property

from strawberry.dataloader import DataLoader

from directory.agencies.models import (
    Agency,
    AgencyFieldLink,
    AgencyKindLink,
    AgencyLicence,
    AgencyRegionServed,
    AgencyServiceLink,
)
from directory.batching import grouped_loader, keyed_loader
from directory.reference.models import AgencyKind, Region, ServiceType, TechnicalField


async def _agencies(ids: list[int]) -> list[tuple[int, Agency]]:
    return [(a.id, a) for a in await Agency.filter(id__in=ids)]


async def _kinds(ids: list[int]) -> list[tuple[int, AgencyKind]]:
    links = await AgencyKindLink.filter(agency_id__in=ids).select_related("kind")
    return sorted(((link.agency_id, link.kind) for link in links), key=lambda p: p[1].position)


async def _services(ids: list[int]) -> list[tuple[int, ServiceType]]:
    links = await AgencyServiceLink.filter(agency_id__in=ids).select_related("service")
    return sorted(((link.agency_id, link.service) for link in links), key=lambda p: p[1].position)


async def _fields(ids: list[int]) -> list[tuple[int, TechnicalField]]:
    links = await AgencyFieldLink.filter(agency_id__in=ids).select_related("field")
    return sorted(((link.agency_id, link.field) for link in links), key=lambda p: p[1].position)


async def _regions_served(ids: list[int]) -> list[tuple[int, Region]]:
    links = await AgencyRegionServed.filter(agency_id__in=ids).select_related("region")
    return sorted(((link.agency_id, link.region) for link in links), key=lambda p: p[1].code)


async def _licences(ids: list[int]) -> list[tuple[int, AgencyLicence]]:
    rows = await AgencyLicence.filter(agency_id__in=ids).order_by("kind_id", "id")
    return [(row.agency_id, row) for row in rows]


class AgencyLoaders:
    """Each loader is made on first use: a request builds only those it needs."""

    @cached_property
    def agency(self) -> DataLoader[int, Agency | None]:
        return keyed_loader(_agencies)

    @cached_property
    def kinds(self) -> DataLoader[int, list[AgencyKind]]:
        return grouped_loader(_kinds)

    @cached_property
    def services(self) -> DataLoader[int, list[ServiceType]]:
        return grouped_loader(_services)

    @cached_property
    def fields(self) -> DataLoader[int, list[TechnicalField]]:
        return grouped_loader(_fields)

    @cached_property
    def regions_served(self) -> DataLoader[int, list[Region]]:
        return grouped_loader(_regions_served)

    @cached_property
    def licences(self) -> DataLoader[int, list[AgencyLicence]]:
        return grouped_loader(_licences)
