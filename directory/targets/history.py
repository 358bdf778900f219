"""The dated history behind sector growth: a few grouped queries per series, never one per row.

Agencies count from their founding (else their listing) and, once deregistered, stop at their
last change (`updated_at`, the closest date the data holds). Practitioners count from joining
their agency (else from practising, else their listing) until removed. Verified qualifications
count from issue until expiry.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from tortoise.expressions import Q, Subquery
from tortoise.functions import Count

from directory.agencies.models import Agency, AgencyStatus
from directory.clock import local_today
from directory.reference.codes import region_prefix
from directory.talent.models import Practitioner, PractitionerStatus, Qualification, Verification
from directory.targets.growth import Spans


def _moment(value: object) -> datetime:
    assert isinstance(value, datetime)
    return value


def _agencies(region: str | None) -> Q:
    return Q(office_region_id__startswith=region_prefix(region)) if region else Q()


async def agency_spans(region: str | None) -> Spans:
    spans = Spans.empty()
    base = Agency.filter(_agencies(region))
    grouped = await (
        base.filter(founded_on__isnull=False)
        .exclude(status=AgencyStatus.DEREGISTERED)
        .annotate(n=Count("id"))
        .group_by("founded_on")
        .values("founded_on", "n")
    )
    for row in grouped:
        spans.add(row["founded_on"], None, row["n"])
    unfounded = (
        await base.filter(founded_on__isnull=True)
        .exclude(status=AgencyStatus.DEREGISTERED)
        .values_list("created_at", flat=True)
    )
    for created in unfounded:
        spans.add(local_today(_moment(created)), None)
    gone = await base.filter(status=AgencyStatus.DEREGISTERED).values_list(
        "founded_on", "created_at", "updated_at"
    )
    for founded, created, updated in gone:
        spans.add(founded or local_today(created), local_today(updated))
    return spans


def _people(region: str | None) -> Q:
    if not region:
        return Q(agency_id__isnull=False)
    agencies = Agency.filter(_agencies(region)).values("id")
    return Q(agency_id__in=Subquery(agencies))


async def practitioner_spans(region: str | None) -> Spans:
    spans = Spans.empty()
    base = Practitioner.filter(_people(region))
    staying = base.filter(removed_at=None, status=PractitionerStatus.ACTIVE)
    grouped = await (
        staying.filter(Q(joined_agency_on__isnull=False) | Q(practising_since__isnull=False))
        .annotate(n=Count("id"))
        .group_by("joined_agency_on", "practising_since")
        .values("joined_agency_on", "practising_since", "n")
    )
    for row in grouped:
        spans.add(row["joined_agency_on"] or row["practising_since"], None, row["n"])
    undated = await staying.filter(
        joined_agency_on__isnull=True, practising_since__isnull=True
    ).values_list("created_at", flat=True)
    for created in undated:
        spans.add(local_today(_moment(created)), None)
    gone = await base.filter(
        Q(removed_at__isnull=False) | Q(status=PractitionerStatus.LEFT)
    ).values_list("joined_agency_on", "practising_since", "created_at", "removed_at", "updated_at")
    for joined, since, created, removed, updated in gone:
        spans.add(joined or since or local_today(created), local_today(removed or updated))
    return spans


async def qualification_spans(region: str | None, kind: str | None) -> dict[str, Spans]:
    """One series per qualification kind (only `kind` when given)."""
    query = Qualification.filter(
        verification=Verification.VERIFIED,
        practitioner__removed_at=None,
        practitioner_id__in=Subquery(Practitioner.filter(_people(region)).values("id")),
    )
    if kind:
        query = query.filter(kind_id=kind)
    grouped = await (
        query.annotate(n=Count("id"))
        .group_by("kind_id", "issued_on", "expires_on")
        .values("kind_id", "issued_on", "expires_on", "n")
    )
    found: dict[str, Spans] = defaultdict(Spans.empty)
    for row in grouped:
        expires = row["expires_on"]
        stop = expires + timedelta(days=1) if expires else None  # valid through its last day
        found[row["kind_id"]].add(row["issued_on"], stop, row["n"])
    return dict(found)
