"""Snapshots of the weeks before the first check, from the data's dated history.

Part of the demo data set, so that a new demo site's target charts have a trend to
show; a real deployment's snapshots come from the daily check alone.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from directory.clock import CALENDAR_TZ, local_today
from directory.targets import metrics, progress
from directory.targets.growth import counts
from directory.targets.history import agency_spans, practitioner_spans
from directory.targets.models import Metric, Target, TargetSnapshot

_CHECK_TIME = time(8)  # the daily check runs at 08:00 Asia/Shanghai


def _snapshot(
    target: Target, day: date, value: float, earlier: list[progress.Point]
) -> TargetSnapshot:
    standing = progress.assess(value, target.threshold, target.deadline, day, earlier)
    return TargetSnapshot(
        target_id=target.id,
        taken_on=day,
        value=value,
        met=standing.met,
        projected=standing.projected,
        on_track=standing.on_track,
        taken_at=datetime.combine(day, _CHECK_TIME, CALENDAR_TZ),
    )


async def backfill_snapshots(now: datetime, weeks: int = 12) -> int:
    """A snapshot a week for the agency and practitioner targets, and one for today; today's
    alone for the targets over statistics that have data (a target without any has no
    snapshot, as the check stores none)."""
    today = local_today(now)
    days = [today - timedelta(weeks=w) for w in range(weeks, 0, -1)]
    spans_of = {Metric.AGENCY_COUNT: agency_spans, Metric.PRACTITIONER_COUNT: practitioner_spans}
    rows: list[TargetSnapshot] = []
    for target in await Target.filter(active=True, metric__in=list(spans_of)).order_by("key"):
        spans = await spans_of[target.metric](target.region_id, today)
        past = counts(spans, [*days, today])
        now_value = await metrics.measure(target.metric, target.region_id, target.params, today)
        # The history follows the figure's definition (targets/figures.py), so it ends at
        # today's figure; a target of one kind or service counts fewer: shift its past.
        values = [max(0.0, float(v) + now_value - past[-1]) for v in past]
        points: list[progress.Point] = []
        for day, value in zip([*days, today], values, strict=True):
            rows.append(_snapshot(target, day, value, points))
            points.append(progress.Point(day, value))
    # the other targets (over statistics): today's figure, as the first check will find it
    others = await Target.filter(active=True).exclude(metric__in=list(spans_of)).order_by("key")
    recorded_now = await metrics.recorded(others)
    for target in others:
        found = await metrics.figure(
            target.metric, target.region_id, target.params, today, recorded_now
        )
        if found is not None:
            rows.append(_snapshot(target, today, found, []))
    await TargetSnapshot.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
