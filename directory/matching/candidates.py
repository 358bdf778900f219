"""Loading what the scoring needs, in a fixed number of statements whatever the directory size.

Each statement reads one table for every candidate at once; candidates are named by a
subquery, not a list of ids, so no statement grows with the number of agencies.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from directory.agencies.models import (
    Agency,
    AgencyFieldLink,
    AgencyLicence,
    AgencyRegionServed,
    AgencyServiceLink,
    AgencyStatus,
)
from directory.agencies.rules import on_abnormal_list
from directory.agencies.rules import valid_on as licence_valid_on
from directory.engagements.responsiveness import NO_REQUESTS, Responsiveness, responsiveness_of
from directory.matching.facts import Candidate, Licence, Person
from directory.reference.service_rules import NO_RULE, ServiceRule
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


def _staff() -> QuerySet[Practitioner]:
    return Practitioner.filter(removed_at=None, status=PractitionerStatus.ACTIVE)


def _valid_licences(today: date) -> QuerySet[AgencyLicence]:
    """Agency licences valid on the day (`agencies.rules`, the one definition)."""
    return AgencyLicence.filter(licence_valid_on(today))


def _allowed(rule: ServiceRule, today: date) -> Q | None:
    """Agencies one of whose ways of the rule may hold: a superset of those `allowed` admits
    (head counts are left to it), so no allowed agency is lost; None: no rule."""
    if not rule.ways:
        return None
    ways: list[Q] = []
    for way in rule.ways:
        parts = [
            Q(id__in=Subquery(_valid_licences(today).filter(kind_id=k).values("agency_id")))
            for k in way.agency_holds
        ]
        for kind in way.staff_holds:
            holders = Qualification.filter(valid_on(today), kind_id=kind).values("practitioner_id")
            staff = _staff().filter(id__in=Subquery(holders)).values("agency_id")
            parts.append(Q(id__in=Subquery(staff)))
        ways.append(Q(*parts, join_type=Q.AND))
    return Q(*ways, join_type=Q.OR)


def _candidate_agencies(
    services: Collection[str], rules: Mapping[str, ServiceRule], today: date
) -> QuerySet[Agency]:
    """Active agencies offering at least one of the services and allowed by law to."""
    each: list[Q] = []
    for service in services:
        offering = AgencyServiceLink.filter(service_id=service).values("agency_id")
        offers = Q(id__in=Subquery(offering))
        law = _allowed(rules.get(service, NO_RULE), today)
        each.append(offers if law is None else offers & law)
    return Agency.filter(Q(*each, join_type=Q.OR), status=AgencyStatus.ACTIVE)


@dataclass
class _Rows:
    """What the statements answered, before it is grouped by agency."""

    agencies: dict[int, dict[str, Any]]
    offered: list[Any] = field(default_factory=list)  # (agency id, service)
    fields: list[Any] = field(default_factory=list)  # (agency id, field)
    served: list[Any] = field(default_factory=list)  # (agency id, region)
    people: list[dict[str, Any]] = field(default_factory=list)
    licences: list[Any] = field(default_factory=list)  # (person id, kind, verification, ...)
    agency_licences: list[Any] = field(default_factory=list)  # (agency id, kind, ...)
    experts: set[int] = field(default_factory=set)  # people with a link to the need's field
    reviews: list[tuple[int, Tally]] = field(default_factory=list)
    responsiveness: dict[int, Responsiveness] = field(default_factory=dict)


async def load_candidates(
    services: Collection[str],
    rules: Mapping[str, ServiceRule],
    need_field: str | None,
    today: date,
    only: Collection[int] | None = None,
    mean_rating: float | None = None,
) -> Loaded:
    """Candidates for a need, with only the valid licences of the kinds its rules name:
    every candidate, or the agencies of `only` (ids: the scoring applies the hard rules to
    them); `mean_rating` when the caller has read it."""
    asked = [rules.get(s, NO_RULE) for s in services]
    staff_kinds = sorted({k for r in asked for k in r.staff_kinds})
    agency_kinds = sorted({k for r in asked for k in r.agency_kinds})
    ids: Subquery | list[int]
    if only is None:
        candidates = _candidate_agencies(services, rules, today)
        ids = Subquery(candidates.values("id"))
    else:
        ids = sorted(only)
        candidates = Agency.filter(id__in=ids)
    columns = (
        "id",
        "office_region_id",
        "status",
        "verified",
        "description",
        "credit_grade",
        "abnormal_since",
        "abnormal_removed_on",
    )
    found = await candidates.values(*columns)
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
    if agency_kinds:
        rows.agency_licences = await (
            _valid_licences(today)
            .filter(agency_id__in=ids, kind_id__in=agency_kinds)
            .values_list(
                "agency_id", "kind_id", "verification", "issued_on", "expires_on", "ended_on"
            )
        )
    staff = _staff().filter(agency_id__in=ids)
    licensed = Qualification.filter(
        valid_on(today),
        kind_id__in=staff_kinds,
        practitioner_id__in=Subquery(staff.values("id")),
    )
    if all(r.needs_staff for r in asked):
        # Only qualified people can make an agency allowed for this need: skip everyone else.
        staff = staff.filter(id__in=Subquery(licensed.values("practitioner_id")))
    rows.people = await staff.values("id", "agency_id", "name", "major", "languages")
    if staff_kinds:
        rows.licences = await licensed.values_list(
            "practitioner_id", "kind_id", "verification", "issued_on", "expires_on"
        )
    if need_field is not None:
        links = PractitionerFieldLink.filter(
            field_id=need_field, practitioner_id__in=Subquery(staff.values("id"))
        )
        rows.experts = {pid for (pid,) in await links.values_list("practitioner_id")}
    rows.reviews = await agency_tallies(ids)
    rows.responsiveness = dict(await responsiveness_of(list(rows.agencies), today))
    if mean_rating is None:
        mean_rating = await sector_mean_rating()
    return Loaded(
        candidates=_assemble(rows, need_field, today),
        agencies=rows.agencies,
        mean_rating=mean_rating,
    )


async def sector_mean_rating() -> float:
    sector = await sector_tally()
    return sector_mean(sector.count, sector.stars)


def _assemble(rows: _Rows, need_field: str | None, today: date) -> list[Candidate]:
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
    held_by: dict[int, list[Licence]] = defaultdict(list)
    for agency_id, kind, verification, issued_on, expires_on, ended_on in rows.agency_licences:
        held_by[agency_id].append(Licence(kind, str(verification), issued_on, expires_on, ended_on))
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
            licences=tuple(held_by[pk]),
            abnormal=on_abnormal_list(a["abnormal_since"], a["abnormal_removed_on"], today),
            credit_grade=None if a["credit_grade"] is None else str(a["credit_grade"]),
            responsiveness=rows.responsiveness.get(pk, NO_REQUESTS),
        )
        for pk, a in sorted(rows.agencies.items())
    ]
