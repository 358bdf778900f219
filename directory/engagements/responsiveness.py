"""How promptly an agency answers engagement requests, and what that is worth in a match.

The figures count the requests released to the agency within the window (`window`): those it
answered (accepted or declined, whatever followed) and those that lapsed unanswered; requests
still open or withdrawn before an answer say nothing of it yet. The median is over the
answered ones, in hours from release to answer. One statement answers a whole set of
agencies (or the sector), on SQLite and PostgreSQL alike.

The window is counted in Asia/Shanghai days, up to the end of the day: the figures are then
the same all day for the same data, as the response cache assumes of every answer.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from tortoise import connections

from directory.clock import CALENDAR_TZ
from directory.engagements.models import RequestState
from directory.engagements.rules import RESPONSE_WINDOW_DAYS

SPEED_HALF_HOURS = 24.0  # a median answer after this many hours is worth half a prompt one
PRIOR_REQUESTS = 5.0  # requests' worth of weight the sector value carries in an agency's value
SECTOR_PRIOR_REQUESTS = 20.0  # requests' worth of weight NEUTRAL carries in the sector value
NEUTRAL = 0.5  # the sector value assumed before the sector has answered anything


@dataclass(frozen=True, slots=True)
class Responsiveness:
    """An agency's (or the sector's) requests in the window, answered or lapsed."""

    requests: int = 0  # answered or lapsed
    answered: int = 0
    median_hours: float | None = None  # of the answered ones; None when none was

    @property
    def answer_rate(self) -> float | None:
        return self.answered / self.requests if self.requests else None


NO_REQUESTS = Responsiveness()


def raw_value(r: Responsiveness) -> float:
    """0..1: the answer rate times how soon the median answer came (1 for at once)."""
    if not r.requests or r.median_hours is None:
        return 0.0
    speed = SPEED_HALF_HOURS / (SPEED_HALF_HOURS + max(r.median_hours, 0.0))
    return r.answered / r.requests * speed


def shrunk_value(r: Responsiveness, sector: float) -> float:
    """The agency's value pulled toward the sector's by PRIOR_REQUESTS, as ratings are."""
    return (PRIOR_REQUESTS * sector + r.requests * raw_value(r)) / (PRIOR_REQUESTS + r.requests)


def sector_value(r: Responsiveness) -> float:
    """The sector's value, itself held near NEUTRAL while requests are few."""
    n = r.requests
    return (SECTOR_PRIOR_REQUESTS * NEUTRAL + n * raw_value(r)) / (SECTOR_PRIOR_REQUESTS + n)


def window(today: date) -> tuple[datetime, datetime]:
    """The instants the figures of `today` count releases between: from the start of the day
    RESPONSE_WINDOW_DAYS days back to the end of today, Asia/Shanghai."""
    start = datetime.combine(today - timedelta(days=RESPONSE_WINDOW_DAYS - 1), time(), CALENDAR_TZ)
    end = datetime.combine(today + timedelta(days=1), time(), CALENDAR_TZ)
    return start, end


def _statement(postgres: bool, by_agency: bool) -> str:
    if postgres:
        hours = "EXTRACT(EPOCH FROM (answered_at - released_at)) / 3600.0"
        released = "released_at >= $1 AND released_at < $2"
        agencies = " AND agency_id = ANY($3::int[])"
    else:
        hours = "(julianday(answered_at) - julianday(released_at)) * 24.0"
        released = (
            "julianday(released_at) >= julianday(?1) AND julianday(released_at) < julianday(?2)"
        )
        agencies = " AND agency_id IN (SELECT value FROM json_each(?3))"
    group = "agency_id" if by_agency else "0"
    # The median of each group: the middle one or two of its answered requests by hours.
    return (
        f"WITH decided AS (SELECT {group} AS g,"
        f" CASE WHEN answered_at IS NOT NULL THEN {hours} END AS hours"
        f" FROM engagement_request WHERE {released}{agencies if by_agency else ''}"
        f" AND (answered_at IS NOT NULL OR state = '{RequestState.LAPSED.value}')),"
        " ranked AS (SELECT g, hours,"
        " ROW_NUMBER() OVER (PARTITION BY g, hours IS NULL ORDER BY hours) AS k,"
        " COUNT(hours) OVER (PARTITION BY g) AS m FROM decided)"
        " SELECT g, COUNT(*) AS requests, COUNT(hours) AS answered,"
        " AVG(CASE WHEN hours IS NOT NULL AND k IN ((m + 1) / 2, (m + 2) / 2) THEN hours END)"
        " AS median FROM ranked GROUP BY g"
    )


def _figures(row: dict[str, Any]) -> Responsiveness:
    median = row["median"]
    return Responsiveness(
        int(row["requests"]), int(row["answered"]), None if median is None else float(median)
    )


async def _rows(today: date, agency_ids: Collection[int] | None) -> list[dict[str, Any]]:
    conn = connections.get("default")
    postgres = conn.capabilities.dialect == "postgres"
    start, end = window(today)
    values: list[Any] = [start, end] if postgres else [start.isoformat(), end.isoformat()]
    if agency_ids is not None:
        ids = sorted(agency_ids)
        values.append(ids if postgres else json.dumps(ids))
    sql = _statement(postgres, by_agency=agency_ids is not None)
    return list(await conn.execute_query_dict(sql, values))


async def responsiveness_of(
    agency_ids: Collection[int], today: date
) -> list[tuple[int, Responsiveness]]:
    """The figures of these agencies on `today`, one statement; agencies with no request
    answered or lapsed in the window are absent."""
    if not agency_ids:
        return []
    return [(int(row["g"]), _figures(row)) for row in await _rows(today, agency_ids)]


async def sector_responsiveness(today: date) -> Responsiveness:
    """The whole sector's figures on `today`, one statement."""
    rows = await _rows(today, None)
    return _figures(rows[0]) if rows else Responsiveness()
