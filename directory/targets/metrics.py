"""A target's figure today: one or two COUNT queries, whatever the size of the directory."""

from __future__ import annotations

from datetime import date
from typing import Any

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from directory.agencies.models import Agency, AgencyKindLink, AgencyServiceLink, AgencyStatus
from directory.reference.codes import region_prefix
from directory.reviews.loaders import sector_tally
from directory.talent.models import Practitioner, PractitionerStatus, Qualification
from directory.talent.rules import valid_on
from directory.targets.models import Metric

PARAMS = ("kind", "service", "qualification_kind")  # the filters a target may carry


def scoped_agencies(
    region: str, params: dict[str, Any], active_only: bool = True
) -> QuerySet[Agency]:
    """Agencies with an office in the region (or under it), of the kind and service asked."""
    query = Agency.filter(office_region_id__startswith=region_prefix(region))
    if active_only:
        query = query.filter(status=AgencyStatus.ACTIVE)
    if kind := params.get("kind"):
        query = query.filter(
            id__in=Subquery(AgencyKindLink.filter(kind_id=kind).values("agency_id"))
        )
    if service := params.get("service"):
        links = AgencyServiceLink.filter(service_id=service).values("agency_id")
        query = query.filter(id__in=Subquery(links))
    return query


def scoped_practitioners(region: str, params: dict[str, Any]) -> QuerySet[Practitioner]:
    """Active practitioners of those agencies."""
    agencies = scoped_agencies(region, params).values("id")
    return Practitioner.filter(
        removed_at=None, status=PractitionerStatus.ACTIVE, agency_id__in=Subquery(agencies)
    )


async def measure(metric: Metric, region: str, params: dict[str, Any], today: date) -> float:
    if metric is Metric.AGENCY_COUNT:
        return float(await scoped_agencies(region, params).count())
    if metric is Metric.PRACTITIONER_COUNT:
        return float(await scoped_practitioners(region, params).count())
    if metric is Metric.QUALIFIED_PRACTITIONER_COUNT:
        kind = params.get("qualification_kind", "")
        valid = Qualification.filter(Q(kind_id=kind) & valid_on(today)).values("practitioner_id")
        people = scoped_practitioners(region, params).filter(id__in=Subquery(valid))
        return float(await people.count())
    agencies = scoped_agencies(region, params, active_only=False).values("id")
    tally = await sector_tally(Subquery(agencies))
    return tally.satisfied / tally.count if tally.count else 0.0
