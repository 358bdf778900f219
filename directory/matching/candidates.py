"""Loading what the scoring needs, in a fixed number of statements whatever the directory size.

Each statement reads one table for every candidate at once; candidates are named by a
subquery, not a list of ids, so no statement grows with the number of agencies.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tortoise.expressions import Subquery
from tortoise.queryset import QuerySet

from directory.agencies.models import (
    Agency,
    AgencyFieldLink,
    AgencyRegionServed,
    AgencyServiceLink,
    AgencyStatus,
)
from directory.matching.facts import Candidate, Licence, Person
from directory.reviews.loaders import Tally, agency_tallies, sector_tally
from directory.reviews.rating import sector_mean
from directory.talent.models import (
    Practitioner,
    PractitionerFieldLink,
    PractitionerStatus,
    Qualification,
)
from directory.talent.rules import valid_on


@dataclass(frozen=True, slots=True)
class Loaded:
    candidates: list[Candidate]
    agencies: dict[int, dict[str, Any]]  # the columns of the candidates the score reads
    mean_rating: float  # of the whole sector


def _candidate_agencies(services: Collection[str]) -> QuerySet[Agency]:
    """Active agencies offering at least one of the services."""
    offering = AgencyServiceLink.filter(service_id__in=list(services)).values("agency_id")
    return Agency.filter(status=AgencyStatus.ACTIVE, id__in=Subquery(offering))


def _candidate_ids(services: Collection[str]) -> Subquery:
    return Subquery(_candidate_agencies(services).values("id"))


@dataclass
class _Rows:
    """What the statements answered, before it is grouped by agency."""

    agencies: dict[int, dict[str, Any]]
    offered: list[Any] = field(default_factory=list)  # (agency id, service)
    fields: list[Any] = field(default_factory=list)  # (agency id, field)
    served: list[Any] = field(default_factory=list)  # (agency id, region)
    people: list[dict[str, Any]] = field(default_factory=list)
    licences: list[Any] = field(default_factory=list)  # (person id, kind, verification, ...)
    experts: set[int] = field(default_factory=set)  # people with a link to the need's field
    reviews: list[tuple[int, Tally]] = field(default_factory=list)


async def load_candidates(
    services: Collection[str],
    licence_kinds: Collection[str],
    need_field: str | None,
    today: date,
    licences_needed_by_all: bool = False,
) -> Loaded:
    """Candidates for a need, with only the valid licences of the kinds the services need."""
    ids = _candidate_ids(services)
    columns = ("id", "office_region_id", "status", "verified", "description")
    found = await _candidate_agencies(services).values(*columns)
    rows = _Rows(agencies={a["id"]: a for a in found})
    rows.offered = await AgencyServiceLink.filter(
        agency_id__in=ids, service_id__in=list(services)
    ).values_list("agency_id", "service_id")
    rows.fields = await AgencyFieldLink.filter(agency_id__in=ids).values_list(
        "agency_id", "field_id"
    )
    rows.served = await AgencyRegionServed.filter(agency_id__in=ids).values_list(
        "agency_id", "region_id"
    )
    staff = Practitioner.filter(
        agency_id__in=ids, removed_at=None, status=PractitionerStatus.ACTIVE
    )
    licensed = Qualification.filter(
        valid_on(today),
        kind_id__in=list(licence_kinds),
        practitioner_id__in=Subquery(staff.values("id")),
    )
    if licence_kinds and licences_needed_by_all:
        # Only licence holders can qualify an agency for this need: skip everyone else.
        staff = staff.filter(id__in=Subquery(licensed.values("practitioner_id")))
    rows.people = await staff.values("id", "agency_id", "name", "major", "languages")
    if licence_kinds:
        rows.licences = await licensed.values_list(
            "practitioner_id", "kind_id", "verification", "issued_on", "expires_on"
        )
    if need_field is not None:
        links = PractitionerFieldLink.filter(
            field_id=need_field, practitioner_id__in=Subquery(staff.values("id"))
        )
        rows.experts = {pid for (pid,) in await links.values_list("practitioner_id")}
    rows.reviews = await agency_tallies(ids)
    sector = await sector_tally()
    return Loaded(
        candidates=_assemble(rows, need_field),
        agencies=rows.agencies,
        mean_rating=sector_mean(sector.count, sector.stars),
    )


def _assemble(rows: _Rows, need_field: str | None) -> list[Candidate]:
    services_of: dict[int, set[str]] = defaultdict(set)
    for agency_id, service in rows.offered:
        services_of[agency_id].add(service)
    fields_of: dict[int, set[str]] = defaultdict(set)
    for agency_id, code in rows.fields:
        fields_of[agency_id].add(code)
    served_of: dict[int, list[str]] = defaultdict(list)
    for agency_id, code in sorted(rows.served):
        served_of[agency_id].append(code)
    licences_of: dict[int, list[Licence]] = defaultdict(list)
    for person_id, kind, verification, issued_on, expires_on in rows.licences:
        licences_of[person_id].append(Licence(kind, str(verification), issued_on, expires_on))
    staff_of: dict[int, list[Person]] = defaultdict(list)
    for row in sorted(rows.people, key=lambda r: r["id"]):
        # Only the need's field is loaded: it is the only one the score reads.
        known = {need_field} if need_field and row["id"] in rows.experts else set()
        staff_of[row["agency_id"]].append(
            Person(
                id=row["id"],
                name=row["name"],
                major=row["major"],
                fields=frozenset(known),
                languages=tuple(row["languages"] or ()),
                licences=tuple(licences_of[row["id"]]),
            )
        )
    rated = {agency_id: (t.count, t.stars) for agency_id, t in rows.reviews}
    return [
        Candidate(
            id=pk,
            office_region=a["office_region_id"],
            services=frozenset(services_of[pk]),
            active=a["status"] == AgencyStatus.ACTIVE,
            verified=a["verified"],
            regions_served=tuple(served_of[pk]),
            fields=frozenset(fields_of[pk]),
            description=a["description"],
            people=tuple(staff_of[pk]),
            review_count=rated.get(pk, (0, 0))[0],
            rating_sum=rated.get(pk, (0, 0))[1],
        )
        for pk, a in sorted(rows.agencies.items())
    ]
