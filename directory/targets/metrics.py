"""A target's figure today: one or two COUNT queries, whatever the size of the directory, and
one query for all the statistics the targets read."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from directory.agencies.models import Agency, AgencyKindLink, AgencyServiceLink
from directory.agencies.presence import office_in
from directory.reviews.loaders import sector_tally
from directory.talent.models import Practitioner, Qualification
from directory.talent.rules import valid_on
from directory.targets import statistics
from directory.targets.figures import counted_agencies, counted_practitioners
from directory.targets.models import Metric, Statistic, Target

PARAMS = ("kind", "service", "qualification_kind", "statistic")  # the filters a target may carry

Recorded = dict[tuple[str, str], list[statistics.Value]]  # (statistic, region) -> values


def _of_kind_and_service(query: QuerySet[Agency], params: dict[str, Any]) -> QuerySet[Agency]:
    if kind := params.get("kind"):
        query = query.filter(
            id__in=Subquery(AgencyKindLink.filter(kind_id=kind).values("agency_id"))
        )
    if service := params.get("service"):
        links = AgencyServiceLink.filter(service_id=service).values("agency_id")
        query = query.filter(id__in=Subquery(links))
    return query


def scoped_agencies(region: str, params: dict[str, Any]) -> QuerySet[Agency]:
    """The agencies counted in the region (figures.py), of the kind and service asked."""
    return _of_kind_and_service(counted_agencies(region), params)


def scoped_practitioners(region: str, params: dict[str, Any]) -> QuerySet[Practitioner]:
    """The practitioners counted (figures.py) of those agencies."""
    return counted_practitioners(region, scoped_agencies(region, params))


async def recorded(targets: Sequence[Target]) -> Recorded:
    """The statistics the targets read, in one query."""
    keys = {t.params.get("statistic", "") for t in targets if t.metric.counts_statistics}
    found: Recorded = defaultdict(list)
    if not keys:
        return found
    rows = await Statistic.filter(key__in=sorted(keys)).values_list(
        "key", "region_id", "as_of", "value"
    )
    for key, region, as_of, value in rows:
        found[(key, region)].append(statistics.Value(as_of, value))
    return found


async def measure(
    metric: Metric,
    region: str,
    params: dict[str, Any],
    today: date,
    statistics_recorded: Recorded | None = None,
) -> float:
    """The figure today; a statistic without data (`figure` is None) is 0, which no target's
    threshold reaches."""
    found = await figure(metric, region, params, today, statistics_recorded)
    return 0.0 if found is None else found


async def figure(
    metric: Metric,
    region: str,
    params: dict[str, Any],
    today: date,
    statistics_recorded: Recorded | None = None,
) -> float | None:
    """The figure today; None, no data, for a statistic never recorded for the region by today
    (or a growth rate without two values a year or more apart)."""
    if metric is Metric.AGENCY_COUNT:
        return float(await scoped_agencies(region, params).count())
    if metric is Metric.PRACTITIONER_COUNT:
        return float(await scoped_practitioners(region, params).count())
    if metric is Metric.QUALIFIED_PRACTITIONER_COUNT:
        kind = params.get("qualification_kind", "")
        valid = Qualification.filter(Q(kind_id=kind) & valid_on(today)).values("practitioner_id")
        people = scoped_practitioners(region, params).filter(id__in=Subquery(valid))
        return float(await people.count())
    if metric.counts_statistics:
        values = (statistics_recorded or {}).get((params.get("statistic", ""), region), [])
        if metric is Metric.STATISTIC_VALUE:
            return statistics.latest(values, today)
        return statistics.yearly_growth(values, today)
    # reviews of agencies with an office in the region, whatever their status now
    agencies = _of_kind_and_service(Agency.filter(office_in(region)), params).values("id")
    tally = await sector_tally(Subquery(agencies))
    return tally.satisfied / tally.count if tally.count else 0.0
