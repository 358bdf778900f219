"""The dated history behind sector growth: a few grouped queries per series, never one per row.

Agencies and practitioners follow their definitions in `figures.py`. Verified qualifications
of the practitioners counted today count from issue until expiry.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from tortoise.expressions import Subquery
from tortoise.functions import Count

from directory.talent.models import Qualification, Verification
from directory.targets.figures import agency_spans, counted_practitioners, practitioner_spans
from directory.targets.growth import Spans

__all__ = ["agency_spans", "practitioner_spans", "qualification_spans"]


async def qualification_spans(region: str | None, kind: str | None) -> dict[str, Spans]:
    """One series per qualification kind (only `kind` when given)."""
    query = Qualification.filter(
        verification=Verification.VERIFIED,
        practitioner_id__in=Subquery(counted_practitioners(region).values("id")),
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
