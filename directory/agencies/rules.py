"""When an agency's licence counts as valid, and when an agency is on the abnormal list.

The one definition of "a valid licence of an agency" that the pages, matching and the
reminders use: in Python (`is_valid`), as a query filter (`valid_on`) and loaded in bulk
(`valid_licences`). `tests/test_agency_licence_validity.py` checks the three against each other.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date

from tortoise.expressions import Q

from directory.agencies.models import AgencyLicence
from directory.clock import Moment
from directory.verification import holds, holds_on


def is_valid(
    verification: str,
    issued_on: date | None,
    expires_on: date | None,
    ended_on: date | None,
    on: date,
) -> bool:
    """Valid on a day: verified by the bureau, already issued, not expired and not ended
    (a licence ended on a day no longer holds that day)."""
    ended = ended_on is not None and ended_on <= on
    return not ended and holds(verification, issued_on, expires_on, on)


def valid_on(on: date) -> Q:
    """The `is_valid` rule as a filter on AgencyLicence."""
    return holds_on(on) & (Q(ended_on__isnull=True) | Q(ended_on__gt=on))


def licence_is_valid(licence: AgencyLicence, on: date) -> bool:
    return is_valid(
        licence.verification, licence.issued_on, licence.expires_on, licence.ended_on, on
    )


async def valid_licences(
    agency_ids: Collection[int], at: Moment | date, kinds: Collection[str] | None = None
) -> dict[int, list[AgencyLicence]]:
    """{agency id: its valid licences on the day of `at`, by kind}, in one query; agencies
    without one are left out. `kinds` narrows to those licence kinds."""
    day = at.today if isinstance(at, Moment) else at
    query = AgencyLicence.filter(valid_on(day), agency_id__in=list(agency_ids))
    if kinds is not None:
        query = query.filter(kind_id__in=list(kinds))
    found: dict[int, list[AgencyLicence]] = defaultdict(list)
    for licence in await query.order_by("kind_id", "id"):
        found[licence.agency_id].append(licence)
    return dict(found)


def on_abnormal_list(since: date | None, removed_on: date | None, on: date) -> bool:
    """On the 经营异常名录 on a day: listed by then and not yet removed (removed that day: off)."""
    if since is None or since > on:
        return False
    return removed_on is None or removed_on > on


def abnormal_on(on: date) -> Q:
    """The `on_abnormal_list` rule as a filter on Agency."""
    return (
        Q(abnormal_since__isnull=False)
        & Q(abnormal_since__lte=on)
        & (Q(abnormal_removed_on__isnull=True) | Q(abnormal_removed_on__gt=on))
    )
