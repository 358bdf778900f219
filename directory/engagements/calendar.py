"""Working days in Asia/Shanghai: Monday to Friday, less public holidays, plus swapped days.

The holidays and the swapped working days (调休: a Saturday or Sunday worked in exchange for
a longer holiday) are the State Council's, published each autumn for the next year in its
"关于<year>年部分节假日安排的通知" (国务院办公厅, on www.gov.cn). They are data, not a rule:
CHECK THEM AGAINST THAT NOTICE EVERY YEAR and add the coming year as soon as it is published.
A year missing here counts every Monday to Friday as a working day (`covers` tells).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from directory.clock import CALENDAR_TZ

# (first, last) day off of each holiday, weekends inside included.
_HOLIDAYS: dict[int, tuple[tuple[date, date], ...]] = {
    # 国务院办公厅关于2025年部分节假日安排的通知 (2024-11-12); not yet checked against its text
    2025: (
        (date(2025, 1, 1), date(2025, 1, 1)),  # 元旦
        (date(2025, 1, 28), date(2025, 2, 4)),  # 春节
        (date(2025, 4, 4), date(2025, 4, 6)),  # 清明节
        (date(2025, 5, 1), date(2025, 5, 5)),  # 劳动节
        (date(2025, 5, 31), date(2025, 6, 2)),  # 端午节
        (date(2025, 10, 1), date(2025, 10, 8)),  # 国庆节、中秋节
    ),
    # 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04)
    2026: (
        (date(2026, 1, 1), date(2026, 1, 3)),  # 元旦
        (date(2026, 2, 15), date(2026, 2, 23)),  # 春节
        (date(2026, 4, 4), date(2026, 4, 6)),  # 清明节
        (date(2026, 5, 1), date(2026, 5, 5)),  # 劳动节
        (date(2026, 6, 19), date(2026, 6, 21)),  # 端午节
        (date(2026, 9, 25), date(2026, 9, 27)),  # 中秋节
        (date(2026, 10, 1), date(2026, 10, 7)),  # 国庆节
    ),
}

# Saturdays and Sundays worked (调休上班), from the same notices.
_SWAPPED: dict[int, tuple[date, ...]] = {
    2025: (date(2025, 1, 26), date(2025, 2, 8), date(2025, 4, 27), date(2025, 9, 28),
           date(2025, 10, 11)),
    2026: (date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28), date(2026, 5, 9),
           date(2026, 9, 20), date(2026, 10, 10)),
}  # fmt: skip


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


HOLIDAYS = frozenset(
    day for spans in _HOLIDAYS.values() for first, last in spans for day in _days(first, last)
)
SWAPPED_WORKING_DAYS = frozenset(day for days in _SWAPPED.values() for day in days)


def covers(day: date) -> bool:
    """Whether the State Council's arrangement for `day`'s year is in the data above."""
    return day.year in _HOLIDAYS


def is_working_day(day: date) -> bool:
    if day in SWAPPED_WORKING_DAYS:
        return True
    return day.weekday() < 5 and day not in HOLIDAYS


def after_working_days(moment: datetime, n: int) -> datetime:
    """The same Asia/Shanghai time of day on the n-th working day after `moment`'s date
    (n ≥ 1), as an instant in `moment`'s time zone. A Friday 10:00 and n=1: Monday 10:00."""
    if n < 1:
        raise ValueError("n counts working days after the moment: 1 or more")
    local = moment.astimezone(CALENDAR_TZ)
    day = local.date()
    while n:
        day += timedelta(days=1)
        if is_working_day(day):
            n -= 1
    later = datetime.combine(day, local.timetz())  # the wall time, Shanghai has no DST
    return later.astimezone(moment.tzinfo)
