"""The clock, injected so that date rules can be tested; calendar days are Asia/Shanghai."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

Clock = Callable[[], datetime]

CALENDAR_TZ = ZoneInfo("Asia/Shanghai")


def system_clock() -> datetime:
    return datetime.now(UTC)


def local_today(now: datetime) -> date:
    """The calendar date in Asia/Shanghai at the instant `now`."""
    return now.astimezone(CALENDAR_TZ).date()
