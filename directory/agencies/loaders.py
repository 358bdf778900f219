"""Per-request loaders for what hangs off an agency: its links and its licences."""

from __future__ import annotations

from dataclasses import dataclass, field

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


@dataclass
class AgencyLoaders:
    agency: DataLoader[int, Agency | None] = field(default_factory=lambda: keyed_loader(_agencies))
    kinds: DataLoader[int, list[AgencyKind]] = field(default_factory=lambda: grouped_loader(_kinds))
    services: DataLoader[int, list[ServiceType]] = field(
        default_factory=lambda: grouped_loader(_services)
    )
    fields: DataLoader[int, list[TechnicalField]] = field(
        default_factory=lambda: grouped_loader(_fields)
    )
    regions_served: DataLoader[int, list[Region]] = field(
        default_factory=lambda: grouped_loader(_regions_served)
    )
    licences: DataLoader[int, list[AgencyLicence]] = field(
        default_factory=lambda: grouped_loader(_licences)
    )
