"""The clock, injected so that date rules can be tested; calendar days are Asia/Shanghai."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

Clock = Callable[[], datetime]

CALENDAR_TZ = ZoneInfo("Asia/Shanghai")
# The years a question about the calendar may name (study hours, growth periods): past them
# date arithmetic overflows, and no record of the directory falls outside.
MIN_YEAR = 1900
MAX_YEAR = 2200


def system_clock() -> datetime:
    return datetime.now(UTC)


def local_today(now: datetime) -> date:
    """The calendar date in Asia/Shanghai at the instant `now`."""
    return now.astimezone(CALENDAR_TZ).date()


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, clamped to the month's last day (31 Mar - 1 month = 28 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


@dataclass(frozen=True, slots=True)
class Moment:
    """When a write happens: the instant (UTC) and its calendar day (Asia/Shanghai).

    Read from the clock once per request, job or command and passed down, so that every
    rule, stored time and audit entry of one write agrees on one instant and one calendar.
    """

    now: datetime
    today: date

    @classmethod
    def at(cls, now: datetime) -> Moment:
        return cls(now=now, today=local_today(now))
