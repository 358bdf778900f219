"""Target arithmetic and growth series on plain numbers: met, trend, alerts, periods."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from directory.targets.growth import Interval, Spans, counts, period_count, periods
from directory.targets.progress import (
    Assessment,
    Point,
    Previous,
    alert_steps,
    assess,
    fit,
    is_met,
    project,
)

DEADLINE = date(2027, 12, 31)


def days(start: date, values: list[float]) -> list[Point]:
    return [Point(start + timedelta(days=i), v) for i, v in enumerate(values)]


def test_a_target_is_met_at_its_threshold():
    assert is_met(10, 10) and is_met(0.81, 0.8) and not is_met(9, 10)


def test_the_trend_is_a_least_squares_line():
    slope, intercept = fit(days(date(2027, 1, 1), [1, 2, 3, 4])) or (0, 0)
    assert (slope, intercept) == pytest.approx((1.0, 1.0))
    assert project(days(date(2027, 1, 1), [5, 5, 5]), DEADLINE) == pytest.approx(5.0)


def test_too_few_points_give_no_trend():
    assert fit(days(date(2027, 1, 1), [1, 2])) is None
    assert (
        fit([Point(date(2027, 1, 1), 1), Point(date(2027, 1, 1), 2), Point(date(2027, 1, 2), 3)])
        is None
    )


def test_a_target_growing_fast_enough_is_on_track():
    history = days(date(2027, 6, 1), [4, 5, 6])  # one agency a day
    now = assess(7, 10, DEADLINE, date(2027, 6, 4), history)
    assert (now.met, now.on_track) == (False, True)
    assert now.projected == pytest.approx(7 + (DEADLINE - date(2027, 6, 4)).days)


def test_a_flat_target_below_its_threshold_will_miss_the_deadline():
    now = assess(7, 10, DEADLINE, date(2027, 6, 4), days(date(2027, 6, 1), [7, 7, 7]))
    assert (now.met, now.projected, now.on_track) == (False, pytest.approx(7.0), False)


def test_after_the_deadline_the_target_is_what_it_is():
    now = assess(12, 10, DEADLINE, date(2028, 1, 5), [])
    assert (now.met, now.projected, now.on_track) == (True, 12, True)


def test_alerts_on_a_change_of_state_and_on_a_fresh_miss_forecast():
    today = date(2027, 6, 4)
    met = Assessment(10, True, 20, True)
    off = Assessment(7, False, 7, False)
    assert alert_steps(None, met, today, DEADLINE) == []  # the first check has nothing to compare
    assert alert_steps(Previous(False, True), met, today, DEADLINE) == ["met"]
    assert alert_steps(Previous(True, True), off, today, DEADLINE) == ["missed", "off_track"]
    assert alert_steps(Previous(False, None), off, today, DEADLINE) == ["off_track"]
    assert alert_steps(Previous(False, False), off, today, DEADLINE) == []  # told already
    assert alert_steps(Previous(False, True), off, date(2028, 1, 2), DEADLINE) == []


def test_periods_follow_the_calendar_and_end_at_the_last_day():
    found = periods(date(2026, 2, 10), date(2026, 8, 15), Interval.QUARTER)
    assert [(p.start, p.end) for p in found] == [
        (date(2026, 1, 1), date(2026, 3, 31)),
        (date(2026, 4, 1), date(2026, 6, 30)),
        (date(2026, 7, 1), date(2026, 8, 15)),
    ]
    assert period_count(date(2020, 1, 1), date(2026, 12, 31), Interval.MONTH) == 84
    assert len(periods(date(2020, 5, 5), date(2026, 1, 1), Interval.YEAR)) == 7


def test_counts_take_starts_and_stops_into_account():
    spans = Spans.empty()
    spans.add(None, None, 2)  # undated: always there
    spans.add(date(2026, 1, 10), None, 3)
    spans.add(date(2026, 2, 1), date(2026, 3, 5))
    spans.add(date(2026, 4, 1), date(2026, 3, 1))  # gone before it began
    ends = [date(2025, 12, 31), date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31)]
    assert counts(spans, ends) == [2, 5, 6, 5]
