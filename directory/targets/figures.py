"""The sector's figures, each defined once: which agencies and which people count in a region.

The target check (`metrics.measure`), `sectorGrowth` (its dated history, whose last point is
today's figure) and the bureau's dashboard (which shows those two) all read these; the
directory's region filter uses the same `presence.office_in`.

- **agencies** in a region: status active (suspended and deregistered ones do not count),
  with an office in the region or under it (serving it from elsewhere does not count),
  verified by the bureau or not (the bureau registers every agency itself; verification is
  of its profile). In the history: from its founding (else its listing) until it stopped
  being active, dated by its last change, the closest date the data holds.
- **practitioners** in a region: not removed, status active, of an agency counted above (so
  not independents, nor the people of a suspended agency). In the history: from joining the
  agency (else from practising, else their listing), never before the agency counts, until
  removed or left, or the agency stops counting.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from tortoise.expressions import Q, Subquery
from tortoise.functions import Count
from tortoise.queryset import QuerySet

from directory.agencies.models import Agency, AgencyStatus
from directory.agencies.presence import office_in
from directory.clock import local_today
from directory.talent.models import Practitioner, PractitionerStatus
from directory.targets.growth import Spans

COUNTED_AGENCY_STATUSES = (AgencyStatus.ACTIVE,)
COUNTED_PRACTITIONER_STATUSES = (PractitionerStatus.ACTIVE,)


def _where(region: str | None) -> Q:
    return office_in(region) if region else Q()


def counted_agencies(region: str | None) -> QuerySet[Agency]:
    """The agencies the figure counts today in `region` (None: everywhere)."""
    return Agency.filter(_where(region), status__in=COUNTED_AGENCY_STATUSES)


def counted_practitioners(
    region: str | None, agencies: QuerySet[Agency] | None = None
) -> QuerySet[Practitioner]:
    """The practitioners the figure counts today: those of `agencies` (default: the counted
    agencies of `region`)."""
    of = agencies if agencies is not None else counted_agencies(region)
    return Practitioner.filter(
        removed_at=None,
        status__in=COUNTED_PRACTITIONER_STATUSES,
        agency_id__in=Subquery(of.values("id")),
    )


def _day(value: object) -> date:
    assert isinstance(value, datetime)
    return local_today(value)


Span = tuple[date, date | None]  # from, until (None: still counted)


def _stopped(day: date, today: date) -> date:
    """When a record that does not count today stopped counting: its date, by today at the
    latest (a clock behind the database's stamps must not count it today)."""
    return min(day, today)


async def _agency_spans_by_id(region: str | None, today: date) -> dict[int, Span]:
    """Every agency with an office in the region, whatever its status, with when it counts."""
    rows = await Agency.filter(_where(region)).values_list(
        "id", "status", "founded_on", "created_at", "updated_at"
    )
    found: dict[int, Span] = {}
    for pk, status, founded, created, updated in rows:
        stop = None if status in COUNTED_AGENCY_STATUSES else _stopped(_day(updated), today)
        found[pk] = (founded or _day(created), stop)
    return found


async def agency_spans(region: str | None, today: date) -> Spans:
    """When each agency of the region counted, up to `today` (whose count is the figure's)."""
    spans = Spans.empty()
    for start, stop in (await _agency_spans_by_id(region, today)).values():
        spans.add(start, stop)
    return spans


def _within(person: Span, agency: Span) -> Span:
    start = max(person[0], agency[0])
    stops = [d for d in (person[1], agency[1]) if d is not None]
    return start, min(stops) if stops else None


async def practitioner_spans(region: str | None, today: date) -> Spans:
    """When each practitioner of the region's agencies counted, up to `today`."""
    agencies = await _agency_spans_by_id(region, today)
    of_region = Subquery(Agency.filter(_where(region)).values("id"))
    base = Practitioner.filter(agency_id__in=of_region)
    staying = base.filter(removed_at=None, status__in=COUNTED_PRACTITIONER_STATUSES)
    spans = Spans.empty()
    grouped = await (
        staying.filter(Q(joined_agency_on__isnull=False) | Q(practising_since__isnull=False))
        .annotate(n=Count("id"))
        .group_by("agency_id", "joined_agency_on", "practising_since")
        .values("agency_id", "joined_agency_on", "practising_since", "n")
    )
    counted: dict[tuple[int, Span], int] = defaultdict(int)
    for row in grouped:
        start = row["joined_agency_on"] or row["practising_since"]
        counted[(row["agency_id"], (start, None))] += row["n"]
    undated = await staying.filter(
        joined_agency_on__isnull=True, practising_since__isnull=True
    ).values_list("agency_id", "created_at")
    for agency_id, created in undated:
        counted[(agency_id, (_day(created), None))] += 1
    gone = await base.exclude(
        removed_at=None, status__in=COUNTED_PRACTITIONER_STATUSES
    ).values_list(
        "agency_id",
        "joined_agency_on",
        "practising_since",
        "created_at",
        "removed_at",
        "updated_at",
    )
    for agency_id, joined, since, created, removed, updated in gone:
        stop = _stopped(_day(removed or updated), today)
        gone_span: Span = (joined or since or _day(created), stop)
        counted[(agency_id, gone_span)] += 1
    for (agency_id, person), n in counted.items():
        agency = agencies.get(agency_id)
        if agency is not None:  # else added after the first query: counted from tomorrow
            spans.add(*_within(person, agency), n)
    return spans
