"""Values that hold until the next committed write, computed once per process per generation.

What every match reads alike (the service types, the fields' names, the sector's mean rating
and responsiveness) changes only when something is written, and is read a thousand times
between writes. A value is filed under the generation (`responsecache/generation.py`) read
after its request began, so it is never older than the last commit that request could have
seen: any commit, from any process, moves the generation and the next request computes the
value again. A module of its own, not of a feature: the reference rows are kept here too.

Inside a transaction nothing is kept or reused: the transaction may have written what the value
is computed from, which no generation shows until it commits. When the generation cannot be
read, the value is computed as if there were no memo (and says what is wrong itself).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Hashable, Iterable, Mapping
from typing import Any, TypeVar

from tortoise import connections
from tortoise.backends.base.client import TransactionalDBClient

from directory.responsecache.generation import GenerationReader

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)
log = logging.getLogger(__name__)


class Memo:
    def __init__(self, reader: GenerationReader | None = None) -> None:
        self._reader = reader or GenerationReader()
        self._generation: int | None = None
        self._values: dict[Hashable, Any] = {}

    async def _current(self) -> int | None:
        """The generation to file under, None when nothing may be kept."""
        if isinstance(connections.get("default"), TransactionalDBClient):
            return None
        try:
            generation = await self._reader.current()
        except Exception as exc:  # the database: computing will say what is wrong
            log.debug("no generation: %s", type(exc).__name__)
            return None
        if generation != self._generation:
            self._generation, self._values = generation, {}
        return generation

    async def get(self, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        async def one(keys: list[Hashable]) -> dict[Hashable, T]:
            return {key: await compute()}

        return (await self.many("value", [key], one))[key]

    async def many(
        self,
        space: str,
        keys: Iterable[K],
        compute: Callable[[list[K]], Awaitable[Mapping[K, T]]],
    ) -> dict[K, T]:
        """The value of each key, computing those not kept in one call; a key `compute` does
        not answer has no value (and is asked again next time)."""
        generation = await self._current()
        found: dict[K, T] = {}
        missing: list[K] = []
        for key in keys:
            if generation is not None and (space, key) in self._values:
                found[key] = self._values[(space, key)]
            else:
                missing.append(key)
        if missing:
            computed = await compute(missing)
            if generation is not None and self._generation == generation:
                self._values.update(((space, k), v) for k, v in computed.items())
            found.update(computed)
        return found


_memo: tuple[asyncio.AbstractEventLoop, Memo] | None = None


def memo() -> Memo:
    """The process's memo (one per event loop: its generation reads belong to the loop)."""
    global _memo
    loop = asyncio.get_running_loop()
    if _memo is None or _memo[0] is not loop:
        _memo = (loop, Memo())
    return _memo[1]


async def kept(key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
    """`compute()`'s value, reused until the next committed write."""
    return await memo().get(key, compute)


async def kept_many(
    space: str, keys: Iterable[K], compute: Callable[[list[K]], Awaitable[Mapping[K, T]]]
) -> dict[K, T]:
    """Each key's value from `compute(keys missing)`, reused until the next committed write."""
    return await memo().many(space, keys, compute)
