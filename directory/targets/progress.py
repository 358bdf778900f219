"""Target arithmetic on plain numbers: met or not, the recent trend, and when to alert."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

TREND_POINTS = 30  # most recent daily snapshots the trend is fitted over
MIN_TREND_POINTS = 3  # fewer give no trend
MIN_TREND_DAYS = 2  # days the points must span


@dataclass(frozen=True, slots=True)
class Point:
    day: date
    value: float


@dataclass(frozen=True, slots=True)
class Assessment:
    value: float
    met: bool
    projected: float | None  # the value at the deadline at the recent trend
    on_track: bool | None  # None: too few points for a trend


@dataclass(frozen=True, slots=True)
class Previous:
    """What the last snapshot before today said."""

    met: bool
    on_track: bool | None


def nothing() -> Assessment:
    """The standing of a target without data: 0, not met, no trend."""
    return Assessment(0.0, met=False, projected=None, on_track=None)


def is_met(value: float, threshold: float) -> bool:
    """Every target is a floor: met once the value reaches the threshold."""
    return value >= threshold


def fit(points: Sequence[Point]) -> tuple[float, float] | None:
    """Least-squares (slope per day, value at the first day); None for too few points."""
    if len(points) < MIN_TREND_POINTS:
        return None
    origin = min(p.day for p in points)
    xs = [(p.day - origin).days for p in points]
    if max(xs) < MIN_TREND_DAYS:
        return None
    n = len(points)
    mean_x = sum(xs) / n
    mean_y = sum(p.value for p in points) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    sxy = sum((x - mean_x) * (p.value - mean_y) for x, p in zip(xs, points, strict=True))
    slope = sxy / sxx
    return slope, mean_y - slope * mean_x


def project(points: Sequence[Point], on: date) -> float | None:
    """The value the trend of `points` reaches on `on`."""
    line = fit(points)
    if line is None:
        return None
    slope, intercept = line
    origin = min(p.day for p in points)
    return intercept + slope * (on - origin).days


def assess(
    value: float, threshold: float, deadline: date, today: date, history: Sequence[Point]
) -> Assessment:
    """Today's standing; `history` is the earlier daily values, oldest first."""
    met = is_met(value, threshold)
    if today > deadline:
        return Assessment(value, met, projected=value, on_track=met)
    recent = [*[p for p in history if p.day < today][-(TREND_POINTS - 1) :], Point(today, value)]
    projected = project(recent, deadline)
    if projected is None:
        return Assessment(value, met, projected=None, on_track=None)
    return Assessment(value, met, projected=projected, on_track=is_met(projected, threshold))


def alert_steps(
    previous: Previous | None, now: Assessment, today: date, deadline: date, first: bool = False
) -> list[str]:
    """Which alerts today's check owes the bureau: on a target's `first` check, that it is
    behind (not met); then a change of state, or a fresh miss forecast."""
    steps: list[str] = []
    if first and not now.met:
        steps.append("behind")
    if previous is not None and previous.met != now.met:
        steps.append("met" if now.met else "missed")
    newly_off = now.on_track is False and (previous is None or previous.on_track is not False)
    if newly_off and not now.met and today <= deadline:
        steps.append("off_track")
    return steps
