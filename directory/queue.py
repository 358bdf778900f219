"""The API's way to the worker: enqueue a job by name; Redis being down is an answer, not a crash.

The database stays the source of truth: a job that cannot be queued is caught up by the
worker's daily sweep, so callers report UNAVAILABLE and carry on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import strawberry
from arq.connections import ArqRedis, RedisSettings, create_pool
from redis.exceptions import RedisError

log = logging.getLogger("directory.queue")

# Job names the worker registers (`worker.settings`); the API never imports the worker.
CHECK_TARGETS = "check_targets"
SCAN_REMINDERS = "scan_reminders"
DELIVER_REMINDERS = "deliver_reminders"
DELIVER_SOON = f"{DELIVER_REMINDERS}:soon"  # the job id of "deliver now, not next minute"
MONTHLY_REPORT = "monthly_report"  # last month's engagement report to the bureau
CHASE_ENGAGEMENTS = "chase_engagements"  # tell, remind and lapse open engagement requests

ENQUEUE_TIMEOUT = 3.0  # seconds a request waits for Redis before answering UNAVAILABLE


@strawberry.enum(
    name="JobStatus",
    description="QUEUED: the worker will run it; ALREADY_QUEUED: it is queued or ran just now; "
    "UNAVAILABLE: the queue (Redis) is down, the worker's daily run catches up.",
)
class EnqueueStatus(StrEnum):
    QUEUED = "QUEUED"
    ALREADY_QUEUED = "ALREADY_QUEUED"
    UNAVAILABLE = "UNAVAILABLE"


def redis_settings(url: str, retries: int = 0) -> RedisSettings:
    """arq settings for REDIS_URL, with `retries` further connection attempts a second apart."""
    settings = RedisSettings.from_dsn(url)
    settings.conn_timeout = 1
    settings.conn_retries = retries
    return settings


def shown_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = f"{parts.username}:***@" if parts.username else ":***@"
    return urlunsplit(parts._replace(netloc=user + netloc))


class JobQueue:
    """An arq pool opened on first use (never at startup) and reopened after a failure."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.settings = redis_settings(url)
        self._pool: ArqRedis | None = None
        self._lock = asyncio.Lock()

    async def _connected(self) -> ArqRedis:
        async with self._lock:
            if self._pool is None:
                self._pool = await create_pool(self.settings)
            return self._pool

    async def enqueue(self, name: str, *args: Any, job_id: str) -> EnqueueStatus:
        """QUEUED, ALREADY_QUEUED (that job id is queued or just ran) or UNAVAILABLE."""
        try:
            async with asyncio.timeout(ENQUEUE_TIMEOUT):
                pool = await self._connected()
                job = await pool.enqueue_job(name, *args, _job_id=job_id)
        except (RedisError, OSError, TimeoutError) as exc:
            log.warning("cannot queue %s on %s: %s", name, shown_url(self.url), type(exc).__name__)
            await self.close()
            return EnqueueStatus.UNAVAILABLE
        return EnqueueStatus.QUEUED if job is not None else EnqueueStatus.ALREADY_QUEUED

    async def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            with contextlib.suppress(RedisError, OSError):
                await pool.aclose(close_connection_pool=True)
