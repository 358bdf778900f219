"""Sector growth as a series: period boundaries and counts over dated events, on plain data."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from directory.clock import add_months

MAX_PERIODS = 240  # points in one series: 20 years of months


class Interval(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


_MONTHS = {Interval.MONTH: 1, Interval.QUARTER: 3, Interval.YEAR: 12}


@dataclass(frozen=True, slots=True)
class Period:
    start: date
    end: date  # the day the count is taken: the period's last day, or `to` for the last one


def _floor(day: date, interval: Interval) -> date:
    if interval is Interval.YEAR:
        return date(day.year, 1, 1)
    if interval is Interval.QUARTER:
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return date(day.year, day.month, 1)


def periods(first: date, last: date, interval: Interval) -> list[Period]:
    """Calendar periods from the one holding `first` to the one holding `last`."""
    step = _MONTHS[interval]
    out: list[Period] = []
    start = _floor(first, interval)
    while start <= last:
        following = add_months(start, step)
        out.append(Period(start, min(following - timedelta(days=1), last)))
        start = following
    return out


def period_count(first: date, last: date, interval: Interval) -> int:
    start, end = _floor(first, interval), _floor(last, interval)
    months = (end.year - start.year) * 12 + end.month - start.month
    return months // _MONTHS[interval] + 1


@dataclass
class Spans:
    """Things present from a start day (None: since always) until a stop day (None: still)."""

    starts: list[tuple[date | None, int]]
    stops: list[tuple[date, int]]

    @classmethod
    def empty(cls) -> Spans:
        return cls([], [])

    def add(self, start: date | None, stop: date | None, n: int = 1) -> None:
        if stop is not None and start is not None and stop <= start:
            return  # gone before it began: never counted
        self.starts.append((start, n))
        if stop is not None:
            self.stops.append((stop, n))


def _cumulative(pairs: Iterable[tuple[date, int]]) -> tuple[list[date], list[int]]:
    days: list[date] = []
    totals: list[int] = []
    running = 0
    for day, n in sorted(pairs):
        running += n
        days.append(day)
        totals.append(running)
    return days, totals


def counts(spans: Spans, on_days: list[date]) -> list[int]:
    """How many spans are present at the end of each day: started on or before it, not stopped."""
    always = sum(n for start, n in spans.starts if start is None)
    start_days, started = _cumulative((d, n) for d, n in spans.starts if d is not None)
    stop_days, stopped = _cumulative(spans.stops)
    out = []
    for day in on_days:
        i = bisect_right(start_days, day)
        j = bisect_right(stop_days, day)
        out.append(always + (started[i - 1] if i else 0) - (stopped[j - 1] if j else 0))
    return out
