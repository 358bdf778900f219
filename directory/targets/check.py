"""The daily target check: today's figure per target, a snapshot, and alerts to the bureau."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tortoise.transactions import in_transaction

from directory.clock import local_today
from directory.reminders import outbox
from directory.reminders.payloads import BEHIND_RULE, BehindDetails, BehindTarget, TargetDetails
from directory.reminders.rules import DueReminder
from directory.settings import Settings
from directory.targets import progress
from directory.targets.metrics import figure, recorded
from directory.targets.models import Target, TargetSnapshot

HISTORY_DAYS = 90  # days of snapshots read for the trend


@dataclass(frozen=True)
class TargetStanding:
    target: Target
    assessment: progress.Assessment
    alerts: list[DueReminder]
    no_data: bool = False  # a statistic not recorded yet: no snapshot, no alert, not "behind"


def _alert(target: Target, now: progress.Assessment, step: str, today: date) -> DueReminder:
    details = TargetDetails(
        target=target.key,
        description_zh=target.description_zh,
        description_en=target.description_en,
        value=now.value,
        threshold=target.threshold,
        deadline=target.deadline,
        projected=now.projected,
        state=step,
        region=target.region_id,
    )
    return DueReminder(
        rule="target.off_track" if step == "off_track" else "target.state",
        subject_type="target",
        subject_id=target.id,
        agency_id=None,
        due_on=today,
        step=step,
        details=details,
    )


def _behind_digest(behind: list[TargetStanding], today: date) -> DueReminder:
    """One alert for every target found behind at its first check, about the first of them
    (its key is today's digest: a check again today finds these checked already)."""
    listed = tuple(
        BehindTarget(
            s.target.key,
            s.target.description_zh,
            s.target.description_en,
            s.assessment.value,
            s.target.threshold,
            s.target.deadline,
        )
        for s in behind
    )
    return DueReminder(
        rule=BEHIND_RULE,
        subject_type="target",
        subject_id=min(s.target.id for s in behind),
        agency_id=None,
        due_on=today,
        step="behind",
        details=BehindDetails(listed),
    )


async def _history(targets: list[Target], since: datetime) -> dict[int, list[TargetSnapshot]]:
    rows = await TargetSnapshot.filter(
        target_id__in=[t.id for t in targets], taken_on__gte=since.date()
    ).order_by("taken_on")
    found: dict[int, list[TargetSnapshot]] = defaultdict(list)
    for row in rows:
        found[row.target_id].append(row)
    return found


async def _save(target: Target, now: progress.Assessment, at: datetime) -> None:
    """One snapshot per target and day: insert or keep, then refresh it with today's figure."""
    values = {
        "value": now.value,
        "met": now.met,
        "projected": now.projected,
        "on_track": now.on_track,
        "taken_at": at,
    }
    today = local_today(at)
    await TargetSnapshot.bulk_create(
        [TargetSnapshot(target_id=target.id, taken_on=today, **values)], ignore_conflicts=True
    )
    await TargetSnapshot.filter(target_id=target.id, taken_on=today).update(**values)


async def _checked(targets: list[Target]) -> set[int]:
    """The targets with a snapshot: any other's check now is its first (a snapshot and the
    first check's alert are written in one transaction)."""
    rows = await TargetSnapshot.filter(target_id__in=[t.id for t in targets]).values_list(
        "target_id", flat=True
    )
    return {int(str(pk)) for pk in rows}


async def check_targets(
    now: datetime, settings: Settings, save: bool = True
) -> list[TargetStanding]:
    """Measure every active target; with `save`, store today's snapshot and queue the alerts."""
    today = local_today(now)
    targets = await Target.filter(active=True).order_by("key")
    history = await _history(targets, now - timedelta(days=HISTORY_DAYS))
    checked = await _checked(targets)
    statistics = await recorded(targets)
    standings: list[TargetStanding] = []
    behind: list[TargetStanding] = []
    for target in targets:
        value = await figure(target.metric, target.region_id, target.params, today, statistics)
        if value is None:
            standings.append(TargetStanding(target, progress.nothing(), [], no_data=True))
            continue
        earlier = [s for s in history.get(target.id, []) if s.taken_on and s.taken_on < today]
        points = [progress.Point(s.taken_on, s.value) for s in earlier if s.taken_on]
        now_ = progress.assess(value, target.threshold, target.deadline, today, points)
        last = earlier[-1] if earlier else None
        previous = progress.Previous(last.met, last.on_track) if last else None
        first = target.id not in checked
        steps = progress.alert_steps(previous, now_, today, target.deadline, first)
        alerts = [_alert(target, now_, step, today) for step in steps if step != "behind"]
        standings.append(TargetStanding(target, now_, alerts))
        if "behind" in steps:
            behind.append(standings[-1])
    if behind:  # the bureau hears of them together; the digest counts as the first's alert
        behind[0].alerts.insert(0, _behind_digest(behind, today))
    if save:
        async with in_transaction():
            for standing in [s for s in standings if not s.no_data]:
                await _save(standing.target, standing.assessment, now)
            await outbox.add([a for s in standings for a in s.alerts], settings)
    return standings
