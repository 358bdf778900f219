"""`ipdir worker` and `ipdir check`: the worker in the foreground, or one check in-process."""

from __future__ import annotations

import asyncio
import logging.config
import sys
from datetime import datetime

from arq.connections import create_pool
from arq.logs import default_log_config
from redis.exceptions import RedisError
from tortoise import Tortoise

from directory.clock import local_today, system_clock
from directory.db import tortoise_config
from directory.migrate import migrate
from directory.queue import redis_settings, shown_url
from directory.reminders.rules import DueReminder
from directory.reminders.scan import due_on, scan
from directory.settings import Settings
from directory.targets.check import TargetStanding, check_targets

LISTED = 40  # reminders printed by `ipdir check`; the count is always complete


async def _ping(url: str) -> None:
    pool = await create_pool(redis_settings(url, retries=2))
    try:
        await pool.ping()
    finally:
        await pool.aclose(close_connection_pool=True)


def run_worker(settings: Settings) -> int:
    """Apply migrations, make sure Redis answers, then run the arq worker until stopped,
    starting it again whenever Redis goes away and comes back (`worker.supervise`)."""
    asyncio.run(migrate(settings))
    try:
        asyncio.run(_ping(settings.redis_url))
    except (RedisError, OSError, TimeoutError) as exc:
        print(
            f"ipdir worker: cannot reach Redis at {shown_url(settings.redis_url)} "
            f"(set REDIS_URL): {exc}",
            file=sys.stderr,
        )
        return 1
    from worker.supervise import run

    logging.config.dictConfig(default_log_config(verbose=False))
    return asyncio.run(run(settings))


def _figure(value: float, threshold: float) -> str:
    return f"{value:.1%}" if threshold <= 1 else f"{value:g}"


NO_DATA = "no data"


def _state(standing: TargetStanding) -> str:
    if standing.no_data:
        return NO_DATA
    a = standing.assessment
    state = "met" if a.met else "NOT met"
    if a.on_track is False and not a.met:
        state += ", off track"
    return state


def render_targets(standings: list[TargetStanding], today: str) -> list[str]:
    lines = [f"Targets on {today} (Asia/Shanghai)"]
    rows = [("key", "region", "value", "threshold", "deadline", "state", "target")]
    for s in standings:
        t = s.target
        rows.append(
            (
                t.key,
                t.region_id,
                "尚无数据" if s.no_data else _figure(s.assessment.value, t.threshold),
                _figure(t.threshold, t.threshold),
                t.deadline.isoformat(),
                _state(s),
                f"{t.description_zh} / {t.description_en}",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(6)]
    for row in rows:
        cells = [row[i].ljust(widths[i]) for i in range(6)]
        lines.append("  " + "  ".join(cells) + "  " + row[6])
    if len(rows) == 1:
        lines.append("  (no active targets)")
    return lines


def render_reminders(
    due: list[DueReminder], created: int | None, training: dict[str, int] | None = None
) -> list[str]:
    """The reminders due, listed; `training` counts those a scan wrote in SQL (rule -> people)."""
    training = training or {}
    new = "not written: --dry-run" if created is None else f"{created} new outbox rows"
    lines = [f"Reminders due: {len(due) + sum(training.values())} ({new})"]
    for rule, people in sorted(training.items()):
        lines.append(f"  {rule}: {people} people short of this year's hours")
    rows = [("due on", "rule", "step", "subject", "about")]
    for d in sorted(due, key=lambda d: (d.due_on, d.rule, d.subject_id))[:LISTED]:
        subject = f"{d.subject_type}:{d.subject_id}"
        rows.append((d.due_on.isoformat(), d.rule, d.step, subject, d.details.about))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for row in rows:
        lines.append("  " + "  ".join(row[i].ljust(widths[i]) for i in range(4)) + "  " + row[4])
    if len(due) > LISTED:
        lines.append(f"  ... and {len(due) - LISTED} more")
    return lines


async def _check(settings: Settings, now: datetime, dry_run: bool) -> list[str]:
    await Tortoise.init(config=tortoise_config(settings))
    try:
        standings = await check_targets(now, settings, save=not dry_run)
        today = local_today(now)
        training: dict[str, int] = {}
        if dry_run:
            due, created = await due_on(today), None
        else:
            result = await scan(today, settings)
            due, created, training = result.due, result.created, result.training
    finally:
        await Tortoise.close_connections()
    alerts = sum(len(s.alerts) for s in standings)
    lines = render_targets(standings, today.isoformat())
    if alerts:
        said = "would be queued (not written: --dry-run)" if dry_run else "queued"
        lines.append(f"  {alerts} alert(s) to the bureau {said}")
    return [*lines, "", *render_reminders(due, created, training)]


def run_check(settings: Settings, dry_run: bool) -> int:
    """The daily target check and reminder scan once, here, without Redis."""
    asyncio.run(migrate(settings))
    lines = asyncio.run(_check(settings, system_clock(), dry_run))
    print("\n".join(lines))
    if not dry_run:
        print("\nThe worker delivers the new reminders (`ipdir worker`).")
    return 0
