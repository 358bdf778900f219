"""Per-request loaders for reference rows by code."""

from __future__ import annotations

from dataclasses import dataclass, field

from strawberry.dataloader import DataLoader

from directory.batching import keyed_loader
from directory.reference.models import QualificationKind, Region


async def _regions(codes: list[str]) -> list[tuple[str, Region]]:
    return [(r.code, r) for r in await Region.filter(code__in=codes)]


async def _qualification_kinds(codes: list[str]) -> list[tuple[str, QualificationKind]]:
    return [(k.code, k) for k in await QualificationKind.filter(code__in=codes)]


@dataclass
class ReferenceLoaders:
    region: DataLoader[str, Region | None] = field(default_factory=lambda: keyed_loader(_regions))
    qualification_kind: DataLoader[str, QualificationKind | None] = field(
        default_factory=lambda: keyed_loader(_qualification_kinds)
    )
