"""Rate limits per client address: anonymous writes and expensive queries cannot be flooded.

A fixed window counter per (limit, address, window), counted in Redis when it answers, so that
several API processes share one count, and in this process's memory otherwise (Redis down
loosens the limit to one per process; it never blocks a request). The window is read from the
injected clock, so tests move time instead of waiting. Written here rather than taken from a
library because the libraries read the system time, which tests cannot move.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.exceptions import RedisError

from directory.clock import Clock
from directory.errors import RateLimited
from directory.settings import Settings

log = logging.getLogger("directory.ratelimit")

_PREFIX = "ipdir:rate:"
_REDIS_TIMEOUT = 0.5  # seconds a request waits for Redis before counting in memory
_REDIS_PAUSE = 30.0  # seconds to count in memory after Redis failed, before asking again
_MAX_MEMORY_KEYS = 50_000  # counters kept in memory; the oldest windows go first


@dataclass(frozen=True, slots=True)
class Limit:
    name: str
    count: int  # requests allowed per window; 0: no limit
    window: int  # seconds


REVIEWS = "reviews"  # submitReview: anonymous writes
MATCHES = "matches"  # matchAgencies: the most expensive query
ENGAGEMENTS = "engagements"  # sendEngagementRequest: anonymous writes that send mail


def request_limits(settings: Settings) -> dict[str, Limit]:
    """The limits of the settings, by name."""
    return {
        REVIEWS: Limit(REVIEWS, settings.review_rate_limit, 3600),
        MATCHES: Limit(MATCHES, settings.match_rate_limit, 60),
        ENGAGEMENTS: Limit(ENGAGEMENTS, settings.send_rate_limit, 3600),
    }


class RateLimiter:
    """Counts requests per limit and address; `hit` raises RateLimited past the limit."""

    def __init__(self, redis_url: str | None, clock: Clock) -> None:
        self.clock = clock
        self._redis: Redis | None = (
            Redis.from_url(
                redis_url,
                socket_connect_timeout=_REDIS_TIMEOUT,
                socket_timeout=_REDIS_TIMEOUT,
            )
            if redis_url
            else None
        )
        self._redis_paused_until = 0.0
        self._memory: dict[str, int] = {}

    async def hit(self, limit: Limit, address: str) -> None:
        """Count one request of `address`; RateLimited (with the seconds left) past the limit."""
        if limit.count <= 0:
            return
        now = self.clock().timestamp()
        window = int(now // limit.window)
        key = f"{_PREFIX}{limit.name}:{address}:{window}"
        count = await self._count(key, limit.window)
        if count > limit.count:
            retry_after = max(1, int((window + 1) * limit.window - now + 0.999))
            raise RateLimited(retry_after)

    async def _count(self, key: str, window: int) -> int:
        if self._redis is not None and time.monotonic() >= self._redis_paused_until:
            try:
                async with self._redis.pipeline(transaction=True) as pipe:
                    pipe.incr(key)
                    pipe.expire(key, window + 1)
                    count, _ = await pipe.execute()
                return int(count)
            except (RedisError, OSError) as exc:
                log.warning("rate limits counted in memory: Redis %s", type(exc).__name__)
                self._redis_paused_until = time.monotonic() + _REDIS_PAUSE
        if len(self._memory) >= _MAX_MEMORY_KEYS:
            for old in list(self._memory)[: _MAX_MEMORY_KEYS // 2]:
                del self._memory[old]
        self._memory[key] = self._memory.get(key, 0) + 1
        return self._memory[key]

    async def clear(self) -> None:
        """Forget every count (for tests and the bureau's operators)."""
        self._memory.clear()
        if self._redis is not None:
            try:
                keys = [key async for key in self._redis.scan_iter(match=f"{_PREFIX}*")]
                if keys:
                    await self._redis.delete(*keys)
            except (RedisError, OSError):
                pass

    async def close(self) -> None:
        if self._redis is not None:
            await self._redis.aclose()
