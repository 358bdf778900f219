"""arq settings of the worker: its jobs, their schedule, and the database opened at startup.

arq worker.settings.WorkerSettings            (or `ipdir worker`)
arq --check worker.settings.WorkerSettings    (health check: exit 0 while a worker runs)
"""

from __future__ import annotations

from typing import Any

from arq import cron, func
from arq.connections import RedisSettings
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from tortoise import Tortoise

from directory.clock import CALENDAR_TZ, system_clock
from directory.db import tortoise_config
from directory.queue import (
    CHASE_ENGAGEMENTS,
    CHECK_TARGETS,
    DELIVER_REMINDERS,
    MONTHLY_REPORT,
    SCAN_REMINDERS,
    redis_settings,
)
from directory.settings import get_settings
from worker import jobs

DAILY_HOUR = 8  # o'clock in Asia/Shanghai (00:00 UTC): the target check and reminder scan
LONG_JOB = 1800  # seconds a check or scan may take at national scale
DELIVERY_JOB = 120  # seconds; delivery stops taking new batches after 50
CHASE_JOB = 60  # seconds: a sweep of the open engagement requests, every minute

FUNCTIONS = [
    func(jobs.check_targets, name=CHECK_TARGETS, timeout=LONG_JOB),
    func(jobs.scan_reminders, name=SCAN_REMINDERS, timeout=LONG_JOB),
    func(jobs.deliver_reminders, name=DELIVER_REMINDERS, timeout=DELIVERY_JOB, keep_result=0),
    func(jobs.chase_engagements, name=CHASE_ENGAGEMENTS, timeout=CHASE_JOB),
    func(jobs.monthly_report, name=MONTHLY_REPORT, timeout=LONG_JOB),
]

CRON_JOBS = [
    cron(jobs.check_targets, hour=DAILY_HOUR, minute=0, timeout=LONG_JOB),
    cron(jobs.scan_reminders, hour=DAILY_HOUR, minute=0, timeout=LONG_JOB),
    cron(jobs.deliver_reminders, minute=set(range(60)), timeout=DELIVERY_JOB),
    # Every minute: reminders fall at the release's time of day, lapses too (chasing.py).
    cron(jobs.chase_engagements, minute=set(range(60)), timeout=CHASE_JOB),
    # daily, as a catch-up: last month's report is written on the 1st, or the first day after
    cron(jobs.monthly_report, hour=DAILY_HOUR, minute=0, timeout=LONG_JOB),
]


def worker_redis(url: str) -> RedisSettings:
    """The worker's Redis: each command rides out a blip of a second or two; a longer outage
    ends the worker, which `worker.supervise` starts again once Redis is back."""
    settings = redis_settings(url, retries=5)
    settings.retry = Retry(ExponentialBackoff(cap=1.0, base=0.1), 3)
    settings.retry_on_error = [RedisConnectionError, RedisTimeoutError]
    return settings


async def startup(ctx: dict[str, Any]) -> None:
    """Settings, clock and the database; tests pass their own in `ctx` and skip this."""
    settings = ctx.setdefault("settings", get_settings())
    ctx.setdefault("clock", system_clock)
    await Tortoise.init(config=tortoise_config(settings), _enable_global_fallback=True)


async def shutdown(ctx: dict[str, Any]) -> None:
    await Tortoise.close_connections()


class WorkerSettings:
    functions = FUNCTIONS
    cron_jobs = CRON_JOBS
    on_startup = startup
    on_shutdown = shutdown
    redis_settings = worker_redis(get_settings().redis_url)
    timezone = CALENDAR_TZ  # cron hours are Asia/Shanghai hours
    health_check_interval = 30  # seconds; `arq --check` fails once the key is older
    max_tries = 3  # a job interrupted by a restart runs again (all jobs are idempotent)
