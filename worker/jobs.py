"""The worker's jobs: thin, idempotent, safe to run twice or on two workers at once.

Everything a job needs comes through `ctx`: the settings, the clock (injected by tests) and
arq's Redis pool. The database was opened by `on_startup`.
"""

from __future__ import annotations

import logging
from typing import Any

from directory.clock import Clock, local_today
from directory.engagements import calendar
from directory.engaging.chase import sweep
from directory.engaging.monthly import send_monthly_report
from directory.queue import DELIVER_REMINDERS, DELIVER_SOON
from directory.reminders.delivery import deliver
from directory.reminders.scan import scan
from directory.settings import Settings
from directory.targets.check import check_targets as run_target_check

log = logging.getLogger("worker")

Ctx = dict[str, Any]


def _settings(ctx: Ctx) -> Settings:
    settings: Settings = ctx["settings"]
    return settings


def _clock(ctx: Ctx) -> Clock:
    clock: Clock = ctx["clock"]
    return clock


async def _deliver_soon(ctx: Ctx) -> None:
    """After a commit that added outbox rows: deliver now rather than at the next minute."""
    redis = ctx.get("redis")
    if redis is not None:
        await redis.enqueue_job(DELIVER_REMINDERS, _job_id=DELIVER_SOON)


async def check_targets(ctx: Ctx) -> dict[str, Any]:
    """Measure every target, store today's snapshot, queue alerts to the bureau."""
    standings = await run_target_check(_clock(ctx)(), _settings(ctx))
    alerts = sum(len(s.alerts) for s in standings)
    if alerts:
        await _deliver_soon(ctx)
    return {
        # a target over a statistic not recorded yet has no value (None), not 0
        "targets": {
            s.target.key: [None if s.no_data else s.assessment.value, s.assessment.met]
            for s in standings
        },
        "alerts": alerts,
    }


async def scan_reminders(ctx: Ctx) -> dict[str, Any]:
    """Write every reminder due by today that the outbox lacks (a catch-up sweep)."""
    today = local_today(_clock(ctx)())
    result = await scan(today, _settings(ctx))
    log.info("reminder scan for %s: %d due, %d new", today, result.due_count, result.created)
    if result.created:
        await _deliver_soon(ctx)
    return {"day": today.isoformat(), "due": result.due_count, "created": result.created}


async def deliver_reminders(ctx: Ctx) -> dict[str, Any]:
    """Send what the outbox owes; leases keep two workers from sending the same row."""
    report = await deliver(_clock(ctx), _settings(ctx))
    for error in report.errors[:20]:
        log.warning("delivery: %s", error)
    return {"sent": report.sent, "retried": report.retried, "failed": report.failed}


async def chase_engagements(ctx: Ctx) -> dict[str, Any]:
    """Tell each agency of a released request, remind it, lapse what went unanswered and tell
    the firm (a catch-up sweep: a rerun or a restart sends nothing twice)."""
    now = _clock(ctx)()
    if not calendar.covers(local_today(now)):
        log.warning("no holidays known for %s: add the year to engagements/calendar.py", now.year)
    result = await sweep(now, _settings(ctx))
    if result.lapsed:
        log.info("engagement requests lapsed: %s", result.lapsed)
    if result.created:
        await _deliver_soon(ctx)
    return {"open": result.open, "created": result.created, "lapsed": result.lapsed}


async def monthly_report(ctx: Ctx) -> dict[str, Any]:
    """Last month's engagement report to the bureau, once (a daily catch-up sweep)."""
    month = await send_monthly_report(_clock(ctx)(), _settings(ctx))
    if month is not None:
        log.info("monthly engagement report for %s written", month)
        await _deliver_soon(ctx)
    return {"month": month}
