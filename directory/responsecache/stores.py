"""Where cached answers are kept: this process's memory, or Redis for several processes.

Either store holds answers of one generation at a time in effect: an answer is filed under
the generation read before it was computed, and a lookup asks only for the one it has just
read, so an older answer is never served, only dropped (memory) or left to expire (Redis).
Redis failing means "not cached" (the answer is computed), never an error nor an old answer.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

log = logging.getLogger("directory.responsecache")

_REDIS_TIMEOUT = 0.25  # seconds a lookup waits for Redis before answering uncached
_REDIS_PAUSE = 30.0  # seconds without Redis after it failed, before asking again
_REDIS_TTL = 3600  # seconds a generation's answers are kept in Redis at most
_ETAG_BYTES = 34  # a quoted 32-digit hex ETag, stored before the body in Redis


@dataclass(frozen=True, slots=True)
class Entry:
    etag: str
    body: bytes


class Store(Protocol):
    async def get(self, generation: int, key: bytes) -> Entry | None: ...

    async def put(self, generation: int, key: bytes, entry: Entry) -> None: ...

    async def close(self) -> None: ...


class MemoryStore:
    """Least recently used answers of the newest generation seen, bounded in count and bytes."""

    def __init__(self, max_entries: int, max_bytes: int) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.generation: int | None = None
        self.bytes = 0
        self._entries: OrderedDict[bytes, Entry] = OrderedDict()

    async def get(self, generation: int, key: bytes) -> Entry | None:
        if generation != self.generation:  # a lookup reads the newest: forget all older
            self._entries.clear()
            self.bytes = 0
            self.generation = generation
            return None
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    async def put(self, generation: int, key: bytes, entry: Entry) -> None:
        size = len(entry.body)
        # An answer computed before the last lookup's generation is not kept.
        if generation != self.generation or size > self.max_bytes // 8 or key in self._entries:
            return
        self._entries[key] = entry
        self.bytes += size
        while len(self._entries) > self.max_entries or self.bytes > self.max_bytes:
            _, old = self._entries.popitem(last=False)
            self.bytes -= len(old.body)

    def __len__(self) -> int:
        return len(self._entries)

    async def close(self) -> None:
        self._entries.clear()


# One hash per generation; refuses an answer once the hash holds the limit of entries or
# bytes, so Redis (which the job queue shares and which must therefore not evict) stays bounded.
_PUT = """
local n = redis.call('HLEN', KEYS[1])
local used = tonumber(redis.call('HGET', KEYS[1], '#bytes') or '0')
if n >= tonumber(ARGV[3]) or used + string.len(ARGV[2]) > tonumber(ARGV[4]) then
    return 0
end
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then
    redis.call('HINCRBY', KEYS[1], '#bytes', string.len(ARGV[2]))
end
redis.call('EXPIRE', KEYS[1], ARGV[5])
return 1
"""


class RedisStore:
    """Answers shared by every process serving the directory, in Redis."""

    def __init__(self, url: str, prefix: str, max_entries: int, max_bytes: int) -> None:
        self.prefix = prefix
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._redis = Redis.from_url(
            url, socket_connect_timeout=_REDIS_TIMEOUT, socket_timeout=_REDIS_TIMEOUT
        )
        self._put = self._redis.register_script(_PUT)
        self._paused_until = 0.0
        self._newest: int | None = None

    def _key(self, generation: int) -> str:
        return f"{self.prefix}{generation}"

    def _available(self) -> bool:
        return time.monotonic() >= self._paused_until

    def _failed(self, exc: Exception) -> None:
        log.warning("response cache off for %.0f s: Redis %s", _REDIS_PAUSE, type(exc).__name__)
        self._paused_until = time.monotonic() + _REDIS_PAUSE

    async def get(self, generation: int, key: bytes) -> Entry | None:
        if not self._available():
            return None
        try:
            if generation != self._newest:
                if self._newest is not None:  # the older answers can never be asked for again
                    await self._redis.unlink(self._key(self._newest))
                self._newest = generation
            value = await self._redis.hget(self._key(generation), key.hex())
        except (RedisError, OSError) as exc:
            self._failed(exc)
            return None
        if value is None:
            return None
        return Entry(value[:_ETAG_BYTES].decode(), value[_ETAG_BYTES:])

    async def put(self, generation: int, key: bytes, entry: Entry) -> None:
        if not self._available() or len(entry.etag) != _ETAG_BYTES:
            return
        try:
            await self._put(
                keys=[self._key(generation)],
                args=[
                    key.hex(),
                    entry.etag.encode() + entry.body,
                    self.max_entries,
                    self.max_bytes,
                    _REDIS_TTL,
                ],
            )
        except (RedisError, OSError) as exc:
            self._failed(exc)

    async def close(self) -> None:
        await self._redis.aclose()
