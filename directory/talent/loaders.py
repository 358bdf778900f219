"""Per-request loaders for what hangs off a practitioner."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING

from strawberry.dataloader import DataLoader
from tortoise.functions import Sum

from directory.batching import grouped_loader, keyed_loader
from directory.reference.models import TechnicalField
from directory.talent.models import (
    LicenceAssessment,
    Practitioner,
    PractitionerFieldLink,
    Qualification,
    TrainingRecord,
)

if TYPE_CHECKING:
    from directory.talent.types import PractitionerType


async def _practitioners(ids: list[int]) -> list[tuple[int, Practitioner]]:
    return [(p.id, p) for p in await Practitioner.filter(id__in=ids, removed_at=None)]


async def _of_agencies(ids: list[int]) -> list[tuple[int, Practitioner]]:
    rows = await Practitioner.filter(agency_id__in=ids, removed_at=None).order_by("name", "id")
    return [(row.agency_id, row) for row in rows if row.agency_id is not None]


async def _qualifications(ids: list[int]) -> list[tuple[int, Qualification]]:
    # In the kinds' reference order: the join only sorts, no kind object is built per row.
    rows = await Qualification.filter(practitioner_id__in=ids).order_by("kind__position", "id")
    return [(q.practitioner_id, q) for q in rows]


async def _assessments(ids: list[int]) -> list[tuple[int, LicenceAssessment]]:
    rows = await LicenceAssessment.filter(qualification_id__in=ids).order_by("-year")
    return [(a.qualification_id, a) for a in rows]


async def _training_records(ids: list[int]) -> list[tuple[int, TrainingRecord]]:
    rows = await TrainingRecord.filter(practitioner_id__in=ids).order_by("-completed_on", "-id")
    return [(r.practitioner_id, r) for r in rows]


async def _fields(ids: list[int]) -> list[tuple[int, TechnicalField]]:
    links = await PractitionerFieldLink.filter(practitioner_id__in=ids).select_related("field")
    return sorted(
        ((link.practitioner_id, link.field) for link in links), key=lambda p: p[1].position
    )


_TENTH = Decimal("0.1")  # hours are recorded to a tenth


async def _training_hours(keys: list[tuple[int, int]]) -> list[Decimal]:
    """Hours per (practitioner, calendar year): one query per distinct year asked."""
    by_year: dict[int, list[int]] = defaultdict(list)
    for practitioner_id, year in keys:
        by_year[year].append(practitioner_id)
    totals: dict[tuple[int, int], Decimal] = {}
    for year, ids in by_year.items():
        rows = (
            await TrainingRecord.filter(
                practitioner_id__in=ids,
                completed_on__gte=date(year, 1, 1),
                completed_on__lte=date(year, 12, 31),
            )
            .group_by("practitioner_id")
            .annotate(total=Sum("hours"))
            .values("practitioner_id", "total")
        )
        for row in rows:
            total = Decimal(str(row["total"] or 0)).quantize(_TENTH)
            totals[(row["practitioner_id"], year)] = total
    return [totals.get(key, Decimal("0.0")) for key in keys]


class TalentLoaders:
    """Each loader is made on first use: a request builds only those it needs."""

    @cached_property
    def practitioner(self) -> DataLoader[int, Practitioner | None]:
        return keyed_loader(_practitioners)

    @cached_property
    def of_agency(self) -> DataLoader[int, list[Practitioner]]:
        return grouped_loader(_of_agencies)

    @cached_property
    def qualifications(self) -> DataLoader[int, list[Qualification]]:
        return grouped_loader(_qualifications)

    @cached_property
    def assessments(self) -> DataLoader[int, list[LicenceAssessment]]:
        return grouped_loader(_assessments)

    @cached_property
    def fields(self) -> DataLoader[int, list[TechnicalField]]:
        return grouped_loader(_fields)

    @cached_property
    def training_records(self) -> DataLoader[int, list[TrainingRecord]]:
        return grouped_loader(_training_records)

    @cached_property
    def training_hours(self) -> DataLoader[tuple[int, int], Decimal]:
        return DataLoader(load_fn=_training_hours)

    async def people_of(self, agency_id: int) -> list[PractitionerType]:
        """An agency's active practitioners by name, as the API shows them (one query a batch).

        Here, not in the agency's type, so that agencies need not import talent's code."""
        from directory.talent.types import PractitionerType  # it imports the context, holding us

        return [PractitionerType.from_model(p) for p in await self.of_agency.load(agency_id)]
