"""Working days in Asia/Shanghai, and when an open request is told, reminded and lapses."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from directory.engagements.calendar import after_working_days, covers, is_working_day
from directory.engagements.chasing import Chase, answer_by, chase

# 10:00 in Shanghai is 02:00 UTC
FRIDAY_10 = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)


def shanghai(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour - 8, minute, tzinfo=UTC)


def test_a_friday_is_followed_by_monday_and_tuesday_and_the_fifth_working_day_is_next_friday():
    assert after_working_days(FRIDAY_10, 1) == shanghai(date(2026, 12, 7))
    assert after_working_days(FRIDAY_10, 2) == shanghai(date(2026, 12, 8))
    assert after_working_days(FRIDAY_10, 5) == shanghai(date(2026, 12, 11))


def test_the_time_of_day_is_kept_in_shanghai_even_across_the_utc_date_line():
    # Monday 07:30 in Shanghai is Sunday 23:30 UTC
    sunday_night_utc = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)
    assert after_working_days(sunday_night_utc, 1) == datetime(2026, 12, 7, 23, 30, tzinfo=UTC)


def test_a_release_on_saturday_counts_from_monday():
    saturday = shanghai(date(2026, 12, 5), 15)
    assert after_working_days(saturday, 1) == shanghai(date(2026, 12, 7), 15)


def test_holidays_are_skipped_and_a_swapped_saturday_is_worked():
    # National Day: 1-7 October 2026 off, Saturday 10 October worked (调休)
    eve = shanghai(date(2026, 9, 30))
    assert [after_working_days(eve, n).date() for n in (1, 2, 3, 4, 5)] == [
        date(2026, 10, 8),
        date(2026, 10, 9),
        date(2026, 10, 10),
        date(2026, 10, 12),
        date(2026, 10, 13),
    ]
    assert not is_working_day(date(2026, 10, 5))  # a Monday of the holiday
    assert is_working_day(date(2026, 2, 14))  # a Saturday worked before the Spring Festival
    assert not is_working_day(date(2026, 2, 16))


def test_a_year_the_data_lacks_is_said_so():
    assert covers(date(2026, 12, 31))
    assert not covers(date(2031, 1, 1))
    assert not is_working_day(date(2031, 1, 4))  # a Saturday, weekends still count


def test_no_working_days_is_not_a_question():
    with pytest.raises(ValueError):
        after_working_days(FRIDAY_10, 0)


@pytest.mark.parametrize(
    ("later", "owed"),
    [
        (timedelta(0), Chase("released", lapses=False)),
        (timedelta(days=2, hours=23, minutes=59), Chase("released", lapses=False)),
        (timedelta(days=3), Chase("1", lapses=False)),  # Monday 10:00
        (timedelta(days=4), Chase("2", lapses=False)),  # Tuesday 10:00
        (timedelta(days=6, hours=23), Chase("2", lapses=False)),
        (timedelta(days=7), Chase(None, lapses=True)),  # the next Friday 10:00
    ],
)
def test_only_the_latest_notice_is_owed_until_the_request_lapses(later, owed):
    assert chase(FRIDAY_10, FRIDAY_10 + later) == owed


def test_the_lapse_is_five_working_days_after_the_release():
    assert answer_by(FRIDAY_10) == shanghai(date(2026, 12, 11))
