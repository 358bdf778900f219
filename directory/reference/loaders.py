"""Per-request loaders for reference rows by code."""

from __future__ import annotations

from functools import cached_property

from strawberry.dataloader import DataLoader

from directory.batching import keyed_loader
from directory.reference.memory import regions
from directory.reference.models import QualificationKind, Region, ServiceType


async def _regions(codes: list[str]) -> list[tuple[str, Region]]:
    return list((await regions(codes)).items())


async def _qualification_kinds(codes: list[str]) -> list[tuple[str, QualificationKind]]:
    return [(k.code, k) for k in await QualificationKind.filter(code__in=codes)]


async def _service_types(codes: list[str]) -> list[tuple[str, ServiceType]]:
    return [(s.code, s) for s in await ServiceType.filter(code__in=codes)]


class ReferenceLoaders:
    """Each loader is made on first use: a request builds only those it needs."""

    @cached_property
    def region(self) -> DataLoader[str, Region | None]:
        return keyed_loader(_regions)

    @cached_property
    def qualification_kind(self) -> DataLoader[str, QualificationKind | None]:
        return keyed_loader(_qualification_kinds)

    @cached_property
    def service_type(self) -> DataLoader[str, ServiceType | None]:
        return keyed_loader(_service_types)
