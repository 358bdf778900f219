"""The bureau's figures of engagements: requests, answers, engagements and their durations,
monthly and by agency, service and county, over a period of Asia/Shanghai days.

A request counts in the month it was released to the agency (so a month's answers and
engagements are those of its requests, whenever they came); by service, under each service
its need asked for; by county, under the firm's region as its need named it. One statement
reads the period's requests with their needs; the arithmetic is pure (`tally`).
"""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from directory.clock import CALENDAR_TZ, add_months, local_today
from directory.engagements.models import EngagementRequest, RequestState


@dataclass(frozen=True, slots=True)
class Released:
    """One released request, as the figures read it."""

    agency_id: int
    state: RequestState
    released_at: datetime
    answered_at: datetime | None
    started_at: datetime | None
    done_at: datetime | None
    services: tuple[str, ...]
    region: str


@dataclass(frozen=True, slots=True)
class Tally:
    requests: int = 0  # released
    answered: int = 0  # accepted or declined
    accepted: int = 0  # accepted, whatever followed
    declined: int = 0
    lapsed: int = 0
    waiting: int = 0  # still open
    withdrawn: int = 0
    engagements: int = 0  # started by the firm
    done: int = 0
    median_hours_to_answer: float | None = None
    median_days_of_engagement: float | None = None  # started to done, of the done ones


def _hours(a: datetime, b: datetime) -> float:
    return (b - a).total_seconds() / 3600


def tally(requests: Iterable[Released]) -> Tally:
    """The figures of a group of requests. Pure."""
    rows = list(requests)
    answered = [r for r in rows if r.answered_at is not None]
    done = [r for r in rows if r.started_at is not None and r.done_at is not None]
    declined = sum(r.state is RequestState.DECLINED for r in rows)
    hours = [_hours(r.released_at, r.answered_at) for r in answered if r.answered_at]
    days = [_hours(r.started_at, r.done_at) / 24 for r in done if r.started_at and r.done_at]
    return Tally(
        requests=len(rows),
        answered=len(answered),
        accepted=len(answered) - declined,  # withdrawn after accepting: still accepted
        declined=declined,
        lapsed=sum(r.state is RequestState.LAPSED for r in rows),
        waiting=sum(r.state is RequestState.OPEN for r in rows),
        withdrawn=sum(r.state is RequestState.WITHDRAWN for r in rows),
        engagements=sum(r.started_at is not None for r in rows),
        done=len(done),
        median_hours_to_answer=round(statistics.median(hours), 2) if hours else None,
        median_days_of_engagement=round(statistics.median(days), 2) if days else None,
    )


def month_of(at: datetime) -> date:
    """The first day of the Asia/Shanghai month of an instant."""
    return local_today(at).replace(day=1)


def months(start: date, end: date) -> list[date]:
    """The first days of the months from `start`'s to `end`'s, both counted."""
    found, month = [], start.replace(day=1)
    while month <= end:
        found.append(month)
        month = add_months(month, 1)
    return found


@dataclass(frozen=True, slots=True)
class Figures:
    start: date
    end: date
    total: Tally
    months: list[tuple[date, Tally]]  # every month of the period, empty ones too
    agencies: list[tuple[int, Tally]]  # most requests first
    services: list[tuple[str, Tally]]
    regions: list[tuple[str, Tally]]


def _ranked(groups: dict[Any, list[Released]]) -> list[tuple[Any, Tally]]:
    tallied = [(key, tally(rows)) for key, rows in groups.items()]
    return sorted(tallied, key=lambda kv: (-kv[1].requests, str(kv[0])))


def figures_of(requests: Iterable[Released], start: date, end: date) -> Figures:
    """Every figure of the period from its released requests. Pure."""
    rows = list(requests)
    by_month: dict[date, list[Released]] = defaultdict(list)
    by_agency: dict[int, list[Released]] = defaultdict(list)
    by_service: dict[str, list[Released]] = defaultdict(list)
    by_region: dict[str, list[Released]] = defaultdict(list)
    for r in rows:
        by_month[month_of(r.released_at)].append(r)
        by_agency[r.agency_id].append(r)
        for service in dict.fromkeys(r.services):
            by_service[service].append(r)
        by_region[r.region].append(r)
    return Figures(
        start=start,
        end=end,
        total=tally(rows),
        months=[(m, tally(by_month.get(m, []))) for m in months(start, end)],
        agencies=_ranked(by_agency),
        services=_ranked(by_service),
        regions=_ranked(by_region),
    )


def _instant(day: date) -> datetime:
    return datetime.combine(day, time(), CALENDAR_TZ)


async def load_figures(start: date, end: date) -> Figures:
    """The figures of the requests released from `start` to `end` (days, both counted)."""
    found = await (
        EngagementRequest.filter(
            released_at__gte=_instant(start), released_at__lt=_instant(end + timedelta(days=1))
        )
        .order_by("released_at", "id")
        .values(
            "agency_id",
            "state",
            "released_at",
            "answered_at",
            "started_at",
            "done_at",
            "inquiry__need",
        )
    )
    released = []
    for row in found:
        need = row["inquiry__need"] or {}
        if isinstance(need, str):  # a JSON column read through a join comes as its text
            need = json.loads(need)
        released.append(
            Released(
                agency_id=row["agency_id"],
                state=RequestState(row["state"]),
                released_at=row["released_at"],
                answered_at=row["answered_at"],
                started_at=row["started_at"],
                done_at=row["done_at"],
                services=tuple(str(s) for s in need.get("services") or ()),
                region=str(need.get("region") or ""),
            )
        )
    return figures_of(released, start, end)
